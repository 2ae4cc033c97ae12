// Package cindex is a cheap lexical index of C source: where each function
// definition starts and ends, what it calls and which members it names,
// and, over a tree, which file defines a name. It does not parse: it
// follows comments, literals, preprocessor lines and the nesting of
// brackets, which is enough to find the functions of kernel-style C
// (including SYSCALL_DEFINEn, BPF_CALL_n and old-style parameter
// declarations) at about a hundred MB/s a core (BenchmarkFuncs), so that
// a caller can decide which functions are worth the tree-sitter front end
// before paying for it.
//
// Conditional groups are followed as the compiler could see them: every
// branch is read, and after #else/#elif the bracket depth restarts from
// where the #if found it, so that a header written twice
// (#ifdef A "int f(int a) {" #else "int f(void) {" #endif) opens one body.
package cindex

import (
	"bytes"
	"slices"
)

// Func is one function definition found in a C text.
type Func struct {
	Name   string
	Start  int // first byte of the definition (its specifiers)
	NameAt int // byte offset of the name (of the macro, for SYSCALL_DEFINEn)
	Body   int // offset of the opening brace
	End    int // one past the closing brace; the length of the text when unclosed
	Line   int // line of the name, 1-based
	// StartLine is the line of Start, 1-based: a definition read alone
	// from its file keeps its line numbers without counting the lines
	// before it.
	StartLine int
	Static    bool
	Calls     []string // identifiers followed by "(" in the body: calls and macros; sorted, unique
	Members   []string // identifiers after "." or "->" in the body; sorted, unique
	// Idents are the identifiers of the body that are not members:
	// calls, and names used as values (a callback handed to kref_put),
	// locals and types; sorted, unique.
	Idents []string
	// MemberUses counts the member accesses of the body, repeats included.
	MemberUses int
}

// Funcs returns the function definitions of src in source order.
func Funcs(src []byte) []Func {
	return find(src, true)
}

// Defs is Funcs without what the bodies hold (Calls, Members, Idents,
// MemberUses): where the definitions are is all an index keeps, and
// reading the bodies' identifiers is most of the work.
func Defs(src []byte) []Func {
	return find(src, false)
}

func find(src []byte, bodies bool) []Func {
	f := &finder{src: src, words: map[string]string{}, bodies: bodies}
	lx := newLexer(src)
	for {
		t := lx.next()
		if t.kind == eof {
			break
		}
		f.token(t)
	}
	if f.cur != nil {
		f.finish(len(src))
	}
	return f.out
}

// cond is an open #if group: the depths at its start and, once an #else
// or #elif is met, at the end of its first branch.
type cond struct {
	depth, paren           int
	afterDepth, afterParen int
	seenElse               bool
}

type finder struct {
	src    []byte
	words  map[string]string // interned identifiers of this text
	bodies bool              // read what the bodies call and name

	depth int     // braces
	paren int     // parentheses and brackets outside any brace
	hdr   []token // tokens outside braces since the last declaration ended
	kr    bool    // hdr holds an old-style parameter list and its declarations
	conds []cond

	cur      *Func
	prev     token // the previous token of cur's body
	calls    []string
	members  []string
	idents   []string
	lastLine int
	out      []Func
}

func (f *finder) text(t token) []byte { return f.src[t.s:t.e] }

func (f *finder) word(t token) string {
	b := f.text(t)
	if w, ok := f.words[string(b)]; ok {
		return w
	}
	w := string(b)
	f.words[w] = w
	return w
}

func (f *finder) token(t token) {
	if t.kind == direct {
		f.directive(t)
		return
	}
	if f.cur != nil && f.depth > 0 && f.bodies {
		f.bodyToken(t) // at depth 0, cur's header is written again in an #else
	}
	switch t.kind {
	case '{':
		if f.depth == 0 && f.paren == 0 && f.cur == nil {
			f.open(t)
		}
		f.depth++
		return
	case '}':
		if f.depth > 0 {
			f.depth--
		}
		if f.depth == 0 && f.paren == 0 {
			if f.cur != nil {
				f.finish(t.e)
			}
			f.reset()
		}
		return
	}
	if f.depth > 0 {
		return
	}
	switch t.kind {
	case '(', '[':
		f.paren++
	case ')', ']':
		if f.paren > 0 {
			f.paren--
		}
	case ';':
		if f.paren == 0 {
			f.endDeclaration(t)
			return
		}
	}
	f.hdr = append(f.hdr, t)
}

func (f *finder) reset() {
	f.hdr = f.hdr[:0]
	f.kr = false
}

