package cparse

import (
	"bytes"
	"strings"
)

// The pre-pass (prepass, and conditionals in conditionals.go):
//   - #if/#ifdef groups inside braces or parentheses, or whose branches are
//     unbalanced or do not end a declaration: the first branch that is not
//     "#if 0" is kept, the directives and the other branches become spaces.
//     Balanced file-scope groups stay for tree-sitter (both branches seen).
//   - attribute macros (__init, __rcu, __acquires(x), __printf(a, b), ...)
//     become spaces.
//   - a *for_each* / *foreach* / while_each_* macro at the head of a
//     statement, or any macro call followed by "{", is renamed "while" so
//     that it parses as a loop over a comma expression; the lowering reads
//     the macro name back (prep.loops). scoped_guard likewise (prep.scoped).
//     do_each_thread(g, t) becomes "do".
//   - SYSCALL_DEFINEn(name, t1, a1, ...) becomes "long sys_name(t1 a1, ...)".
//   - macro arguments that are types or operators (container_of(p, struct
//     foo, m), min_t(unsigned long, ...), ASSERTCMP(a, ==, b)) become
//     identifiers ("struct_foo", "__"); Text keeps the original.
//   - offsetof(T, a.b[i]) keeps the first member; case A ... B keeps A;
//     a label before "}" gets its empty statement; "static DEFINE_X(...)"
//     in a body loses "static"; macros taking statements (D1(if ...))
//     become blocks.
//   - file-scope initializers (tables: "= { ... }") are noted
//     (prep.tables): the lowering parses them blanked (tables.go).
//   - statement expressions ({ ... }) are cut out (a "(0 ...)" placeholder
//     stays) and parsed on their own when the lowering meets them.

// prep is the result of the pre-pass: rw has the length of the source and
// the same bytes except where a macro was blanked or renamed.
type prep struct {
	rw        []byte
	loops     map[int]string // offset of a "while" written over a macro loop head -> macro name
	scoped    map[int]string // offset of a "while" written over scoped_guard -> macro name
	stmtExprs map[int][]byte // offset of "({" -> the statement expression as a stand-alone compound statement
	tables    []span         // file-scope initializers: "{" to one past "}"
}

// attribute-like macros blanked with spaces.
var attrWords = map[string]bool{}

// attribute-like macros that take arguments: blanked with their arguments.
var attrCalls = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`__init __exit __initdata __exitdata __initconst __exitconst __devinit __devexit
	__devinitdata __devinitconst __cpuinit __cpuinitdata __ref __refdata __refconst __meminit __meminitdata __memexit
	__init_or_module __initdata_or_module __init_memblock __initdata_memblock __head __must_check __rcu __user __iomem
	__percpu __kernel __force __nocast __safe __private __bitwise __cold __hot noinline noinline_for_stack __noinline
	__always_inline __inline_maybe_unused asmlinkage __visible notrace __weak __maybe_unused __always_unused __used
	__latent_entropy __randomize_layout __no_randomize_layout __ro_after_init __read_mostly __packed __noreturn
	__noclone __naked __pure __attribute_const__ __malloc __deprecated __sched __kprobes nokprobe_inline __irq_entry
	__softirq_entry __exception_irq_entry noinstr __noinstr __cpuidle __flatten __nocfi __noscs __no_kcsan
	__no_sanitize_address __no_kasan_or_inline __no_sanitize_or_inline __no_stack_protector __nostackprotector
	__page_aligned_data __page_aligned_bss __cacheline_aligned __cacheline_aligned_in_smp ____cacheline_aligned
	____cacheline_aligned_in_smp ____cacheline_internodealigned_in_smp __cacheline_internodealigned_in_smp
	__lockfunc __nosavedata __ksym __designated_init __nonstring __aligned_largest __mustcheck __always_used
	__initrodata __init_refok __exit_refok __fix_address __bpf_kfunc __no_profile __no_sanitize_undefined
	__no_sanitize_memory __no_sanitize_thread __no_sanitize_coverage __nocapture __overloadable __unused __sram_data
	__rcu_read_lock_helper __ftrace __trace_probe __kretprobe __wsum_ignore __notrace_funcgraph __irqentry
	__weak_alias __init_task_data __initdata_rodata __section_noinline __lsm_ro_after_init __initcall
	__noinline_for_stack __iomem_ptr __user_ptr __percpu_ptr __kprobes_text __noinstr_section __efiapi
	__no_fgcse __compiletime_error_fallback __nosave __always_inline_const __mcount_loc __tracepoint_string`) {
		attrWords[w] = true
	}
	for _, w := range strings.Fields(`__acquires __releases __must_hold __printf __scanf __aligned __section __alloc_size
	__assume_aligned __attribute__ __attribute __alias __copy __cleanup __free __counted_by __cond_acquires
	__cond_releases __diag_ignore __compiletime_error __compiletime_warning __no_sanitize __weakref __vector_size
	__nosave_data __inline_attr __builtin_expect_attr __attr __annotate __ALIGN_KERNEL_attr __ksym_attr`) {
		attrCalls[w] = true
	}
}

