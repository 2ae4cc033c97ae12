package cindex

import (
	"sort"
)

// Where a definition's name can stand. Funcs reads a name only outside
// every brace, and a survey summary cannot tell that apart: a loop macro
// in a body, "list_for_each_entry(pos, head, member) {", has the shape of
// a definition, and a lookup that wants list_for_each_entry lexed the
// 2,800 files of the tree that use it to find none. topLevel follows the
// braces, comments, literals and preprocessor lines exactly as the lexer
// and the finder do (bracket depth restarting after #else and #elif, see
// the package comment), byte by byte without making tokens, several
// times faster than Funcs, so that a file is lexed only where a wanted
// word stands outside every brace.

// topLevel returns the ranges of src that the finder reads at brace
// depth 0, as the boundaries [start0, end0, start1, end1, ...]. Comments
// and preprocessor lines are left out of them: the finder reads no name
// there, and a word only mentioned in a file's comments or macros (the
// ERR_PTR of "#define x_err(e) ERR_PTR(e)") had the file lexed for it.
func topLevel(src []byte) []int {
	t := topScan{b: src, bounds: []int{0}, open: true}
	t.run()
	if len(t.bounds)%2 == 1 {
		t.bounds = append(t.bounds, len(src))
	}
	return t.bounds
}

type topScan struct {
	b      []byte
	depth  int
	conds  []cond // the open #if groups (only their depths count here)
	bounds []int
	open   bool // a range of bounds is open: depth 0, outside comments and directives
}

func (t *topScan) run() {
	b := t.b
	i, bol := 0, true // bol: only white space and comments since the last line break
	for i < len(b) {
		// Runs of plain bytes and white space are most of a text: past
		// the line's first plain byte, white space changes nothing.
		if !bol {
			for i < len(b) && topClass[b[i]] != topSpecial {
				i++
			}
			if i == len(b) {
				break
			}
		}
		c := b[i]
		switch topClass[c] {
		case topPlain:
			bol = false
			i++
			continue
		case topSpace:
			i++
			continue
		}
		switch {
		case c == '\n':
			bol = true
			i++
		case c == '\\' && i+1 < len(b) && (b[i+1] == '\n' || b[i+1] == '\r'):
			i++ // a stray line continuation: white space
		case c == '/' && i+1 < len(b) && b[i+1] == '*':
			i = t.skip(i, blockCommentEnd(b, i))
		case c == '/' && i+1 < len(b) && b[i+1] == '/':
			i = t.skip(i, lineCommentEnd(b, i))
		case c == '#' && bol:
			i = t.directive(i)
		case c == '"' || c == '\'':
			bol = false
			i = quotedEnd(b, i)
		case c == '{':
			bol = false
			t.setDepth(t.depth+1, i)
			i++
		case c == '}':
			bol = false
			i++
			if t.depth > 0 {
				t.setDepth(t.depth-1, i)
			}
		default: // a "/", "#" or "\\" that opens no comment, directive or continuation
			bol = false
			i++
		}
	}
}

// The bytes topScan tells apart. Identifiers and numbers (as the lexer's
// skipNumber reads them) are made of plain bytes only, and no other
// token of the lexer holds a special byte but where it starts one: the
// scan need not make tokens to follow what the lexer follows.
const (
	topPlain = iota
	topSpace // white space that leaves the line's start as it was
	topSpecial
)

var topClass = func() (cl [256]byte) {
	for _, c := range []byte(" \t\r\f\v") {
		cl[c] = topSpace
	}
	for _, c := range []byte("\n\\/#\"'{}") {
		cl[c] = topSpecial
	}
	return cl
}()

// setDepth changes the depth at offset at, opening or closing a range
// at depth 0.
func (t *topScan) setDepth(d, at int) {
	t.depth = d
	t.setOpen(d == 0, at)
}

// setOpen opens or closes a range at offset at.
func (t *topScan) setOpen(open bool, at int) {
	if open != t.open {
		t.bounds = append(t.bounds, at)
		t.open = open
	}
}

// skip leaves the comment [from, to) out of the ranges, and returns to.
func (t *topScan) skip(from, to int) int {
	if t.open {
		t.setOpen(false, from)
		t.setOpen(true, to)
	}
	return to
}

// directive steps over the preprocessor line at i as lexer.directive
// does, returning where it ends, and follows its #if group as
// finder.directive does; the line is left out of the ranges.
func (t *topScan) directive(i int) int {
	s, e, end := directiveEnd(t.b, i)
	t.setOpen(false, i)
	t.cond(t.b[s:e], end) // reopens at end at depth 0
	return end
}

// cond follows the #if group of a directive word that ends at offset at.
func (t *topScan) cond(word []byte, at int) {
	conds, depth, _ := condStep(t.conds, word, t.depth, 0)
	t.conds = conds
	t.setDepth(depth, at)
}

// atTopLevel reports whether offset p lies in one of the ranges of
// bounds (topLevel's result).
func atTopLevel(bounds []int, p int) bool {
	k := sort.SearchInts(bounds, p+1) // the boundaries at or before p
	return k%2 == 1
}

// mayDefine reports whether one of words stands in src, as a whole
// identifier, where the finder reads at depth 0: only then can Funcs
// find a definition of it there. Occurrences in literals outside every
// brace count too; those in comments and on preprocessor lines do not.
func mayDefine(src []byte, words []string) bool {
	return mayDefineAt(src, words, nil)
}

// mayDefineAt is mayDefine given topLevel(src), or nil to compute it when
// a word is found.
func mayDefineAt(src []byte, words []string, bounds []int) bool {
	for _, w := range words {
		if w == "" {
			continue // found everywhere, and never a name
		}
		for off := 0; ; {
			k := indexWord(src[off:], w)
			if k < 0 {
				break
			}
			p := off + k
			off = p + len(w)
			if p > 0 && isIdentByte(src[p-1]) || off < len(src) && isIdentByte(src[off]) {
				continue
			}
			if bounds == nil {
				bounds = topLevel(src)
			}
			if atTopLevel(bounds, p) {
				return true
			}
		}
	}
	return false
}

// topDefNames returns the names Funcs may find definitions of in src:
// every identifier next to a "(" (or a "/" or "\", see defNameSites)
// outside every brace. Outside braces the shape test of Summarize is not
// needed, and it would miss a header it does not know; there stand only
// prototypes, definitions and macros used at file scope.
// "typeof(x->call)(find_entry(uint type))\n{" (qla_tmpl.c) is a
// definition of find_entry that defLike does not take.
func topDefNames(src []byte, bounds []int) []uint32 {
	var defs []uint32
	defNameSites(src, func(i, j int) {
		if isIdentStart(src[i]) && !keyword(src[i:j]) && atTopLevel(bounds, i) {
			defs = append(defs, wordHash(src[i:j]))
		}
	})
	if defs == nil {
		return []uint32{}
	}
	return sortedSet(defs)
}