// endDeclaration ends what hdr holds at a ";", unless it is the parameter
// list of an old-style definition: "int f(a, b) int a; char *b; {".
func (f *finder) endDeclaration(t token) {
	if f.kr || f.oldStyleList(f.hdr) >= 0 {
		if len(f.hdr) < 512 {
			f.kr = true
			f.hdr = append(f.hdr, t)
			return
		}
	}
	f.reset()
}

// directive follows #if groups; see the package comment.
func (f *finder) directive(t token) {
	f.conds, f.depth, f.paren = condStep(f.conds, f.text(t), f.depth, f.paren)
}

// condStep follows the open #if groups conds through a directive word,
// returning them and the depths of braces and brackets after it: after
// #else and #elif the depths restart from where the #if found them, and
// after #endif they are those at the end of the first branch.
func condStep(conds []cond, word []byte, depth, paren int) ([]cond, int, int) {
	switch string(word) {
	case "if", "ifdef", "ifndef":
		conds = append(conds, cond{depth: depth, paren: paren})
	case "elif", "else", "elifdef", "elifndef":
		if len(conds) == 0 {
			break
		}
		c := &conds[len(conds)-1]
		if !c.seenElse {
			c.seenElse = true
			c.afterDepth, c.afterParen = depth, paren
		}
		depth, paren = c.depth, c.paren
	case "endif":
		if len(conds) == 0 {
			break
		}
		c := conds[len(conds)-1]
		conds = conds[:len(conds)-1]
		if c.seenElse {
			depth, paren = c.afterDepth, c.afterParen
		}
	}
	return conds, depth, paren
}

func (f *finder) bodyToken(t token) {
	switch t.kind {
	case '(':
		if f.prev.kind == ident && !notCallee[string(f.text(f.prev))] {
			f.calls = append(f.calls, f.word(f.prev))
		}
	case ident:
		if f.prev.kind == '.' || f.prev.kind == arrow {
			f.members = append(f.members, f.word(t))
		} else if !notCallee[string(f.text(t))] {
			f.idents = append(f.idents, f.word(t))
		}
	}
	f.prev = t
}

// open starts a function body at the brace t when hdr is a function
// header.
func (f *finder) open(t token) {
	fn, ok := f.header()
	f.reset()
	if !ok {
		return
	}
	fn.Body = t.s
	f.cur = fn
	f.prev = t
}

func (f *finder) finish(end int) {
	fn := f.cur
	fn.End = end
	fn.Calls = sortedUnique(f.calls)
	fn.MemberUses = len(f.members)
	fn.Members = sortedUnique(f.members)
	fn.Idents = sortedUnique(f.idents)
	f.out = append(f.out, *fn)
	f.cur = nil
	f.calls, f.members, f.idents = f.calls[:0], f.members[:0], f.idents[:0]
}

func sortedUnique(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}

// header decides whether hdr, followed by "{", is a function definition,
// and finds its name: the last identifier before a parenthesis at the
// outer level that is neither a keyword nor an attribute macro
// ("int f(void) __acquires(x)" is f; so is "EXPORT_SYMBOL(g) int f(void)",
// a macro use left without its semicolon). A header holding "=" at the
// outer level is an initializer.
func (f *finder) header() (*Func, bool) {
	h := f.hdr
	if len(h) == 0 {
		return nil, false
	}
	if h[len(h)-1].kind == ';' {
		if !f.kr {
			return nil, false
		}
		return f.oldStyle(h)
	}
	// only the part after an old-style candidate's false start counts
	if i := lastKind(h, ';'); i >= 0 {
		h = h[i+1:]
	}
	name, group, outer := -1, -1, -1
	level := 0
	for i, t := range h {
		switch t.kind {
		case '(', '[':
			if t.kind == '(' && level == 0 && i > 0 && h[i-1].kind == ident && f.nameLike(h[i-1]) {
				name, group, outer = i-1, i, i
			}
			level++
		case ')', ']':
			level--
		case '=':
			if level == 0 {
				return nil, false
			}
		}
	}
	if name < 0 {
		name, group, outer = f.parenthesized(h)
	}
	if name < 0 || !f.tailIsAttributes(h, outer) {
		return nil, false
	}
	return f.newFunc(h, name, group), true
}

// parenthesized finds the name of "int (*f(void))(int)" or "int (f)(int)",
// its parameter list and the parenthesis around the declarator.
func (f *finder) parenthesized(h []token) (name, group, outer int) {
	for i := 0; i+2 < len(h); i++ {
		if h[i].kind != '(' {
			continue
		}
		j := i + 1
		for j < len(h) && h[j].kind == '*' {
			j++
		}
		if j+1 < len(h) && h[j].kind == ident && f.nameLike(h[j]) {
			if h[j+1].kind == '(' {
				return j, j + 1, i
			}
			if h[j+1].kind == ')' && j+2 < len(h) && h[j+2].kind == '(' {
				return j, j + 2, i
			}
		}
	}
	return -1, -1, -1
}