var (
	whileBytes = []byte("while")
	doBytes    = []byte("do")
)

// prepass rewrites the kernel macros tree-sitter cannot expand, keeping
// every byte offset.
func prepass(src []byte) *prep {
	b := make([]byte, len(src))
	copy(b, src)
	conditionals(b)
	s := &prescan{b: b, p: &prep{rw: b}, lineStart: true, prevPunct: ';'}
	for i := 0; i < len(b); {
		i = s.step(i)
	}
	s.cutStmtExprs()
	return s.p
}

// prescan is the pre-pass's state as it walks the text once.
type prescan struct {
	b         []byte
	p         *prep
	spans     []span // statement expressions "({ ... })", in order of their start
	spanBytes int    // their total length, bounded
	depth     int    // brace depth
	lineStart bool
	prevPunct byte   // the punctuation just before, 0 after other tokens
	prevIdent string // the identifier just before, "" after other tokens
	parens    []bool // open parentheses: true for a call's arguments
	inCase    bool   // between "case" and its ":"
}

// span is a byte range [s, e).
type span struct{ s, e int }

// step rewrites what starts at i and returns where the next token starts.
func (s *prescan) step(i int) int {
	b := s.b
	ch := b[i]
	if j, ok := skipBlank(b, i, &s.lineStart); ok {
		return j
	}
	if ch == '#' && s.lineStart {
		return directiveEnd(b, i)
	}
	s.lineStart = false
	if ch == '{' && s.depth == 0 && s.prevPunct == '=' && len(s.parens) == 0 {
		if e := matchParen(b, i); e > i && b[e-1] == '}' {
			s.p.tables = append(s.p.tables, span{i, e})
		}
	}
	switch {
	case ch == '"' || ch == '\'':
		s.prevPunct, s.prevIdent = 0, ""
		return skipQuoted(b, i)
	case ch >= '0' && ch <= '9':
		for i < len(b) && (isIdentByte(b[i]) || b[i] == '.') {
			i++
		}
		s.prevPunct, s.prevIdent = 0, ""
		return i
	case isIdentStart(ch):
		return s.word(i)
	case ch == '.' && s.inCase && i+2 < len(b) && b[i+1] == '.' && b[i+2] == '.':
		return caseRange(b, i)
	}
	s.punct(i)
	return i + 1
}

// punct follows the brackets and separators that decide what a word is.
func (s *prescan) punct(i int) {
	b := s.b
	ch := b[i]
	switch ch {
	case '{':
		s.depth++
	case '}':
		if s.depth > 0 {
			s.depth--
		}
	case '(':
		s.openParen(i)
	case ')':
		if len(s.parens) > 0 {
			s.parens = s.parens[:len(s.parens)-1]
		}
	case ',':
		if s.depth > 0 && len(s.parens) > 0 && s.parens[len(s.parens)-1] {
			typeArg(b, i+1)
		}
	case ':':
		s.inCase = false
	}
	s.prevPunct, s.prevIdent = ch, ""
}

// openParen notes a "(" in a body: the start of a statement expression,
// or a call whose first argument may be a type.
func (s *prescan) openParen(i int) {
	b := s.b
	isCall := false
	if s.depth > 0 {
		if j := nextSig(b, i+1); j < len(b) && b[j] == '{' {
			if e := matchParen(b, i); e > 0 && e-i >= 4 && b[e-1] == ')' && s.spanBytes+e-i <= 4*len(b)+1<<20 {
				// (nested statement expressions copy their text: bounded)
				s.spans = append(s.spans, span{i, e})
				s.spanBytes += e - i
			}
		}
		isCall = s.prevIdent != "" && !notCallWords[s.prevIdent]
		if isCall {
			typeArg(b, i+1)
		}
	}
	s.parens = append(s.parens, isCall)
}

