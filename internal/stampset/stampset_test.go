package stampset

import (
	"math/rand/v2"
	"testing"
)

// TestSetAsMap: the set answers as a map does through growth and resets
// (the table kept), and a reset past the last generation empties it too.
func TestSetAsMap(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	s := New(func(k uint32) uint64 { return uint64(k) })
	for round := range 50 {
		s.Reset()
		if round == 20 {
			s.gen = ^uint32(0) // the next reset wraps around
		}
		want := map[uint32]bool{}
		n := r.IntN(20000)
		for range n {
			k := r.Uint32N(uint32(n/2 + 1))
			if got := s.Has(k); got != want[k] {
				t.Fatalf("round %d: Has(%d) = %v, want %v", round, k, got, want[k])
			}
			if got := s.Add(k); got != !want[k] {
				t.Fatalf("round %d: Add(%d) = %v, want %v", round, k, got, !want[k])
			}
			want[k] = true
		}
		if s.Len() != len(want) {
			t.Fatalf("round %d: %d keys, want %d", round, s.Len(), len(want))
		}
	}
}

// TestNoTableYet: a set whose table is not made yet answers and takes
// keys; a hash that puts every key in one slot still finds each.
func TestNoTableYet(t *testing.T) {
	s := Set[[2]uint64]{hash: func([2]uint64) uint64 { return 7 }}
	if s.Has([2]uint64{1, 2}) {
		t.Fatal("the zero set holds a key")
	}
	for i := range uint64(300) {
		if !s.Add([2]uint64{i, i}) {
			t.Fatalf("Add(%d) not new", i)
		}
	}
	for i := range uint64(300) {
		if !s.Has([2]uint64{i, i}) || s.Add([2]uint64{i, i}) {
			t.Fatalf("key %d lost", i)
		}
	}
	if s.Len() != 300 {
		t.Fatalf("Len %d, want 300", s.Len())
	}
}