// tailIsAttributes reports whether what follows the declarator
// parenthesis opened at h[group] is attributes only: identifiers and
// parenthesized arguments (or the parameters of a returned function
// pointer).
func (f *finder) tailIsAttributes(h []token, group int) bool {
	end := closeOf(h, group)
	if end < 0 {
		return false
	}
	level := 0
	for _, t := range h[end+1:] {
		switch t.kind {
		case '(':
			level++
		case ')':
			level--
		case ident:
		default:
			if level == 0 {
				return false
			}
		}
	}
	return level == 0
}

// closeOf returns the index of the parenthesis closing h[open], or -1.
func closeOf(h []token, open int) int {
	level := 0
	for i := open; i < len(h); i++ {
		switch h[i].kind {
		case '(', '[':
			level++
		case ')', ']':
			level--
			if level == 0 {
				return i
			}
		}
	}
	return -1
}

func lastKind(h []token, k kind) int {
	for i := len(h) - 1; i >= 0; i-- {
		if h[i].kind == k {
			return i
		}
	}
	return -1
}

// oldStyleList returns the index of the name of "name(a, b)" followed by
// a declaration in h, or -1.
func (f *finder) oldStyleList(h []token) int {
	for i := 1; i < len(h); i++ {
		if h[i].kind != '(' || h[i-1].kind != ident || !f.nameLike(h[i-1]) {
			continue
		}
		j := i + 1
		for j+1 < len(h) && h[j].kind == ident && (h[j+1].kind == ',' || h[j+1].kind == ')') {
			j += 2
			if h[j-1].kind == ')' {
				break
			}
		}
		if j > i+1 && h[j-1].kind == ')' && j < len(h) && h[j].kind == ident && !hasKind(h[j:], '=') {
			return i - 1
		}
	}
	return -1
}

func hasKind(h []token, k kind) bool {
	for _, t := range h {
		if t.kind == k {
			return true
		}
	}
	return false
}

func (f *finder) oldStyle(h []token) (*Func, bool) {
	name := f.oldStyleList(h)
	if name < 0 {
		return nil, false
	}
	return f.newFunc(h, name, name+1), true
}

// newFunc describes the function named by h[name], its parameters opened
// at h[group]. A macro call before the name that is not an attribute
// (a macro use missing its semicolon) is not part of the definition.
func (f *finder) newFunc(h []token, name, group int) *Func {
	first := 0
	for i := 1; i < name; i++ {
		if h[i].kind == '(' && h[i-1].kind == ident && f.nameLike(h[i-1]) {
			if e := closeOf(h, i); e >= 0 && e < name {
				first = e + 1
				i = e
			}
		}
	}
	nt := h[name]
	fn := &Func{Name: f.word(nt), Start: h[first].s, NameAt: nt.s, Line: nt.line, StartLine: h[first].line}
	if prefix, ok := syscallName(f.text(nt), h[group+1:]); ok {
		fn.Name = prefix + string(f.text(h[group+1]))
	}
	for _, t := range h[first:name] {
		if t.kind == ident && bytes.Equal(f.text(t), []byte("static")) {
			fn.Static = true
		}
	}
	return fn
}

// syscallName reports whether macro is one of the kernel's defining macros
// that take the function's name first (SYSCALL_DEFINE3(open, ...),
// BPF_CALL_2(bpf_x, ...)), and returns the prefix the definition's name
// gets ("sys_").
func syscallName(macro []byte, args []token) (prefix string, ok bool) {
	if len(args) == 0 || args[0].kind != ident {
		return "", false
	}
	for _, m := range []struct{ word, prefix string }{
		{"COMPAT_SYSCALL_DEFINE", "compat_sys_"},
		{"SYSCALL32_DEFINE", "sys32_"},
		{"SYSCALL_DEFINE", "sys_"},
		{"BPF_CALL_", ""},
		{"NOTRACE_BPF_CALL_", ""},
	} {
		rest, ok := bytes.CutPrefix(macro, []byte(m.word))
		if ok && len(rest) == 1 && rest[0] >= '0' && rest[0] <= '6' {
			return m.prefix, true
		}
	}
	return "", false
}

// nameLike reports whether an identifier before "(" can name a function:
// not a keyword or type word, not an attribute macro.
func (f *finder) nameLike(t token) bool {
	w := f.text(t)
	return !notCallee[string(w)] && !attrCall[string(w)] && !typeWord[string(w)]
}