// caseRange keeps A of "case A ... B:" (a GNU range); i is at the "...".
func caseRange(b []byte, i int) int {
	k := i
	for k < len(b) && b[k] != ':' && b[k] != '\n' {
		k++
	}
	if k < len(b) && b[k] == ':' {
		blank(b, i, k)
	}
	return k
}

// word rewrites the identifier starting at start when it is a macro
// tree-sitter cannot take, and returns where the next token starts.
func (s *prescan) word(start int) int {
	b := s.b
	i := start
	for i < len(b) && isIdentByte(b[i]) {
		i++
	}
	word := string(b[start:i])
	if word == "case" && s.depth > 0 {
		s.inCase = true
	}
	stmtHead := s.depth > 0 && (s.prevPunct == ';' || s.prevPunct == '{' || s.prevPunct == '}' ||
		s.prevPunct == ')' || s.prevPunct == ':' || s.prevIdent == "else" || s.prevIdent == "do")
	prevWord := s.prevIdent
	s.prevPunct, s.prevIdent = 0, word
	if word == "asm" || word == "__asm__" || word == "__asm" {
		if e := asmStmt(b, start, i, prevWord != "" && !keywords[prevWord] && !typeStartWords[prevWord]); e > 0 {
			s.prevPunct, s.prevIdent = ')', ""
			return e
		}
	}
	if e, ok := s.attribute(word, start, i); ok {
		return e
	}
	if s.depth > 0 && word == "static" && definedInBody(b, i) {
		// static DEFINE_RATELIMIT_STATE(rs, ...); in a body: a call
		blank(b, start, i)
		return i
	}
	if word == "offsetof" && s.depth > 0 {
		offsetofMember(b, i)
	}
	if stmtHead && word != "default" && word != "case" {
		emptyLabelStatement(b, i)
	}
	if stmtHead && len(word) >= 5 && s.loopMacro(word, start, i) {
		return i
	}
	if stmtHead && s.depth > 0 && !keywords[word] {
		if e, ok := s.blockMacro(word, start, i); ok {
			return e
		}
	}
	if s.depth == 0 && strings.Contains(word, "SYSCALL") {
		if e := syscallDefine(b, start, i, word); e > 0 {
			s.prevIdent = ""
			return e
		}
	}
	return i
}

// attribute blanks an attribute macro at [start,i), with its arguments
// when it takes them.
func (s *prescan) attribute(word string, start, i int) (int, bool) {
	b := s.b
	switch {
	case attrWords[word]:
		blank(b, start, i)
		s.prevPunct, s.prevIdent = 0, ""
		return i, true
	case attrCalls[word]:
		if _, e := argsAfter(b, i); e > 0 {
			blank(b, start, e)
			return e, true
		}
		blank(b, start, i)
		return i, true
	}
	return 0, false
}

// definedInBody reports whether a DEFINE_ or DECLARE_ macro follows i.
func definedInBody(b []byte, i int) bool {
	j := nextSig(b, i)
	return j+7 < len(b) && (bytes.HasPrefix(b[j:], []byte("DEFINE_")) || bytes.HasPrefix(b[j:], []byte("DECLARE_")))
}

// emptyLabelStatement gives a label closing a block or standing before a
// declaration its empty statement; i is just after the label's name.
func emptyLabelStatement(b []byte, i int) {
	j := nextSig(b, i)
	if j >= len(b) || b[j] != ':' || j+1 < len(b) && b[j+1] == ':' {
		return
	}
	k := nextSig(b, j+1)
	if k < len(b) && (b[k] == '}' || typeStartWords[identAt(b, k)] || identAt(b, k) == "int" || identAt(b, k) == "char") {
		for q := j + 1; q < k; q++ {
			if isSpace(b[q]) {
				b[q] = ';'
				break
			}
		}
	}
}

