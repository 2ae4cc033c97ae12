// Package cparse is the C front end: a kernel-aware, offset-preserving
// pre-pass, tree-sitter C, and the lowering of each function into the
// control-flow form of package flow (ParseC); Scan walks whole trees.
// Patches and e-mails are read, and cut into units of C text, by package
// patch.
package cparse

// The C front end: a byte-for-byte, offset-preserving pre-pass that hides
// the kernel macros tree-sitter cannot expand, tree-sitter C on the result,
// and the extraction of functions and structs. Positions are computed from
// byte offsets against the original text, so they are exact whatever the
// pre-pass rewrote.
//
// The pre-pass (prepass, conditionals):
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
//   - statement expressions ({ ... }) are cut out (a "(0 ...)" placeholder
//     stays) and parsed on their own when the lowering meets them.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	sitter "github.com/smacker/go-tree-sitter"
	tsc "github.com/smacker/go-tree-sitter/c"

	"github.com/tagcheck/tagcheck/flow"
)

// CFile is one parsed C text.
type CFile struct {
	Path     string
	Lines    int
	Funcs    []*flow.Func                 // every function definition, in source order
	Structs  map[string]map[string]string // struct tag -> field -> field type as written ("struct nsproxy *")
	Degraded int                          // functions whose bodies kept unrecovered ERROR nodes
}

// ParseOptions tunes the lowering.
type ParseOptions struct {
	NoReturn func(callee string) bool // calls that end the path (BUG, panic); nil: none
}

var (
	cLang      = tsc.GetLanguage()
	symNames   []string
	symOnce    sync.Once
	parserPool = sync.Pool{New: func() any { return newParser() }}
)

func newParser() *sitter.Parser {
	p := sitter.NewParser()
	p.SetLanguage(cLang)
	return p
}

// kindOf returns the grammar name of n without the allocation of
// Node.Type.
func kindOf(n *sitter.Node) string {
	symOnce.Do(func() {
		cnt := int(cLang.SymbolCount())
		symNames = make([]string, cnt)
		for i := 0; i < cnt; i++ {
			symNames[i] = cLang.SymbolName(sitter.Symbol(i))
		}
	})
	s := int(n.Symbol())
	if s < len(symNames) {
		return symNames[s]
	}
	return "ERROR"
}

// ParseC parses src (one file, or a patch fragment wrapped by the patch
// reader) and lowers every function. Line N of src is line N of the
// reported positions; File in positions is path.
func ParseC(path string, src []byte, opt ParseOptions) (*CFile, error) {
	p := parserPool.Get().(*sitter.Parser)
	f, err := parseWith(p, path, src, opt)
	parserPool.Put(p)
	return f, err
}

// maxSize bounds what ParseC accepts: tree-sitter offsets are 32-bit.
const maxSize = 1 << 30

func parseWith(p *sitter.Parser, path string, src []byte, opt ParseOptions) (*CFile, error) {
	if len(src) > maxSize {
		return nil, fmt.Errorf("%s: %d bytes is too large to parse", path, len(src))
	}
	head := src
	if len(head) > 8192 {
		head = head[:8192]
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return nil, fmt.Errorf("%s: binary data (NUL byte), not C source", path)
	}
	pp := prepass(src)
	tree, err := p.ParseCtx(context.Background(), nil, pp.rw)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if tree == nil {
		return nil, errors.New(path + ": tree-sitter returned no tree")
	}
	defer tree.Close()
	cf := &CFile{Path: path, Lines: bytes.Count(src, []byte{'\n'}), Structs: map[string]map[string]string{}}
	if len(src) > 0 && src[len(src)-1] != '\n' {
		cf.Lines++
	}
	c := &ctx{src: src, rw: pp.rw, pp: pp, path: path, lines: lineStarts(src), parser: p, opt: opt}
	c.topLevel(tree.RootNode(), cf)
	if c.cur != nil {
		c.cur.Close()
	}
	for _, fn := range cf.Funcs {
		if fn.Degraded {
			cf.Degraded++
		}
	}
	return cf, nil
}

// ctx is one parse: the texts, the line table and, while a statement
// expression is lowered, the offset of the sub-tree being read.
// hasLockAnnotation reports whether a function header carries one of
// sparse's lock-context annotations.
func hasLockAnnotation(header []byte) bool {
	for _, a := range []string{"__acquires(", "__releases(", "__must_hold(", "__cond_acquires("} {
		if bytes.Contains(header, []byte(a)) {
			return true
		}
	}
	return false
}

// annotationArgs returns the argument text of each ann(...) in header;
// ann ends with its opening parenthesis.
func annotationArgs(header []byte, ann string) []string {
	var out []string
	for off := 0; ; {
		i := bytes.Index(header[off:], []byte(ann))
		if i < 0 {
			return out
		}
		open := off + i + len(ann) - 1
		end := matchParen(header, open)
		if end < 0 {
			return out
		}
		if a := strings.TrimSpace(string(header[open+1 : end-1])); a != "" {
			out = append(out, a)
		}
		off = end
	}
}

