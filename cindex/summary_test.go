package cindex

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSummarizerReused: a Summarizer that summarized other files first
// gives each file the summary a fresh one gives, though its buffers and
// its set of members carry the earlier files' hashes.
func TestSummarizerReused(t *testing.T) {
	var big []byte
	for i := range 5000 { // more members than the set's first table holds
		big = fmt.Appendf(big, "void f%d(struct s *p) { p->m%d = q.n%d; }\n", i, i, i)
	}
	srcs := [][]byte{
		big,
		[]byte("int g(struct s *p)\n{\n\treturn p->m1 + h(p->count);\n}\n"),
		[]byte("static void h(void) { x.m1 = 0; }\n"),
		nil,
		big,
	}
	var z Summarizer
	for round := range 2 {
		for i, src := range srcs {
			got, want := z.Summarize(src), Summarize(src)
			if !slices.Equal(got.DefNames, want.DefNames) || !slices.Equal(got.Members, want.Members) {
				t.Errorf("round %d, text %d: reused Summarizer %v, fresh %v", round, i, got, want)
			}
		}
	}
}

// TestHashSet: the set answers as a map does across resets and growth,
// and its generation wrapping around empties it too.
func TestHashSet(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var h hashSet
	for round := range 50 {
		h.reset()
		if round == 20 {
			h.gen = ^uint32(0) // the next reset wraps around
		}
		want := map[uint32]bool{}
		n := r.IntN(20000)
		for range n {
			k := r.Uint32N(uint32(n/2 + 1))
			if got := h.add(k); got != !want[k] {
				t.Fatalf("round %d: add(%d) = %v, want %v", round, k, got, !want[k])
			}
			want[k] = true
		}
		if h.n != len(want) {
			t.Fatalf("round %d: %d keys, want %d", round, h.n, len(want))
		}
	}
}

// TestNamesBitsThenMap: the bit of a hash's low 16 bits only lets a
// hash through to the map; a name whose hash shares those bits with a
// wanted one is not taken for it.
func TestNamesBitsThenMap(t *testing.T) {
	want := "grab_lock"
	var other string
	for i := 0; other == ""; i++ {
		w := fmt.Sprintf("f%d", i)
		if h := wordHash(w); h&0xFFFF == wordHash(want)&0xFFFF && h != wordHash(want) {
			other = w
		}
	}
	names := NewNames([]string{want})
	if Summarize([]byte("int " + other + "(void) { return 0; }\n")).Defines(names) {
		t.Errorf("a file defining %s is taken for %s (same low 16 bits of the hash)", other, want)
	}
	if !Summarize([]byte("int " + want + "(void) { return 0; }\n")).Defines(names) {
		t.Errorf("a file defining %s is not taken for it", want)
	}
	if got := names.in(Summary{DefNames: []uint32{wordHash(other), wordHash(want)}}); !slices.Equal(got, []string{want}) {
		t.Errorf("in = %v, want [%s]", got, want)
	}
}