// argsAfter returns the "(" after the word ending at i and the end of its
// arguments, or e < 0 when there are none.
func argsAfter(b []byte, i int) (j, e int) {
	j = nextSig(b, i)
	if j < len(b) && b[j] == '(' {
		return j, matchParen(b, j)
	}
	return j, -1
}

// loopMacro rewrites a loop-like macro at the head of a statement —
// *for_each*, *foreach*, while_each_*, scoped_guard: "while" over the
// name; do_each_*(...): "do" — and reports whether it did.
func (s *prescan) loopMacro(word string, start, i int) bool {
	b := s.b
	lw := strings.ToLower(word)
	loop := strings.Contains(lw, "for_each") || strings.Contains(lw, "foreach") || strings.HasPrefix(word, "while_each_")
	scoped := word == "scoped_guard" || word == "scoped_cond_guard"
	doEach := strings.HasPrefix(word, "do_each_")
	if !loop && !scoped && !doEach {
		return false
	}
	_, e := argsAfter(b, i)
	if e <= 0 || !bodyFollows(b, e) && !strings.HasPrefix(word, "while_each_") {
		return false
	}
	switch {
	case doEach:
		blank(b, start, e)
		copy(b[start:], doBytes)
		s.prevIdent = "do"
	case scoped:
		renameLoop(b, start, i, word, &s.p.scoped)
	default:
		renameLoop(b, start, i, word, &s.p.loops)
	}
	return true
}

// bodyFollows reports whether a statement follows the arguments ending at
// e, as a loop macro's body.
func bodyFollows(b []byte, e int) bool {
	k := nextSig(b, e)
	nx := byte(';')
	if k < len(b) {
		nx = b[k]
	}
	return nx == '{' || isIdentStart(nx) || nx == '(' || nx == '*'
}

// renameLoop writes "while" over the macro name at [start,i) and records
// the name in *m, where the lowering reads it back.
func renameLoop(b []byte, start, i int, word string, m *map[int]string) {
	blank(b, start, i)
	copy(b[start:], whileBytes)
	if *m == nil {
		*m = map[int]string{}
	}
	(*m)[start] = word
}

// blockMacro rewrites any other macro call at the head of a statement
// that takes statements (D1(if (x) y();) or ASSERT(c, dump(r);): the
// arguments become a block) or is followed by a block (a loop-like macro).
func (s *prescan) blockMacro(word string, start, i int) (int, bool) {
	b := s.b
	j, e := argsAfter(b, i)
	if e <= 0 {
		return 0, false
	}
	if stmtMacro(b, j, e) {
		blank(b, start, j+1)
		b[j] = '{'
		b[e-1] = '}'
		s.prevPunct, s.prevIdent = '{', ""
		s.depth++
		return j + 1, true
	}
	if k := nextSig(b, e); k < len(b) && b[k] == '{' && len(word) >= 5 {
		renameLoop(b, start, i, word, &s.p.loops)
		return i, true
	}
	return 0, false
}

// cutStmtExprs cuts the statement expressions out: each is kept, as a
// stand-alone compound statement, in p.stmtExprs, and its direct children
// become "(0 ... )" placeholders in its own text and in the file.
func (s *prescan) cutStmtExprs() {
	spans, b := s.spans, s.b
	if len(spans) == 0 {
		return
	}
	s.p.stmtExprs = map[int][]byte{}
	placeholder := func(buf []byte, from, to int) {
		blank(buf, from+1, to-1)
		buf[from+1] = '0'
	}
	for k, sp := range spans {
		sub := make([]byte, sp.e-sp.s)
		copy(sub, b[sp.s:sp.e])
		sub[0] = ' '
		sub[len(sub)-1] = ' '
		for m := k + 1; m < len(spans) && spans[m].s < sp.e; m++ {
			c := spans[m]
			if directChild(spans, k, m) && c.e <= sp.e {
				placeholder(sub[c.s-sp.s:c.e-sp.s], 0, c.e-c.s)
			}
		}
		s.p.stmtExprs[sp.s] = sub
	}
	end := -1
	for _, sp := range spans {
		if sp.s >= end {
			placeholder(b[sp.s:sp.e], 0, sp.e-sp.s)
			end = sp.e
		}
	}
}