type ctx struct {
	src, rw []byte
	pp      *prep
	base    int // added to node offsets: non-zero inside a statement expression's sub-parse
	path    string
	lines   []int
	parser  *sitter.Parser
	opt     ParseOptions
	depth   int // statement-expression nesting
	cur     *sitter.TreeCursor
}

func lineStarts(src []byte) []int {
	ls := make([]int, 1, len(src)/30+1)
	for i, b := range src {
		if b == '\n' {
			ls = append(ls, i+1)
		}
	}
	return ls
}

func (c *ctx) posAt(off int) flow.Pos {
	i := sort.Search(len(c.lines), func(i int) bool { return c.lines[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return flow.Pos{File: c.path, Line: i + 1, Col: off - c.lines[i] + 1}
}

func (c *ctx) start(n *sitter.Node) int { return c.base + int(n.StartByte()) }
func (c *ctx) end(n *sitter.Node) int   { return c.base + int(n.EndByte()) }
func (c *ctx) pos(n *sitter.Node) flow.Pos {
	return c.posAt(c.start(n))
}

// text is the original source text of n.
func (c *ctx) text(n *sitter.Node) string {
	s, e := c.start(n), c.end(n)
	if s < 0 || e > len(c.src) || s > e {
		return ""
	}
	return string(c.src[s:e])
}

// rwText is the text of n as tree-sitter saw it (attributes blanked),
// white space collapsed.
func (c *ctx) rwText(n *sitter.Node) string {
	s, e := c.start(n), c.end(n)
	if s < 0 || e > len(c.rw) || s > e {
		return ""
	}
	return squash(string(c.rw[s:e]))
}

// squash collapses runs of white space (and line continuations) to one
// space and trims the ends.
func squash(s string) string {
	var b strings.Builder
	space := false
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch == '\\' && i+1 < len(s) && (s[i+1] == '\n' || s[i+1] == '\r') {
			space = true
			continue
		}
		if ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteByte(ch)
	}
	return b.String()
}

// children returns all children of n (named and anonymous) with a cursor:
// indexed access is quadratic in tree-sitter.
// cursor returns the parse's one tree cursor, reset to n: creating a
// cursor per walk costs an allocation and a finalizer.
func (c *ctx) cursor(n *sitter.Node) *sitter.TreeCursor {
	if c.cur == nil {
		c.cur = sitter.NewTreeCursor(n)
	} else {
		c.cur.Reset(n)
	}
	return c.cur
}

func (c *ctx) children(n *sitter.Node) []*sitter.Node {
	if n == nil {
		return nil
	}
	cnt := int(n.ChildCount())
	if cnt <= 6 {
		// indexed access is a single call per child for small nodes
		out := make([]*sitter.Node, cnt)
		for i := range out {
			out[i] = n.Child(i)
		}
		return out
	}
	cur := c.cursor(n)
	out := make([]*sitter.Node, 0, cnt)
	if cur.GoToFirstChild() {
		for {
			out = append(out, cur.CurrentNode())
			if !cur.GoToNextSibling() {
				break
			}
		}
	}
	return out
}

func (c *ctx) namedChildren(n *sitter.Node) []*sitter.Node {
	all := c.children(n)
	out := all[:0]
	for _, ch := range all {
		if ch.IsNamed() {
			out = append(out, ch)
		}
	}
	return out
}

func field(n *sitter.Node, name string) *sitter.Node {
	if n == nil {
		return nil
	}
	return n.ChildByFieldName(name)
}

// ---- top level: functions and structs ----

func (c *ctx) topLevel(n *sitter.Node, cf *CFile) {
	for _, ch := range c.children(n) {
		switch kindOf(ch) {
		case "function_definition":
			if fn := c.function(ch); fn != nil {
				cf.Funcs = append(cf.Funcs, fn)
			}
			c.structsIn(field(ch, "type"), cf)
		case "declaration", "type_definition", "struct_specifier", "union_specifier":
			c.structsIn(ch, cf)
		case "preproc_if", "preproc_ifdef", "preproc_else", "preproc_elif", "preproc_elifdef",
			"linkage_specification", "declaration_list", "ERROR", "expression_statement":
			c.topLevel(ch, cf)
		case "comment", "preproc_def", "preproc_function_def", "preproc_include", "preproc_call",
			"string_literal", "number_literal", "identifier", "primitive_type":
		default:
			if ch.IsNamed() && ch.ChildCount() > 0 {
				c.topLevel(ch, cf)
			}
		}
	}
}

// structsIn records every struct with a body under n (a declaration or
// type at file scope).
func (c *ctx) structsIn(n *sitter.Node, cf *CFile) {
	if n == nil {
		return
	}
	switch kindOf(n) {
	case "struct_specifier", "union_specifier":
		body := field(n, "body")
		name := field(n, "name")
		if body != nil {
			if name != nil {
				tag := c.text(name)
				m := cf.Structs[tag]
				if m == nil {
					m = map[string]string{}
					cf.Structs[tag] = m
				}
				c.fieldsOf(body, m, cf)
			} else {
				c.fieldsOf(body, map[string]string{}, cf)
			}
		}
		return
	case "declaration", "type_definition", "field_declaration", "parameter_declaration":
		// only the type can hold a struct body
		c.structsIn(field(n, "type"), cf)
		return
	case "enum_specifier", "compound_statement", "function_definition", "comment":
		return
	}
	if n.ChildCount() > 0 {
		for _, ch := range c.namedChildren(n) {
			c.structsIn(ch, cf)
		}
	}
}

func (c *ctx) fieldsOf(body *sitter.Node, m map[string]string, cf *CFile) {
	for _, ch := range c.namedChildren(body) {
		switch kindOf(ch) {
		case "field_declaration":
			typ := field(ch, "type")
			if typ == nil {
				continue
			}
			base := c.baseType(ch, typ)
			decls := false
			for _, d := range c.fieldDeclarators(ch) {
				decls = true
				name, t := c.declType(base, d)
				if name != "" {
					m[name] = t
				}
			}
			k := kindOf(typ)
			if k == "struct_specifier" || k == "union_specifier" {
				if !decls && field(typ, "name") == nil && field(typ, "body") != nil {
					// anonymous member: its fields belong to the parent
					c.fieldsOf(field(typ, "body"), m, cf)
				} else {
					c.structsIn(typ, cf)
				}
			}
		case "preproc_if", "preproc_ifdef", "preproc_else", "preproc_elif", "preproc_elifdef",
			"preproc_if_in_field_declaration_list", "preproc_ifdef_in_field_declaration_list",
			"preproc_else_in_field_declaration_list", "preproc_elif_in_field_declaration_list",
			"preproc_elifdef_in_field_declaration_list":
			c.fieldsOf(ch, m, cf)
		}
	}
}

func (c *ctx) fieldDeclarators(n *sitter.Node) []*sitter.Node {
	var out []*sitter.Node
	cur := c.cursor(n)
	if cur.GoToFirstChild() {
		for {
			if cur.CurrentFieldName() == "declarator" {
				out = append(out, cur.CurrentNode())
			}
			if !cur.GoToNextSibling() {
				break
			}
		}
	}
	return out
}

// baseType is the type specifier of a declaration with its qualifiers
// (const, volatile), as tree-sitter saw it.
func (c *ctx) baseType(decl, typ *sitter.Node) string {
	var parts []string
	for _, ch := range c.children(decl) {
		if same(ch, typ) {
			break
		}
		if kindOf(ch) == "type_qualifier" {
			parts = append(parts, c.rwText(ch))
		}
	}
	t := c.rwText(typ)
	k := kindOf(typ)
	if (k == "struct_specifier" || k == "union_specifier" || k == "enum_specifier") && field(typ, "body") != nil {
		kw := strings.TrimSuffix(k, "_specifier")
		if nm := field(typ, "name"); nm != nil {
			t = kw + " " + c.text(nm)
		} else {
			t = kw + " {...}"
		}
	}
	parts = append(parts, t)
	return strings.Join(parts, " ")
}

// declName finds the declared identifier under a declarator.
func declName(d *sitter.Node) *sitter.Node {
	for d != nil {
		switch kindOf(d) {
		case "identifier", "field_identifier", "type_identifier":
			return d
		case "init_declarator", "pointer_declarator", "pointer_field_declarator", "pointer_type_declarator",
			"array_declarator", "array_field_declarator", "array_type_declarator",
			"function_declarator", "function_field_declarator", "function_type_declarator":
			d = field(d, "declarator")
		case "parenthesized_declarator", "parenthesized_field_declarator", "parenthesized_type_declarator",
			"attributed_declarator", "attributed_field_declarator":
			if d.NamedChildCount() == 0 {
				return nil
			}
			d = d.NamedChild(0)
		default:
			return nil
		}
	}
	return nil
}

// declType returns the name a declarator declares and its type: the base
// type followed by the declarator with the name taken out
// ("struct nsproxy *", "char [16]", "int (*)(int)").
func (c *ctx) declType(base string, d *sitter.Node) (string, string) {
	if kindOf(d) == "init_declarator" {
		d = field(d, "declarator")
	}
	if d == nil {
		return "", base
	}
	nm := declName(d)
	if nm == nil {
		return "", base
	}
	s, e := c.start(d), c.end(d)
	ns, ne := c.start(nm), c.end(nm)
	if ns < s || ne > e || e > len(c.rw) {
		return c.text(nm), base
	}
	rest := squash(string(c.rw[s:ns]) + " " + string(c.rw[ne:e]))
	rest = strings.ReplaceAll(rest, "* *", "**")
	rest = strings.ReplaceAll(rest, "* *", "**")
	rest = strings.ReplaceAll(rest, "( ", "(")
	rest = strings.ReplaceAll(rest, " )", ")")
	if rest == "" {
		return c.text(nm), base
	}
	return c.text(nm), base + " " + rest
}

// function lowers one function_definition.
func (c *ctx) function(n *sitter.Node) *flow.Func {
	decl := field(n, "declarator")
	body := field(n, "body")
	if decl == nil || body == nil {
		return nil
	}
	// find the function_declarator, counting the pointer levels of the result
	stars := ""
	fd := decl
	for fd != nil && kindOf(fd) != "function_declarator" {
		switch kindOf(fd) {
		case "pointer_declarator":
			stars += "*"
			fd = field(fd, "declarator")
		case "parenthesized_declarator", "attributed_declarator":
			nc := c.namedChildren(fd)
			if len(nc) == 0 {
				fd = nil
			} else {
				fd = nc[0]
			}
		default:
			fd = nil
		}
	}
	if fd == nil {
		return nil
	}
	nameN := field(fd, "declarator")
	for nameN != nil && kindOf(nameN) != "identifier" {
		// int (*f(void))(int) and the like: take the innermost name
		nm := declName(nameN)
		if nm == nil || same(nm, nameN) {
			break
		}
		nameN = nm
	}
	if nameN == nil || kindOf(nameN) != "identifier" {
		return nil
	}
	fn := &flow.Func{
		Name:   c.rwText(nameN),
		File:   c.path,
		Pos:    c.pos(nameN),
		End:    c.posAt(c.end(body) - 1),
		Locals: map[string]string{},
	}
	fn.Lines = fn.End.Line - c.pos(n).Line + 1
	if typ := field(n, "type"); typ != nil {
		fn.Result = c.baseType(n, typ)
		if stars != "" {
			fn.Result += " " + stars
		}
	}
	for _, ch := range c.children(n) {
		if kindOf(ch) == "storage_class_specifier" && c.rwText(ch) == "static" {
			fn.Static = true
		}
	}
	// The pre-pass blanks the sparse annotations; the original text still
	// has them, and they say what the function does with locks.
	if h0, h1 := c.start(n), c.start(body); h0 >= 0 && h1 <= len(c.src) && h0 < h1 {
		fn.LockContract = hasLockAnnotation(c.src[h0:h1])
		// __releases(x) __acquires(x) together drop and retake x: not a release.
		acq := annotationArgs(c.src[h0:h1], "__acquires(")
		for _, r := range annotationArgs(c.src[h0:h1], "__releases(") {
			if !slices.Contains(acq, r) {
				fn.Releases = append(fn.Releases, r)
			}
		}
	}
	if pl := field(fd, "parameters"); pl != nil {
		for _, p := range c.namedChildren(pl) {
			if kindOf(p) != "parameter_declaration" {
				continue
			}
			typ := field(p, "type")
			if typ == nil {
				continue
			}
			base := c.baseType(p, typ)
			d := field(p, "declarator")
			if d == nil {
				continue // void, or an unnamed parameter
			}
			name, t := c.declType(base, d)
			if name == "" {
				continue
			}
			fn.Params = append(fn.Params, flow.Param{Name: name, Type: t})
		}
	}
	fn.Degraded = body.HasError()
	if fn.Degraded {
		if e := firstError(body); e != nil {
			fn.DegradedLine = c.posAt(c.start(e)).Line
			if debugDegraded != nil {
				debugDegraded(c.path, fn.DegradedLine, fn.Name)
			}
		}
	}
	c.lowerBody(fn, body)
	return fn
}

// ---- the pre-pass ----

// prep is the result of the pre-pass: rw has the length of the source and
// the same bytes except where a macro was blanked or renamed.
type prep struct {
	rw        []byte
	loops     map[int]string // offset of a "while" written over a macro loop head -> macro name
	scoped    map[int]string // offset of a "while" written over scoped_guard -> macro name
	stmtExprs map[int][]byte // offset of "({" -> the statement expression as a stand-alone compound statement
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

func isIdentStart(b byte) bool {
	return b == '_' || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')
}
func isIdentByte(b byte) bool { return isIdentStart(b) || (b >= '0' && b <= '9') }
func isSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v'
}

// blank replaces b[s:e] with spaces, keeping line breaks.
func blank(b []byte, s, e int) {
	if s < 0 {
		s = 0
	}
	if e > len(b) {
		e = len(b)
	}
	for i := s; i < e; i++ {
		if b[i] != '\n' && b[i] != '\r' {
			b[i] = ' '
		}
	}
}

// skipComment returns the end of a comment starting at i, or i.
func skipComment(b []byte, i int) int {
	if i+1 >= len(b) || b[i] != '/' {
		return i
	}
	if b[i+1] == '/' {
		j := i + 2
		for j < len(b) && b[j] != '\n' {
			if b[j] == '\\' && j+1 < len(b) && b[j+1] == '\n' {
				j++
			}
			j++
		}
		return j
	}
	if b[i+1] == '*' {
		j := bytes.Index(b[i+2:], []byte("*/"))
		if j < 0 {
			return len(b)
		}
		return i + 2 + j + 2
	}
	return i
}

// skipQuoted returns the end of a string or character literal at i.
func skipQuoted(b []byte, i int) int {
	q := b[i]
	j := i + 1
	for j < len(b) {
		switch b[j] {
		case '\\':
			j += 2
			continue
		case '\n':
			return j
		case q:
			return j + 1
		}
		j++
	}
	return len(b)
}

// nextSig returns the index of the next significant byte at or after i.
func nextSig(b []byte, i int) int {
	for i < len(b) {
		if isSpace(b[i]) {
			i++
			continue
		}
		if b[i] == '\\' && i+1 < len(b) && (b[i+1] == '\n' || b[i+1] == '\r') {
			i += 2
			continue
		}
		if b[i] == '/' && i+1 < len(b) && (b[i+1] == '/' || b[i+1] == '*') {
			i = skipComment(b, i)
			continue
		}
		return i
	}
	return len(b)
}

// directiveEnd returns the end of the preprocessor line starting at i
// (continuation lines and comments included), not counting the newline.
func directiveEnd(b []byte, i int) int {
	j := i
	for j < len(b) {
		switch b[j] {
		case '\n':
			return j
		case '\\':
			if j+1 < len(b) && b[j+1] == '\n' {
				j += 2
				continue
			}
			if j+2 < len(b) && b[j+1] == '\r' && b[j+2] == '\n' {
				j += 3
				continue
			}
		case '/':
			if j+1 < len(b) && b[j+1] == '*' {
				j = skipComment(b, j)
				continue
			}
		case '"', '\'':
			j = skipQuoted(b, j)
			continue
		}
		j++
	}
	return j
}

// matchParen returns the index just after the parenthesis (or brace or
// bracket) closing the one at i, or -1.
func matchParen(b []byte, i int) int {
	depth := 0
	for j := i; j < len(b); {
		switch ch := b[j]; ch {
		case '(', '{', '[':
			depth++
		case ')', '}', ']':
			depth--
			if depth == 0 {
				return j + 1
			}
		case '"', '\'':
			j = skipQuoted(b, j)
			continue
		case '/':
			if k := skipComment(b, j); k > j {
				j = k
				continue
			}
		case '#':
			// a directive inside the arguments: skip the line
			k := j - 1
			for k >= 0 && (b[k] == ' ' || b[k] == '\t') {
				k--
			}
			if k < 0 || b[k] == '\n' {
				j = directiveEnd(b, j)
				continue
			}
		}
		j++
	}
	return -1
}

type cdir struct {
	start, end int // the directive line
	kind       string
	zero       bool // #if 0
	brace      int  // raw brace depth before the directive
	paren      int
	last       byte // the last code byte before the directive
	lastPos    int
}

// skipBlank steps over one run of what the lexical pre-pass scanners
// ignore — a newline (which starts a line, for directives), other white
// space, or a comment — and reports whether it did.
func skipBlank(b []byte, i int, lineStart *bool) (int, bool) {
	ch := b[i]
	switch {
	case ch == '\n':
		*lineStart = true
		return i + 1, true
	case isSpace(ch):
		return i + 1, true
	case ch == '/' && i+1 < len(b) && (b[i+1] == '/' || b[i+1] == '*'):
		return skipComment(b, i), true
	}
	return i, false
}

// conditionals blanks the preprocessor conditionals that tree-sitter
// cannot take: inside braces or parentheses (function bodies, struct
// bodies, initializers, argument lists) and around unbalanced text, only
// the first branch is kept (the first that is not "#if 0"); the
// directive lines and the other branches become spaces. Conditionals at
// file scope whose branches are balanced stay for tree-sitter, which
// parses them as preproc_if with both branches.
func conditionals(b []byte) {
	var dirs []cdir
	brace, paren := 0, 0
	lineStart := true
	var last byte
	lastPos := -1
	for i := 0; i < len(b); {
		ch := b[i]
		if !isSpace(ch) && ch != '#' && !(ch == '/' && i+1 < len(b) && (b[i+1] == '/' || b[i+1] == '*')) {
			last, lastPos = ch, i
		}
		if j, ok := skipBlank(b, i, &lineStart); ok {
			i = j
			continue
		}
		switch {
		case ch == '#' && lineStart:
			e := directiveEnd(b, i)
			j := nextSig(b, i+1)
			k := j
			for k < e && isIdentByte(b[k]) {
				k++
			}
			kind := string(b[j:k])
			switch kind {
			case "if", "ifdef", "ifndef", "elif", "else", "endif", "elifdef", "elifndef":
				d := cdir{start: i, end: e, kind: kind, brace: brace, paren: paren, last: last, lastPos: lastPos}
				if kind == "if" || kind == "elif" {
					arg := squash(string(b[k:e]))
					if c := strings.Index(arg, "/*"); c >= 0 {
						arg = strings.TrimSpace(arg[:c])
					}
					d.zero = arg == "0"
				}
				dirs = append(dirs, d)
			}
			i = e
			continue
		case ch == '"' || ch == '\'':
			i = skipQuoted(b, i)
		case ch == '{':
			brace++
			i++
		case ch == '}':
			brace--
			i++
		case ch == '(':
			paren++
			i++
		case ch == ')':
			paren--
			i++
		case isIdentByte(ch):
			for i < len(b) && isIdentByte(b[i]) {
				i++
			}
		default:
			i++
		}
		lineStart = false
	}
	if len(dirs) == 0 {
		return
	}
	// group the directives: for each #if, the indices of its branches
	type group struct {
		dirs     []int
		balanced bool
	}
	groupOf := make([]*group, len(dirs))
	var stack []*group
	for i, d := range dirs {
		switch d.kind {
		case "if", "ifdef", "ifndef":
			g := &group{dirs: []int{i}}
			stack = append(stack, g)
			groupOf[i] = g
		case "elif", "else", "elifdef", "elifndef", "endif":
			if len(stack) == 0 {
				blank(b, d.start, d.end) // stray: a fragment
				continue
			}
			g := stack[len(stack)-1]
			g.dirs = append(g.dirs, i)
			groupOf[i] = g
			if d.kind == "endif" {
				stack = stack[:len(stack)-1]
			}
		}
	}
	for _, g := range groupOf {
		if g == nil || len(g.dirs) == 0 || groupOf[g.dirs[0]] != g {
			continue
		}
		g.balanced = true
		for k := 0; k+1 < len(g.dirs); k++ {
			a, z := dirs[g.dirs[k]], dirs[g.dirs[k+1]]
			if a.brace != z.brace || a.paren != z.paren {
				g.balanced = false
			}
			// each branch must end a declaration: not "int f(int a)" then "#else"
			if z.lastPos > a.start && z.last != ';' && z.last != '}' {
				g.balanced = false
			}
		}
		if dirs[g.dirs[len(g.dirs)-1]].kind != "endif" {
			g.balanced = false
		}
	}
	// walk in order keeping the kept depth
	type frame struct {
		g        *group
		intact   bool
		branch   int  // index of the current branch
		selected int  // kept branch (not intact), -1 none yet
		kept     bool // the current branch's text is kept
		parent   bool // the enclosing text is kept
	}
	var fs []*frame
	keptBrace, keptParen := dirs[0].brace, dirs[0].paren
	for i, d := range dirs {
		g := groupOf[i]
		if g == nil {
			continue
		}
		parentKept := len(fs) == 0 || fs[len(fs)-1].kept
		var f *frame
		if g.dirs[0] == i {
			f = &frame{g: g, selected: -1, parent: parentKept}
			f.intact = g.balanced && keptBrace == 0 && keptParen == 0
			fs = append(fs, f)
		} else {
			if len(fs) == 0 || fs[len(fs)-1].g != g {
				continue
			}
			f = fs[len(fs)-1]
			f.branch++
		}
		if !f.intact || !f.parent {
			blank(b, d.start, d.end)
		}
		if d.kind == "endif" {
			fs = fs[:len(fs)-1]
		} else {
			if f.intact {
				f.kept = f.parent && !d.zero
			} else {
				if f.selected < 0 && !d.zero {
					f.selected = f.branch
				}
				f.kept = f.parent && f.selected == f.branch
			}
		}
		// the text up to the next conditional directive
		segEnd := len(b)
		if i+1 < len(dirs) {
			segEnd = dirs[i+1].start
		}
		curKept := len(fs) == 0 || fs[len(fs)-1].kept
		if curKept {
			nb, np := 0, 0
			if i+1 < len(dirs) {
				nb, np = dirs[i+1].brace-d.brace, dirs[i+1].paren-d.paren
			}
			// the branches of an intact group are balanced; count the first only
			countIt := true
			for _, fr := range fs {
				if fr.intact && fr.branch > 0 {
					countIt = false
				}
			}
			if countIt {
				keptBrace += nb
				keptParen += np
			}
		} else {
			blank(b, d.end, segEnd)
		}
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
	p := &prep{rw: b}
	type span struct{ s, e int }
	var spans []span
	depth := 0
	lineStart := true
	var prevPunct byte = ';'
	prevIdent := ""
	var parens []bool // open parentheses: true for a call's arguments
	spanBytes := 0
	inCase := false
	for i := 0; i < len(b); {
		ch := b[i]
		if j, ok := skipBlank(b, i, &lineStart); ok {
			i = j
			continue
		}
		if ch == '#' && lineStart {
			i = directiveEnd(b, i)
			continue
		}
		lineStart = false
		switch {
		case ch == '"' || ch == '\'':
			i = skipQuoted(b, i)
			prevPunct, prevIdent = 0, ""
		case ch >= '0' && ch <= '9':
			for i < len(b) && (isIdentByte(b[i]) || b[i] == '.') {
				i++
			}
			prevPunct, prevIdent = 0, ""
		case isIdentStart(ch):
			s := i
			for i < len(b) && isIdentByte(b[i]) {
				i++
			}
			word := string(b[s:i])
			if word == "case" && depth > 0 {
				inCase = true
			}
			stmtHead := depth > 0 && (prevPunct == ';' || prevPunct == '{' || prevPunct == '}' ||
				prevPunct == ')' || prevPunct == ':' || prevIdent == "else" || prevIdent == "do")
			prevWord := prevIdent
			prevPunct, prevIdent = 0, word
			if word == "asm" || word == "__asm__" || word == "__asm" {
				if e := asmStmt(b, s, i, prevWord != "" && !keywords[prevWord] && !typeStartWords[prevWord]); e > 0 {
					i = e
					prevPunct, prevIdent = ')', ""
					continue
				}
			}
			switch {
			case attrWords[word]:
				blank(b, s, i)
				prevIdent = ""
				prevPunct = 0
				continue
			case attrCalls[word]:
				j := nextSig(b, i)
				if j < len(b) && b[j] == '(' {
					if e := matchParen(b, j); e > 0 {
						blank(b, s, e)
						i = e
						continue
					}
				}
				blank(b, s, i)
				continue
			}
			if depth > 0 && word == "static" {
				// static DEFINE_RATELIMIT_STATE(rs, ...); in a body: a call
				j := nextSig(b, i)
				if j+7 < len(b) && (bytes.HasPrefix(b[j:], []byte("DEFINE_")) || bytes.HasPrefix(b[j:], []byte("DECLARE_"))) {
					blank(b, s, i)
					continue
				}
			}
			if word == "offsetof" && depth > 0 {
				offsetofMember(b, i)
			}
			if stmtHead && word != "default" && word != "case" {
				// a label closing a block or before a declaration: add the empty statement
				j := nextSig(b, i)
				if j < len(b) && b[j] == ':' && (j+1 >= len(b) || b[j+1] != ':') {
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
			}
			if stmtHead && len(word) >= 5 {
				lw := strings.ToLower(word)
				loop := strings.Contains(lw, "for_each") || strings.Contains(lw, "foreach") || strings.HasPrefix(word, "while_each_")
				scoped := word == "scoped_guard" || word == "scoped_cond_guard"
				doEach := strings.HasPrefix(word, "do_each_")
				if loop || scoped || doEach {
					j := nextSig(b, i)
					if j < len(b) && b[j] == '(' {
						if e := matchParen(b, j); e > 0 {
							k := nextSig(b, e)
							nx := byte(';')
							if k < len(b) {
								nx = b[k]
							}
							isStmt := nx == '{' || isIdentStart(nx) || nx == '(' || nx == '*'
							if strings.HasPrefix(word, "while_each_") {
								isStmt = true
							}
							if isStmt {
								switch {
								case doEach:
									blank(b, s, e)
									copy(b[s:], doBytes)
									prevIdent = "do"
								case scoped:
									blank(b, s, i)
									copy(b[s:], whileBytes)
									if p.scoped == nil {
										p.scoped = map[int]string{}
									}
									p.scoped[s] = word
								default:
									blank(b, s, i)
									copy(b[s:], whileBytes)
									if p.loops == nil {
										p.loops = map[int]string{}
									}
									p.loops[s] = word
								}
								continue
							}
						}
					}
				}
			}
			if stmtHead && depth > 0 && !keywords[word] {
				// any other macro call followed by a block is a loop-like macro
				j := nextSig(b, i)
				if j < len(b) && b[j] == '(' {
					if e := matchParen(b, j); e > 0 {
						if stmtMacro(b, j, e) {
							// D1(if (x) y();) or ASSERT(c, dump(r);): statements as the
							// argument become a block
							blank(b, s, j+1)
							b[j] = '{'
							b[e-1] = '}'
							prevPunct, prevIdent = '{', ""
							depth++
							i = j + 1
							continue
						}
						if k := nextSig(b, e); k < len(b) && b[k] == '{' && len(word) >= 5 {
							blank(b, s, i)
							copy(b[s:], whileBytes)
							if p.loops == nil {
								p.loops = map[int]string{}
							}
							p.loops[s] = word
							continue
						}
					}
				}
			}
			if depth == 0 && strings.Contains(word, "SYSCALL") {
				if e := syscallDefine(b, s, i, word); e > 0 {
					i = e
					prevIdent = ""
					continue
				}
			}
			continue
		case ch == '{':
			depth++
			i++
			prevPunct, prevIdent = '{', ""
			continue
		case ch == '}':
			if depth > 0 {
				depth--
			}
			i++
			prevPunct, prevIdent = '}', ""
			continue
		case ch == '(':
			isCall := false
			if depth > 0 {
				if j := nextSig(b, i+1); j < len(b) && b[j] == '{' {
					if e := matchParen(b, i); e > 0 && e-i >= 4 && b[e-1] == ')' && spanBytes+e-i <= 4*len(b)+1<<20 {
						// (nested statement expressions copy their text: bounded)
						spans = append(spans, span{i, e})
						spanBytes += e - i
					}
				}
				isCall = prevIdent != "" && !notCallWords[prevIdent]
				if isCall {
					typeArg(b, i+1)
				}
			}
			parens = append(parens, isCall)
			i++
			prevPunct, prevIdent = '(', ""
			continue
		case ch == ')':
			if len(parens) > 0 {
				parens = parens[:len(parens)-1]
			}
			i++
			prevPunct, prevIdent = ')', ""
			continue
		case ch == ',':
			if depth > 0 && len(parens) > 0 && parens[len(parens)-1] {
				typeArg(b, i+1)
			}
			i++
			prevPunct, prevIdent = ',', ""
			continue
		case ch == ':':
			inCase = false
			i++
			prevPunct, prevIdent = ':', ""
			continue
		case ch == '.' && inCase && i+2 < len(b) && b[i+1] == '.' && b[i+2] == '.':
			// case A ... B: keep A
			k := i
			for k < len(b) && b[k] != ':' && b[k] != '\n' {
				k++
			}
			if k < len(b) && b[k] == ':' {
				blank(b, i, k)
			}
			i = k
			continue
		default:
			prevPunct, prevIdent = ch, ""
			i++
		}
	}
	if len(spans) > 0 {
		p.stmtExprs = map[int][]byte{}
		// spans are in order of their start; a span's direct children become
		// "(0 ... )" placeholders in its own text and in the file.
		placeholder := func(buf []byte, s, e int) {
			blank(buf, s+1, e-1)
			buf[s+1] = '0'
		}
		for k, sp := range spans {
			sub := make([]byte, sp.e-sp.s)
			copy(sub, b[sp.s:sp.e])
			sub[0] = ' '
			sub[len(sub)-1] = ' '
			for m := k + 1; m < len(spans) && spans[m].s < sp.e; m++ {
				c := spans[m]
				// direct child: not inside an earlier child
				direct := true
				for q := k + 1; q < m; q++ {
					if spans[q].s < c.s && c.e <= spans[q].e {
						direct = false
						break
					}
				}
				if direct && c.e <= sp.e {
					placeholder(sub[c.s-sp.s:c.e-sp.s], 0, c.e-c.s)
				}
			}
			p.stmtExprs[sp.s] = sub
		}
		end := -1
		for _, sp := range spans {
			if sp.s >= end {
				placeholder(b[sp.s:sp.e], 0, sp.e-sp.s)
				end = sp.e
			}
		}
	}
	return p
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
	pd := 0
	for k := t + 1; k < e-1; k++ {
		switch b[k] {
		case '(', '[', '{':
			pd++
		case ')', ']', '}':
			pd--
		case ',':
			if pd == 0 {
				if n%2 == 0 {
					b[k] = ' '
				}
				n++
			}
		}
	}
	return t + 1
}

// same reports whether a and b are the same node; nil is no node.
func same(a, b *sitter.Node) bool {
	if a == nil || b == nil {
		return false
	}
	return a.Equal(b)
}

// debugDegraded, when set (by tests), hears of the first unrecovered
// error of every degraded function.
var debugDegraded func(path string, line int, fn string)

func firstError(n *sitter.Node) *sitter.Node {
	if n.IsError() || n.IsMissing() {
		return n
	}
	if !n.HasError() {
		return nil
	}
	for i := 0; i < int(n.ChildCount()); i++ {
		if e := firstError(n.Child(i)); e != nil {
			return e
		}
	}
	return n
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

// identAt returns the identifier starting at i, or "".
func identAt(b []byte, i int) string {
	if i >= len(b) || !isIdentStart(b[i]) {
		return ""
	}
	k := i
	for k < len(b) && isIdentByte(b[k]) {
		k++
	}
	return string(b[i:k])
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
	pd := 0
	for k := j + 1; k < e-1; k++ {
		switch b[k] {
		case '(', '[', '{':
			pd++
		case ')', ']', '}':
			pd--
		case ',':
			if pd == 0 {
				comma = k
			}
		case '"', '\'':
			k = skipQuoted(b, k) - 1
		}
	}
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
	pd := 0
	for k := j + 1; k < e-1; k++ {
		switch b[k] {
		case '(', '[', '{':
			pd++
		case ')', ']', '}':
			pd--
		case ';':
			if pd == 0 {
				return true
			}
		case '"', '\'':
			k = skipQuoted(b, k) - 1
		case '/':
			if q := skipComment(b, k); q > k {
				k = q - 1
			}
		}
	}
	return false
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
