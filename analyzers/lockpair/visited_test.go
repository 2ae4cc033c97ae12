package lockpair

import (
	"math/rand/v2"
	"testing"
)

// TestVisitSet: the set answers as a map does through growth and resets,
// and a set taken again after release holds nothing of the last walk.
func TestVisitSet(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 3 {
		s := newVisitSet()
		want := map[visit]bool{}
		for i := range 5000 {
			// few distinct values, so that adds repeat and blocks collide
			v := visit{block: r.IntN(50), join: r.IntN(2) == 0, state: [2]uint64{r.Uint64N(64), uint64(i % 3)}}
			if got := s.has(v); got != want[v] {
				t.Fatalf("round %d: has(%v) = %v, want %v", round, v, got, want[v])
			}
			if added := s.add(v); added == want[v] {
				t.Fatalf("round %d: add(%v) = %v, already in: %v", round, v, added, want[v])
			}
			want[v] = true
			if s.Len() != len(want) {
				t.Fatalf("round %d: Len %d, want %d", round, s.Len(), len(want))
			}
		}
		s.release()
	}
	s := &visitSet{}
	s.reset()
	s.add(visit{block: 1})
	s.gen = ^uint32(0) // the next reset wraps around
	s.reset()
	if s.has(visit{block: 1}) || s.Len() != 0 {
		t.Error("a set reset past its last generation keeps a visit")
	}
}