// directChild reports whether spans[m], inside spans[k], is not inside an
// earlier child of it.
func directChild(spans []span, k, m int) bool {
	c := spans[m]
	for q := k + 1; q < m; q++ {
		if spans[q].s < c.s && c.e <= spans[q].e {
			return false
		}
	}
	return true
}

// syscallDefine rewrites SYSCALL_DEFINEn(name, t1, a1, ...) at [s,i) into
// "long sys_name(t1 a1, ...)" in place; it returns the offset after the
// rewritten head, or 0.
func syscallDefine(b []byte, s, i int, word string) int {
	prefix := ""
	rest := ""
	switch {
	case strings.HasPrefix(word, "COMPAT_SYSCALL_DEFINE"):
		prefix, rest = "compat_sys_", word[len("COMPAT_SYSCALL_DEFINE"):]
	case strings.HasPrefix(word, "SYSCALL32_DEFINE"):
		prefix, rest = "sys32_", word[len("SYSCALL32_DEFINE"):]
	case strings.HasPrefix(word, "SYSCALL_DEFINE"):
		prefix, rest = "sys_", word[len("SYSCALL_DEFINE"):]
	default:
		return 0
	}
	if len(rest) != 1 || rest[0] < '0' || rest[0] > '6' {
		return 0
	}
	j := nextSig(b, i)
	if j >= len(b) || b[j] != '(' {
		return 0
	}
	e := matchParen(b, j)
	if e < 0 {
		return 0
	}
	ns := nextSig(b, j+1)
	ne := ns
	for ne < len(b) && isIdentByte(b[ne]) {
		ne++
	}
	if ne == ns {
		return 0
	}
	name := string(b[ns:ne])
	t := nextSig(b, ne)
	if t >= len(b) || (b[t] != ',' && b[t] != ')') {
		return 0
	}
	head := "long " + prefix + name + "("
	if b[t] == ')' {
		head += "void)"
	}
	if len(head) > t+1-s {
		return 0
	}
	blank(b, s, t+1)
	copy(b[s:], "long")
	copy(b[t+1-len(head)+4:], head[4:])
	if b[t] == ')' || strings.HasSuffix(head, ")") {
		return t + 1
	}
	// turn "type, name, type, name" into "type name, type name"
	n := 0
	eachTopLevel(b, t, e, func(k int) bool {
		if b[k] == ',' {
			if n%2 == 0 {
				b[k] = ' '
			}
			n++
		}
		return true
	})
	return t + 1
}

// words before "(" that do not make a call.
var notCallWords = map[string]bool{
	"if": true, "while": true, "for": true, "switch": true, "return": true, "sizeof": true,
	"typeof": true, "__typeof__": true, "__typeof": true, "_Alignof": true, "__alignof__": true,
	"alignof": true, "offsetof": true, "__builtin_offsetof": true, "case": true, "do": true,
	"else": true, "__attribute__": true, "asm": true, "__asm__": true, "__asm": true,
	"_Static_assert": true, "static_assert": true, "__builtin_types_compatible_p": true,
	"_Generic": true, "volatile": true, "__volatile__": true, "goto": true,
}

// type words that can start a type given as a macro argument.
var typeStartWords = map[string]bool{
	"struct": true, "union": true, "enum": true, "const": true, "volatile": true,
	"unsigned": true, "signed": true, "long": true, "short": true,
}

