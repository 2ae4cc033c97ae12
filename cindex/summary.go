package cindex

import (
	"bytes"
	"slices"

	"github.com/tagcheck/tagcheck/internal/stampset"
)

// Summary is what a check may later want to know of one file without
// reading it again: the identifiers that stand where a definition's name
// could (so that a lookup of a definition reads only the files that may
// hold it, at every depth of the lookup), and the members the file
// accesses (so that the search for the readers of a field parses only
// the files that name it after "." or "->"). Both are sets of word
// hashes (see wordHash), sorted: a collision only makes a file read in
// vain.
type Summary struct {
	DefNames []uint32
	Members  []uint32
}

// Summarize reads src once for its Summary. The definition names are
// exactly the identifiers for which defLike holds (but for keywords);
// they are found from the bytes next to which such a name must stand
// instead of by looking at every identifier (see defNameSites), a few
// times faster.
func Summarize(src []byte) Summary {
	var z Summarizer
	return z.Summarize(src)
}

// A Summarizer is Summarize for one file after another: the hashes it
// gathers before sorting them go into buffers it keeps, which a survey
// of the whole tree would otherwise grow again for each of its 60,000
// files. Not safe for concurrent use.
type Summarizer struct {
	defs, members []uint32
	seen          *stampset.Set[uint32] // of members
}

// Summarize is the package's Summarize, with z's buffers.
func (z *Summarizer) Summarize(src []byte) Summary { return z.summarize(src, true) }

// summarize is Summarize, with the members left out unless members.
func (z *Summarizer) summarize(src []byte, members bool) Summary {
	z.defs, z.members = z.defs[:0], z.members[:0]
	if z.seen == nil {
		z.seen = stampset.New(func(h uint32) uint64 { return uint64(h) })
	}
	z.seen.Reset()
	defNameSites(src, func(i, j int) {
		if isIdentStart(src[i]) && !keyword(src[i:j]) && defLike(src, i, j) {
			z.defs = append(z.defs, wordHash(src[i:j]))
		}
	})
	if !members {
		return Summary{DefNames: sortedSet(z.defs)}
	}
	memberSites(src, func(i, j int) {
		if h := wordHash(src[i:j]); z.seen.Add(h) {
			z.members = append(z.members, h)
		}
	})
	return Summary{DefNames: sortedSet(z.defs), Members: sortedSet(z.members)}
}

// sortedSet returns the distinct hashes of s, sorted, in a slice of its
// own; s is sorted in place.
func sortedSet(s []uint32) []uint32 {
	if len(s) == 0 {
		return nil
	}
	slices.Sort(s)
	return slices.Clone(slices.Compact(s))
}

// Defines reports whether the summarized file may define one of names.
func (s Summary) Defines(names *Names) bool {
	for _, h := range s.DefNames {
		if names.has(h) {
			return true
		}
	}
	return false
}

// Accesses reports whether the summarized file may access a member named
// word.
func (s Summary) Accesses(word string) bool {
	_, ok := slices.BinarySearch(s.Members, wordHash([]byte(word)))
	return ok
}

// wordHash is FNV-1a, 32 bits: stable across runs, since summaries are
// kept on disk.
func wordHash[W string | []byte](w W) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(w); i++ {
		h ^= uint32(w[i])
		h *= 16777619
	}
	return h
}

// defNameSites calls site with the range of every maximal run of
// identifier bytes that may be a definition's name by defLike, and with
// some others (the caller applies defLike). defLike holds for the run
// [i, j) only when one of these is true:
//   - the first byte after it that is not white space is "(" or ")" (then
//     the "(" itself, or the "(" after the ")" and white space, is in a
//     case below), "/" or "\" (a comment or a continued line between the
//     name and its parameters);
//   - the last byte before it that is not white space is "/" or a "("
//     after a digit (macroArgument).
//
// So every such run stands, across white space only, next to a "(", a
// ")" before a "(", a "/" or a "\": those bytes are found with
// bytes.IndexByte, which skips the text between them many bytes at a
// time, and the runs beside them are handed on.
func defNameSites(src []byte, site func(i, j int)) {
	eachOf(src, "(/\\", func(c byte, p int) {
		runBefore(src, p, site)
		if c == '/' || c == '(' && digitBefore(src, p) {
			runAfter(src, p, site)
		}
	})
}

// eachOf calls fn with every place in src of each byte of set, byte by
// byte of set.
func eachOf(src []byte, set string, fn func(c byte, p int)) {
	for _, c := range []byte(set) {
		for off := 0; off < len(src); {
			p := bytes.IndexByte(src[off:], c)
			if p < 0 {
				break
			}
			fn(c, off+p)
			off += p + 1
		}
	}
}

// runEnd returns the end of the run of identifier bytes at i.
func runEnd(src []byte, i int) int {
	for i < len(src) && isIdentByte(src[i]) {
		i++
	}
	return i
}

// runBefore hands on the run that ends, across white space, before
// src[p], or before the ")" found there.
func runBefore(src []byte, p int, site func(i, j int)) {
	k := skipSpaceBack(src, p-1)
	if k >= 0 && src[k] == ')' {
		k = skipSpaceBack(src, k-1)
	}
	if k < 0 || !isIdentByte(src[k]) {
		return
	}
	i := k
	for i > 0 && isIdentByte(src[i-1]) {
		i--
	}
	if keyword(src[i : k+1]) {
		return // what follows "if" and "for" is often long
	}
	site(i, k+1)
}

// runAfter hands on the run that starts, across white space, after
// src[p].
func runAfter(src []byte, p int, site func(i, j int)) {
	i := p + 1
	for i < len(src) && isSpace(src[i]) {
		i++
	}
	if i >= len(src) || !isIdentByte(src[i]) {
		return
	}
	site(i, runEnd(src, i))
}

// keyword reports whether w is one of the keywords most often before a
// "(": never a definition's name (nameLike).
func keyword(w []byte) bool {
	switch string(w) {
	case "if", "for", "while", "switch", "return", "sizeof":
		return true
	}
	return false
}

// digitBefore reports whether the last byte before src[p] that is not
// white space is a digit: "(" opens the arguments of SYSCALL_DEFINE3.
func digitBefore(src []byte, p int) bool {
	k := skipSpaceBack(src, p-1)
	return k >= 0 && src[k] >= '0' && src[k] <= '9'
}

func skipSpaceBack(src []byte, k int) int {
	for k >= 0 && isSpace(src[k]) {
		k--
	}
	return k
}

// memberSites calls site with the range of every identifier that follows
// "." or "->" across white space and comments: what a field access
// names, and some words of comments and strings besides.
func memberSites(src []byte, site func(i, j int)) {
	eachOf(src, ".>", func(c byte, p int) {
		if c == '>' && (p == 0 || src[p-1] != '-') {
			return
		}
		if i := skipSpace(src, p+1); i < len(src) && isIdentStart(src[i]) {
			site(i, runEnd(src, i))
		}
	})
}
