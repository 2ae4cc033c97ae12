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
// pre-pass rewrote. The pre-pass is in prepass.go and conditionals.go,
// the byte scanners it shares in lex.go.

import (
	"bytes"
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
	Degraded int                          // functions whose bodies kept unrecovered ERROR nodes, or an expression nested too deep
	Notes    []string                     // what the reader should know: "file:line: fn: why it is degraded"
	Skipped  int                          // functions left out unparsed (ScanOptions.Prepare blanked them)
}

// ParseOptions tunes the lowering.
type ParseOptions struct {
	NoReturn func(callee string) bool // calls that end the path (BUG, panic); nil: none
	// PostLine maps a line of src to the line reported (nil: the same
	// line): a patch fragment leaves long runs of unseen lines out of its
	// text (patch.Unit.PostLine).
	PostLine func(line int) int
}

var (
	cLang      = tsc.GetLanguage()
	symNames   []string
	symOnce    sync.Once
	parserPool = sync.Pool{New: func() any { return newParser() }}
)

// kindOf returns the grammar name of n without the allocation of
// Node.Type.
func kindOf(n *node) string {
	symOnce.Do(func() {
		cnt := int(cLang.SymbolCount())
		symNames = make([]string, cnt)
		for i := 0; i < cnt; i++ {
			symNames[i] = cLang.SymbolName(sitter.Symbol(i))
		}
	})
	s := int(n.sym)
	if s < len(symNames) {
		return symNames[s]
	}
	return "ERROR"
}

// ParseC parses src (one file, or a patch fragment wrapped by the patch
// reader) and lowers every function. Line N of src is line N of the
// reported positions (opt.PostLine(N) when set); File in positions is
// path.
func ParseC(path string, src []byte, opt ParseOptions) (*CFile, error) {
	p := parserPool.Get().(*parser)
	f, err := parseWith(p, path, src, opt)
	parserPool.Put(p)
	return f, err
}

// maxSize bounds what ParseC accepts: tree-sitter offsets are 32-bit.
const maxSize = 1 << 30

func parseWith(p *parser, path string, src []byte, opt ParseOptions) (*CFile, error) {
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
	if !hasBraces(src) {
		return emptyFile(path, src), nil
	}
	return lowerFile(p, path, src, prepass(src), opt)
}

// hasBraces reports whether text can hold what the lowering keeps: a
// function definition needs a body and a struct or union its fields, both
// in braces. A text without them (8,324 files, 429 MB of the 6.1 tree,
// most of them the register headers of a GPU driver: #defines and
// prototypes) is neither pre-passed nor given to tree-sitter; the
// pre-pass writes braces only inside braces (blockMacro, at depth > 0).
// TestKernelBraceFree lowers such files anyway and finds nothing in them.
func hasBraces(text []byte) bool {
	return bytes.IndexByte(text, '{') >= 0 || bytes.IndexByte(text, '}') >= 0
}

// emptyFile is the CFile of a text with no definitions in it.
func emptyFile(path string, src []byte) *CFile {
	cf := &CFile{Path: path, Lines: bytes.Count(src, []byte{'\n'}), Structs: map[string]map[string]string{}}
	if len(src) > 0 && src[len(src)-1] != '\n' {
		cf.Lines++
	}
	return cf
}