// typeArg rewrites a macro argument that is a type or an operator, which
// C grammar cannot take as an argument: "struct foo *" becomes the
// identifier "struct_foo" (stars blanked), "unsigned long" becomes
// "unsigned_long", "==" becomes "__". i is just after "(" or ",".
func typeArg(b []byte, i int) {
	j := nextSig(b, i)
	if j >= len(b) {
		return
	}
	if !isIdentStart(b[j]) {
		// an operator as an argument: ASSERTCMP(a, ==, b)
		k := j
		for k < len(b) && strings.IndexByte("=<>!&|^+-*/%", b[k]) >= 0 {
			k++
		}
		if k == j || k-j > 3 {
			return
		}
		e := nextSig(b, k)
		if e < len(b) && (b[e] == ',' || b[e] == ')') {
			if k-j == 1 && b[j] == '*' {
				return
			}
			for q := j; q < k; q++ {
				b[q] = '_'
			}
		}
		return
	}
	words := 0
	first := ""
	k := j
	last := j
	var gaps [][2]int
	for {
		s := k
		for k < len(b) && isIdentByte(b[k]) {
			k++
		}
		if k == s {
			break
		}
		if words == 0 {
			first = string(b[s:k])
			if !typeStartWords[first] {
				return
			}
		}
		words++
		last = k
		n := k
		for n < len(b) && (b[n] == ' ' || b[n] == '\t') {
			n++
		}
		if n < len(b) && isIdentStart(b[n]) {
			gaps = append(gaps, [2]int{k, n})
			k = n
			continue
		}
		break
	}
	if words < 2 {
		return
	}
	// optional stars, then the end of the argument
	e := last
	stars := []int{}
	for e < len(b) {
		if b[e] == ' ' || b[e] == '\t' {
			e++
			continue
		}
		if b[e] == '*' {
			stars = append(stars, e)
			e++
			continue
		}
		break
	}
	if e >= len(b) || (b[e] != ',' && b[e] != ')') {
		return
	}
	for _, g := range gaps {
		for q := g[0]; q < g[1]; q++ {
			b[q] = '_'
		}
	}
	for _, st := range stars {
		b[st] = ' '
	}
}

var keywords = map[string]bool{
	"if": true, "while": true, "for": true, "switch": true, "return": true, "sizeof": true,
	"do": true, "else": true, "case": true, "default": true, "goto": true, "break": true,
	"continue": true, "asm": true, "__asm__": true, "__asm": true, "typeof": true, "__typeof__": true,
}

// offsetofMember blanks a nested member designator in offsetof(T, a.b[c])
// down to its first name, which tree-sitter's offsetof takes. i is just
// after the word offsetof.
func offsetofMember(b []byte, i int) {
	j := nextSig(b, i)
	if j >= len(b) || b[j] != '(' {
		return
	}
	e := matchParen(b, j)
	if e < 0 {
		return
	}
	// the last top-level comma
	comma := -1
	eachTopLevel(b, j, e, func(k int) bool {
		if b[k] == ',' {
			comma = k
		}
		return true
	})
	if comma < 0 {
		return
	}
	m := nextSig(b, comma+1)
	for m < e-1 && isIdentByte(b[m]) {
		m++
	}
	if m < e-1 {
		blank(b, m, e-1)
	}
}

// stmtMacro reports whether the parenthesized arguments at [j,e) hold
// statements: a ";" at their top level, or a statement keyword first.
func stmtMacro(b []byte, j, e int) bool {
	k := nextSig(b, j+1)
	switch identAt(b, k) {
	case "if", "for", "while", "do", "switch", "return":
		return true
	}
	semicolon := false
	eachTopLevel(b, j, e, func(k int) bool {
		semicolon = b[k] == ';'
		return !semicolon
	})
	return semicolon
}

// asmStmt simplifies inline assembly at [s,i) (the asm keyword): an asm
// label after a declarator ("register long r0 asm(\"r0\")", label) is
// blanked; otherwise the volatile qualifiers are blanked and, unless it is
// an asm goto (whose labels the lowering needs), the operands become
// spaces after an empty template: asm("" ), so that templates built by
// macros (ALTERNATIVE(...)) still parse. It returns the offset after the
// statement's parentheses, or 0.
func asmStmt(b []byte, s, i int, label bool) int {
	j := nextSig(b, i)
	isGoto := false
	var quals [][2]int
	for {
		w := identAt(b, j)
		switch w {
		case "volatile", "__volatile__", "__volatile", "inline", "__inline__", "__inline":
			quals = append(quals, [2]int{j, j + len(w)})
			j = nextSig(b, j+len(w))
			continue
		case "goto":
			isGoto = true
			j = nextSig(b, j+len(w))
			continue
		}
		break
	}
	if j >= len(b) || b[j] != '(' {
		return 0
	}
	e := matchParen(b, j)
	if e < 0 {
		return 0
	}
	if label {
		blank(b, s, e)
		return e
	}
	for _, q := range quals {
		blank(b, q[0], q[1])
	}
	if isGoto || e-j < 4 {
		return e
	}
	blank(b, j+1, e-1)
	b[j+1], b[j+2] = '"', '"'
	return e
}
