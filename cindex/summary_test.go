package cindex

import (
	"bytes"
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

// TestIndexWord: indexWord finds what bytes.Index finds, at the first
// place, for words whose rarest byte is anywhere in them and texts that
// hold it often, at their ends, or not at all.
func TestIndexWord(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	words := []string{"", "y", "nsproxy", "yyn", "nyy", "aXa", "\x00z", "ee"}
	for range 3000 {
		src := make([]byte, r.IntN(40))
		for i := range src {
			src[i] = "nsproxyeXaz\x00"[r.IntN(12)]
		}
		for _, w := range words {
			if got, want := indexWord(src, w), bytes.Index(src, []byte(w)); got != want {
				t.Fatalf("indexWord(%q, %q) = %d, want %d", src, w, got, want)
			}
		}
	}
}