// lowerFile parses the pre-passed text, its tables blanked (tables.go),
// and lowers its definitions.
func lowerFile(p *parser, path string, src []byte, pp *prep, opt ParseOptions) (*CFile, error) {
	stored := map[string]bool{}
	text := withTablesBlanked(pp, stored)
	tree, err := p.parse(text)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(pp.tables) > 0 && tablesMisparsed(tree.root, pp.tables) {
		whole, err := p.parse(pp.rw)
		if err != nil {
			tree.close()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if functionCount(whole.root) >= functionCount(tree.root) {
			tree.close()
			tree, text, stored = whole, pp.rw, map[string]bool{}
		} else {
			whole.close()
		}
	}
	defer tree.close()
	cf := emptyFile(path, src)
	c := &ctx{src: src, srcText: string(src), rw: text, pp: pp, path: path, lines: lineStarts(src), parser: p, opt: opt}
	c.topLevel(tree.root, cf, stored)
	cf.Notes = c.notes
	for _, fn := range cf.Funcs {
		if fn.Degraded {
			cf.Degraded++
		}
		fn.Stored = stored[fn.Name]
		fn.Seal()
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
	// srcText is src as one string: the Text of every expression is a
	// substring of it, so lowering a deeply nested expression copies no
	// text (one copy per level made a 120 KB line cost gigabytes).
	srcText string
	pp      *prep
	base    int // added to node offsets: non-zero inside a statement expression's sub-parse
	path    string
	lines   []int
	parser  *parser
	opt     ParseOptions
	depth   int // statement-expression nesting
	// exprDepth is the nesting of the expression being lowered; past
	// maxExprDepth the rest is one opaque operand, and deepAt is the line
	// where that first happened in the current function.
	exprDepth int
	deepAt    int
	notes     []string // what the reader should know about this file
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
	line := i + 1
	if c.opt.PostLine != nil {
		line = c.opt.PostLine(line)
	}
	return flow.Pos{File: c.path, Line: line, Col: off - c.lines[i] + 1}
}

func (c *ctx) start(n *node) int { return c.base + int(n.start) }
func (c *ctx) end(n *node) int   { return c.base + int(n.end) }
func (c *ctx) pos(n *node) flow.Pos {
	return c.posAt(c.start(n))
}

// text is the original source text of n.
func (c *ctx) text(n *node) string {
	s, e := c.start(n), c.end(n)
	return c.textAt(s, e)
}

// textAt is the source text between two offsets, shared with the source.
func (c *ctx) textAt(s, e int) string {
	if s < 0 || e > len(c.srcText) || s > e {
		return ""
	}
	return c.srcText[s:e]
}

// rwText is the text of n as tree-sitter saw it (attributes blanked),
// white space collapsed.
func (c *ctx) rwText(n *node) string {
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

// children returns all children of n, named and anonymous.
func (c *ctx) children(n *node) []*node {
	if n == nil {
		return nil
	}
	var out []*node
	for ch := n.first; ch != nil; ch = ch.next {
		out = append(out, ch)
	}
	return out
}

func (c *ctx) namedChildren(n *node) []*node {
	if n == nil {
		return nil
	}
	var out []*node
	for ch := n.first; ch != nil; ch = ch.next {
		if ch.IsNamed() {
			out = append(out, ch)
		}
	}
	return out
}

// ---- top level: functions and structs ----

func (c *ctx) topLevel(n *node, cf *CFile, stored map[string]bool) {
	for _, ch := range c.children(n) {
		switch kindOf(ch) {
		case "function_definition":
			if fn := c.function(ch); fn != nil {
				cf.Funcs = append(cf.Funcs, fn)
			}
			c.structsIn(field(ch, "type"), cf)
		case "declaration", "type_definition", "struct_specifier", "union_specifier":
			c.structsIn(ch, cf)
			c.storedIn(ch, stored)
		case "preproc_if", "preproc_ifdef", "preproc_else", "preproc_elif", "preproc_elifdef",
			"linkage_specification", "declaration_list", "ERROR", "expression_statement":
			c.storedIn(ch, stored)
			c.topLevel(ch, cf, stored)
		case "comment", "preproc_def", "preproc_function_def", "preproc_include", "preproc_call",
			"string_literal", "number_literal", "identifier", "primitive_type":
		default:
			if ch.IsNamed() && ch.first != nil {
				c.topLevel(ch, cf, stored)
			}
		}
	}
}

// storedIn notes the names a file-scope declaration or statement stores
// or passes on: the values of its initializers (an ops table) and the
// arguments of its calls (module_init(fn)), not the names it declares
// (a prototype names its function without handing it out).
func (c *ctx) storedIn(n *node, stored map[string]bool) {
	switch kindOf(n) {
	case "init_declarator":
		c.identsIn(field(n, "value"), stored)
		return
	case "call_expression":
		c.identsIn(field(n, "arguments"), stored)
		return
	case "function_definition", "compound_statement":
		return
	}
	for _, ch := range c.namedChildren(n) {
		c.storedIn(ch, stored)
	}
}

// identsIn adds every identifier under n to names.
func (c *ctx) identsIn(n *node, names map[string]bool) {
	if n == nil {
		return
	}
	if kindOf(n) == "identifier" {
		names[c.text(n)] = true
		return
	}
	for _, ch := range c.namedChildren(n) {
		c.identsIn(ch, names)
	}
}

// structsIn records every struct with a body under n (a declaration or
// type at file scope).
func (c *ctx) structsIn(n *node, cf *CFile) {
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
	if n.first != nil {
		for _, ch := range c.namedChildren(n) {
			c.structsIn(ch, cf)
		}
	}
}

func (c *ctx) fieldsOf(body *node, m map[string]string, cf *CFile) {
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

func (c *ctx) fieldDeclarators(n *node) []*node {
	var out []*node
	declarator := fieldIDs["declarator"]
	for ch := n.first; ch != nil; ch = ch.next {
		if ch.field == declarator {
			out = append(out, ch)
		}
	}
	return out
}

// baseType is the type specifier of a declaration with its qualifiers
// (const, volatile), as tree-sitter saw it.
func (c *ctx) baseType(decl, typ *node) string {
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
func declName(d *node) *node {
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
			d = firstNamed(d)
		default:
			return nil
		}
	}
	return nil
}

// declType returns the name a declarator declares and its type: the base
// type followed by the declarator with the name taken out
// ("struct nsproxy *", "char [16]", "int (*)(int)").
func (c *ctx) declType(base string, d *node) (string, string) {
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
func (c *ctx) function(n *node) *flow.Func {
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
	if c.deepAt > 0 {
		fn.Degraded = true
		fn.DegradedLine = c.deepAt
		fn.DegradedWhy = fmt.Sprintf("an expression is nested more than %d deep; lowered only to that depth", maxExprDepth)
		c.notes = append(c.notes, fmt.Sprintf("%s:%d: %s: %s", c.path, c.deepAt, fn.Name, fn.DegradedWhy))
		c.deepAt = 0
	}
	return fn
}

// ---- the pre-pass ----

// same reports whether a and b are the same node; nil is no node.
func same(a, b *node) bool {
	return a != nil && a == b
}

// firstNamed returns n's first named child, nil when it has none.
func firstNamed(n *node) *node {
	for ch := n.first; ch != nil; ch = ch.next {
		if ch.IsNamed() {
			return ch
		}
	}
	return nil
}

// debugDegraded, when set (by tests), hears of the first unrecovered
// error of every degraded function.
var debugDegraded func(path string, line int, fn string)

func firstError(n *node) *node {
	if n.IsError() || n.IsMissing() {
		return n
	}
	if !n.HasError() {
		return nil
	}
	for ch := n.first; ch != nil; ch = ch.next {
		if e := firstError(ch); e != nil {
			return e
		}
	}
	return n
}
