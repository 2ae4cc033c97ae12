package cparse

// Lowering of a C function body (tree-sitter nodes) to a flow.Func: one
// block per straight-line run, conditions split at && and || so that
// every edge tests one operand, scoped guards released at every exit from
// their scope.

import (
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"github.com/tagcheck/tagcheck/flow"
)

// gscope is one compound statement (or scoped_guard body): the guards
// taken in it so far.
type gscope struct {
	id     int
	guards []*flow.Expr
}

type target struct {
	brk, cont *flow.Block
	depth     int  // len(scopes) at the statement
	loop      bool // continue applies (not a switch)
}

type pendingGoto struct {
	from   *flow.Block
	label  string
	pos    flow.Pos
	edge   string
	scopes []gscope // the scopes active at the goto, guards as of then
}

type labelInfo struct {
	b      *flow.Block
	scopes []int // ids of the scopes enclosing the label
}

type builder struct {
	c       *ctx
	f       *flow.Func
	cur     *flow.Block
	scopes  []*gscope
	nextID  int
	targets []target
	labels  map[string]*labelInfo
	gotos   []pendingGoto
	unseen  map[string]*flow.Block
}

func (c *ctx) lowerBody(fn *flow.Func, body *sitter.Node) {
	b := &builder{c: c, f: fn, labels: map[string]*labelInfo{}}
	b.cur = b.newBlock(c.pos(body))
	b.stmt(body)
	if b.cur != nil {
		b.cur.Exit = flow.Return
		b.cur = nil
	}
	b.resolveGotos()
	b.finish()
}

func (b *builder) newBlock(pos flow.Pos) *flow.Block {
	blk := &flow.Block{Index: len(b.f.Blocks), Pos: pos}
	b.f.Blocks = append(b.f.Blocks, blk)
	return blk
}

// ensure gives a block to append to: after a return or goto the code is
// unreachable but still lowered (a label may follow inside it).
func (b *builder) ensure(pos flow.Pos) *flow.Block {
	if b.cur == nil {
		b.cur = b.newBlock(pos)
	}
	if !b.cur.Pos.IsValid() {
		b.cur.Pos = pos
	}
	return b.cur
}

func (b *builder) emit(kind flow.Kind, x *flow.Expr, pos flow.Pos) {
	blk := b.ensure(pos)
	blk.Events = append(blk.Events, &flow.Event{Kind: kind, X: x, Pos: pos})
}

func (b *builder) jump(to *flow.Block, label string, pos flow.Pos) {
	if b.cur == nil {
		return
	}
	b.cur.Succs = append(b.cur.Succs, flow.Edge{To: to, Label: label, Pos: pos})
	b.cur = nil
}

// unwind emits the scope ends of the scopes deeper than depth, innermost
// first (the last guard of a scope first).
func (b *builder) unwind(depth int, pos flow.Pos) {
	for i := len(b.scopes) - 1; i >= depth; i-- {
		gs := b.scopes[i].guards
		for k := len(gs) - 1; k >= 0; k-- {
			b.emit(flow.EvScopeEnd, gs[k], pos)
		}
	}
}

func (b *builder) pushScope() {
	b.nextID++
	b.scopes = append(b.scopes, &gscope{id: b.nextID})
}

// popScope closes the innermost scope; falling off its end releases its
// guards.
func (b *builder) popScope(pos flow.Pos) {
	if b.cur != nil {
		b.unwind(len(b.scopes)-1, pos)
	}
	b.scopes = b.scopes[:len(b.scopes)-1]
}

func (b *builder) noReturn(x *flow.Expr) bool {
	if b.c.opt.NoReturn == nil {
		return false
	}
	for _, call := range flow.Calls(x) {
		if b.c.opt.NoReturn(call.Name) {
			return true
		}
	}
	return false
}

// stmt lowers one statement.
func (b *builder) stmt(n *sitter.Node) {
	if n == nil {
		return
	}
	c := b.c
	switch kindOf(n) {
	case "compound_statement":
		b.pushScope()
		for _, ch := range c.namedChildren(n) {
			b.stmt(ch)
		}
		b.popScope(c.posAt(c.end(n) - 1))
	case "declaration":
		b.declaration(n)
	case "expression_statement":
		b.exprStmt(n)
	case "if_statement":
		b.ifStmt(n)
	case "while_statement":
		b.whileStmt(n)
	case "do_statement":
		b.doStmt(n)
	case "for_statement":
		b.forStmt(n)
	case "switch_statement":
		b.switchStmt(n)
	case "case_statement":
		// a case outside a switch body's top level (Duff's device, or an error)
		for _, ch := range b.caseBody(n) {
			b.stmt(ch)
		}
	case "break_statement", "continue_statement":
		isBrk := kindOf(n) == "break_statement"
		pos := c.pos(n)
		for i := len(b.targets) - 1; i >= 0; i-- {
			t := b.targets[i]
			if !isBrk && !t.loop {
				continue
			}
			b.ensure(pos)
			b.unwind(t.depth, pos)
			if isBrk {
				b.jump(t.brk, "break", pos)
			} else {
				b.jump(t.cont, "continue", pos)
			}
			return
		}
		// break outside anything: ends the path as unseen
		b.ensure(pos)
		b.cur.Exit = flow.Unseen
		b.cur = nil
	case "return_statement":
		pos := c.pos(n)
		var x *flow.Expr
		if nc := c.namedChildren(n); len(nc) > 0 && kindOf(nc[0]) != "comment" {
			x = b.c.expr(nc[0])
		}
		b.ensure(pos)
		b.unwind(0, pos)
		b.emit(flow.EvReturn, x, pos)
		b.cur.Exit = flow.Return
		b.cur = nil
	case "goto_statement":
		lbl := field(n, "label")
		if lbl == nil {
			return
		}
		name := c.text(lbl)
		b.addGoto(name, "goto "+name, c.pos(n))
		b.cur = nil
	case "labeled_statement":
		lbl := field(n, "label")
		pos := c.pos(n)
		name := ""
		if lbl != nil {
			name = c.text(lbl)
		}
		nb := b.newBlock(pos)
		nb.Label = name
		if b.cur != nil {
			b.cur.Succs = append(b.cur.Succs, flow.Edge{To: nb, Pos: pos})
		}
		b.cur = nb
		if _, dup := b.labels[name]; !dup && name != "" {
			ids := make([]int, len(b.scopes))
			for i, s := range b.scopes {
				ids[i] = s.id
			}
			b.labels[name] = &labelInfo{b: nb, scopes: ids}
		}
		for _, ch := range c.namedChildren(n) {
			if lbl != nil && same(ch, lbl) {
				continue
			}
			b.stmt(ch)
		}
	case "attributed_statement":
		for _, ch := range c.namedChildren(n) {
			if kindOf(ch) != "attribute_declaration" {
				b.stmt(ch)
			}
		}
	case "preproc_if", "preproc_ifdef", "preproc_else", "preproc_elif", "preproc_elifdef":
		for _, ch := range c.namedChildren(n) {
			if same(ch, field(n, "condition")) || same(ch, field(n, "name")) {
				continue
			}
			b.stmt(ch)
		}
	case "comment", "preproc_def", "preproc_function_def", "preproc_call", "preproc_include",
		"type_definition", "struct_specifier", "union_specifier", "enum_specifier", "function_definition":
	case "ERROR":
		// keep what can be read: statements and expressions inside
		for _, ch := range c.namedChildren(n) {
			k := kindOf(ch)
			if strings.HasSuffix(k, "_statement") || k == "declaration" {
				b.stmt(ch)
			} else if strings.HasSuffix(k, "_expression") {
				x := c.expr(ch)
				b.emit(flow.EvExpr, x, c.pos(ch))
			}
		}
	default:
		if strings.HasSuffix(kindOf(n), "_expression") {
			x := c.expr(n)
			b.emit(flow.EvExpr, x, c.pos(n))
		}
	}
}

func (b *builder) addGoto(label, edge string, pos flow.Pos) {
	b.ensure(pos)
	snap := make([]gscope, len(b.scopes))
	for i, s := range b.scopes {
		snap[i] = gscope{id: s.id, guards: append([]*flow.Expr(nil), s.guards...)}
	}
	b.gotos = append(b.gotos, pendingGoto{from: b.cur, label: label, pos: pos, edge: edge, scopes: snap})
}

func (b *builder) resolveGotos() {
	for _, g := range b.gotos {
		li := b.labels[g.label]
		if li == nil {
			// a fragment: the label is in lines we cannot see
			ex := b.unseen[g.label]
			if ex == nil {
				if b.unseen == nil {
					b.unseen = map[string]*flow.Block{}
				}
				ex = b.newBlock(g.pos)
				ex.Exit = flow.Unseen
				ex.Label = g.label
				b.unseen[g.label] = ex
			}
			g.from.Succs = append(g.from.Succs, flow.Edge{To: ex, Label: g.edge, Pos: g.pos})
			continue
		}
		common := 0
		for common < len(g.scopes) && common < len(li.scopes) && g.scopes[common].id == li.scopes[common] {
			common++
		}
		for i := len(g.scopes) - 1; i >= common; i-- {
			gs := g.scopes[i].guards
			for k := len(gs) - 1; k >= 0; k-- {
				g.from.Events = append(g.from.Events, &flow.Event{Kind: flow.EvScopeEnd, X: gs[k], Pos: g.pos})
			}
		}
		g.from.Succs = append(g.from.Succs, flow.Edge{To: li.b, Label: g.edge, Pos: g.pos})
	}
}

// finish drops unreachable blocks, folds empty forwarding blocks and
// numbers the rest.
func (b *builder) finish() {
	blocks := b.f.Blocks
	if len(blocks) == 0 {
		return
	}
	entry := blocks[0]
	// fold: an empty block with one plain edge forwards to its target
	forward := func(t *flow.Block) *flow.Block {
		for hops := 0; hops < 64; hops++ {
			if t == entry || len(t.Events) > 0 || t.Label != "" || len(t.Succs) != 1 ||
				t.Succs[0].Cond != nil || t.Succs[0].Label != "" || t.Succs[0].To == t {
				return t
			}
			t = t.Succs[0].To
		}
		return t
	}
	for _, blk := range blocks {
		for i := range blk.Succs {
			blk.Succs[i].To = forward(blk.Succs[i].To)
		}
	}
	// the entry itself may be an empty forwarder of a labelless run: keep it
	seen := make(map[*flow.Block]bool, len(blocks))
	order := make([]*flow.Block, 0, len(blocks))
	var stack []*flow.Block
	stack = append(stack, entry)
	seen[entry] = true
	for len(stack) > 0 {
		blk := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		order = append(order, blk)
		for i := len(blk.Succs) - 1; i >= 0; i-- {
			t := blk.Succs[i].To
			if !seen[t] {
				seen[t] = true
				stack = append(stack, t)
			}
		}
	}
	// keep source order (creation order) among reachable blocks
	out := make([]*flow.Block, 0, len(order))
	for _, blk := range blocks {
		if seen[blk] {
			blk.Index = len(out)
			out = append(out, blk)
		}
	}
	b.f.Blocks = out
}

// ---- statements ----

func (b *builder) declaration(n *sitter.Node) {
	c := b.c
	typ := field(n, "type")
	base := ""
	if typ != nil {
		base = c.baseType(n, typ)
	}
	for _, d := range c.fieldDeclarators(n) {
		name, t := c.declType(base, d)
		if name != "" {
			b.f.Locals[name] = t
		}
		if kindOf(d) != "init_declarator" {
			continue
		}
		v := field(d, "value")
		if v == nil || name == "" {
			continue
		}
		nm := declName(d)
		lhs := &flow.Expr{Op: flow.OpIdent, Name: name, Text: name, Pos: c.pos(nm)}
		x := &flow.Expr{Op: flow.OpAssign, Name: "=", Args: []*flow.Expr{lhs, c.expr(v)}, Text: c.text(d), Pos: c.pos(d)}
		b.emit(flow.EvExpr, x, c.pos(d))
		if b.noReturn(x) {
			b.cur.Exit = flow.NoReturn
			b.cur = nil
		}
	}
}

func (b *builder) exprStmt(n *sitter.Node) {
	c := b.c
	e := c.firstNonComment(n)
	if e == nil {
		return // ;
	}
	pos := c.pos(e)
	switch kindOf(e) {
	case "identifier":
		if t := c.text(e); t == "fallthrough" || t == "unreachable" {
			return
		}
	case "call_expression":
		fnN := field(e, "function")
		if fnN != nil && kindOf(fnN) == "identifier" && c.text(fnN) == "__tagcheck_unseen" {
			b.emit(flow.EvUnseen, nil, pos)
			b.f.Partial = true
			return
		}
	case "gnu_asm_expression":
		x := c.expr(e)
		b.emit(flow.EvExpr, x, pos)
		if gl := field(e, "goto_labels"); gl != nil {
			from := b.cur
			for _, l := range c.namedChildren(gl) {
				if kindOf(l) == "identifier" {
					name := c.text(l)
					b.addGoto(name, "asm goto "+name, c.pos(l))
				}
			}
			next := b.newBlock(flow.Pos{})
			from.Succs = append(from.Succs, flow.Edge{To: next, Pos: pos})
			b.cur = next
		}
		return
	}
	x := c.expr(e)
	b.emit(flow.EvExpr, x, pos)
	if x.Op == flow.OpCall && x.Name == "guard" && len(b.scopes) > 0 {
		s := b.scopes[len(b.scopes)-1]
		s.guards = append(s.guards, x)
	}
	if b.noReturn(x) {
		b.cur.Exit = flow.NoReturn
		b.cur = nil
	}
}

// condLabel is the text of a statement's head for edge labels:
// "if (!nsp || !nsp->mnt_ns)".
func (c *ctx) condLabel(kw string, cond *sitter.Node) string {
	t := squash(c.text(cond))
	if !strings.HasPrefix(t, "(") {
		t = "(" + t + ")"
	}
	return kw + " " + t
}

// unparen strips parenthesized_expression nodes (not statement
// expressions).
func (c *ctx) unparen(n *sitter.Node) *sitter.Node {
	for n != nil && kindOf(n) == "parenthesized_expression" {
		if _, ok := c.pp.stmtExprs[c.start(n)]; ok {
			return n
		}
		inner := c.firstNonComment(n)
		if inner == nil {
			return n
		}
		n = inner
	}
	return n
}

// cond lowers a controlling expression: control goes to t when it is
// true, to f when false. && and || become separate blocks.
func (b *builder) cond(n *sitter.Node, t, f *flow.Block, label string) {
	c := b.c
	n = c.unparen(n)
	if n == nil {
		b.jump(t, "", flow.Pos{})
		return
	}
	switch kindOf(n) {
	case "binary_expression":
		op := field(n, "operator")
		opT := ""
		if op != nil {
			opT = c.text(op)
		}
		if opT == "&&" || opT == "||" {
			mid := b.newBlock(flow.Pos{})
			if opT == "&&" {
				b.cond(field(n, "left"), mid, f, label)
			} else {
				b.cond(field(n, "left"), t, mid, label)
			}
			b.cur = mid
			b.cond(field(n, "right"), t, f, label)
			return
		}
	case "unary_expression":
		if op := field(n, "operator"); op != nil && c.text(op) == "!" {
			arg := c.unparen(field(n, "argument"))
			if arg != nil && kindOf(arg) == "binary_expression" {
				if o := field(arg, "operator"); o != nil {
					if ot := c.text(o); ot == "&&" || ot == "||" {
						b.cond(arg, f, t, label)
						return
					}
				}
			}
		}
	case "comma_expression":
		if l := field(n, "left"); l != nil {
			b.emit(flow.EvExpr, c.expr(l), c.pos(l))
		}
		b.cond(field(n, "right"), t, f, label)
		return
	case "number_literal":
		txt := strings.TrimRight(strings.ToLower(c.text(n)), "ul")
		if txt == "0" || txt == "0x0" {
			b.jump(f, "", c.pos(n))
		} else {
			b.jump(t, "", c.pos(n))
		}
		return
	case "true":
		b.jump(t, "", c.pos(n))
		return
	case "false":
		b.jump(f, "", c.pos(n))
		return
	}
	x := c.expr(n)
	pos := c.pos(n)
	b.emit(flow.EvExpr, x, pos)
	if b.noReturn(x) {
		b.cur.Exit = flow.NoReturn
		b.cur = nil
		return
	}
	b.cur.Succs = append(b.cur.Succs,
		flow.Edge{To: t, Cond: x, Value: true, Label: label, Pos: pos},
		flow.Edge{To: f, Cond: x, Value: false, Label: label, Pos: pos})
	b.cur = nil
}

func (b *builder) ifStmt(n *sitter.Node) {
	c := b.c
	condN := field(n, "condition")
	cons := field(n, "consequence")
	alt := field(n, "alternative")
	pos := c.pos(n)
	b.ensure(pos)
	then := b.newBlock(flow.Pos{})
	after := b.newBlock(flow.Pos{})
	els := after
	if alt != nil {
		els = b.newBlock(flow.Pos{})
	}
	b.cond(condN, then, els, c.condLabel("if", condN))
	b.cur = then
	b.stmt(cons)
	b.jump(after, "", flow.Pos{})
	if alt != nil {
		b.cur = els
		if kindOf(alt) == "else_clause" {
			for _, ch := range c.namedChildren(alt) {
				b.stmt(ch)
			}
		} else {
			b.stmt(alt)
		}
		b.jump(after, "", flow.Pos{})
	}
	b.cur = after
}

// macroCall builds the call a rewritten macro loop head stands for:
// Name is the macro, Args the lowered comma operands.
func (c *ctx) macroCall(name string, stmt, condN *sitter.Node) *flow.Expr {
	s := c.start(stmt)
	x := &flow.Expr{Op: flow.OpCall, Name: name, Pos: c.posAt(s)}
	if condN != nil {
		x.Text = c.textAt(s, c.end(condN))
		inner := c.unparen(condN)
		if inner != nil && !same(inner, condN) {
			x.Args = c.commaList(inner)
		} else if inner != nil && kindOf(inner) != "parenthesized_expression" {
			x.Args = c.commaList(inner)
		}
	}
	return x
}

func (c *ctx) commaList(n *sitter.Node) []*flow.Expr {
	var out []*flow.Expr
	for n != nil && kindOf(n) == "comma_expression" {
		out = append(out, c.expr(field(n, "left")))
		n = field(n, "right")
	}
	if n != nil {
		out = append(out, c.expr(n))
	}
	return out
}

func (b *builder) loopHead(pos flow.Pos) *flow.Block {
	head := b.newBlock(pos)
	b.jump(head, "", flow.Pos{})
	b.cur = head
	return head
}

func (b *builder) whileStmt(n *sitter.Node) {
	c := b.c
	condN := field(n, "condition")
	body := field(n, "body")
	pos := c.pos(n)
	b.ensure(pos)
	s := c.start(n)
	if name, ok := c.pp.scoped[s]; ok && c.base == 0 {
		b.scopedGuard(n, name, condN, body)
		return
	}
	head := b.loopHead(pos)
	bodyB := b.newBlock(flow.Pos{})
	after := b.newBlock(flow.Pos{})
	if name, ok := c.pp.loops[s]; ok && c.base == 0 {
		x := c.macroCall(name, n, condN)
		label := squash(x.Text)
		b.emit(flow.EvExpr, x, pos)
		head.Succs = append(head.Succs,
			flow.Edge{To: bodyB, Cond: x, Value: true, Label: label, Pos: pos},
			flow.Edge{To: after, Cond: x, Value: false, Label: label, Pos: pos})
		b.cur = nil
	} else {
		b.cond(condN, bodyB, after, c.condLabel("while", condN))
	}
	b.targets = append(b.targets, target{brk: after, cont: head, depth: len(b.scopes), loop: true})
	b.cur = bodyB
	b.stmt(body)
	b.jump(head, "", flow.Pos{})
	b.targets = b.targets[:len(b.targets)-1]
	b.cur = after
}

// scopedGuard lowers scoped_guard(class, args) body: the guard call, the
// body in its own scope, the scope end at every exit. break and continue
// inside leave the guard (it is a for loop in the kernel).
func (b *builder) scopedGuard(n *sitter.Node, name string, condN, body *sitter.Node) {
	c := b.c
	pos := c.pos(n)
	x := c.macroCall(name, n, condN)
	b.emit(flow.EvExpr, x, pos)
	after := b.newBlock(flow.Pos{})
	b.pushScope()
	b.scopes[len(b.scopes)-1].guards = []*flow.Expr{x}
	b.targets = append(b.targets, target{brk: after, cont: after, depth: len(b.scopes) - 1, loop: true})
	b.stmt(body)
	b.targets = b.targets[:len(b.targets)-1]
	b.popScope(c.posAt(c.end(n) - 1))
	b.jump(after, "", flow.Pos{})
	b.cur = after
}

func (b *builder) doStmt(n *sitter.Node) {
	c := b.c
	condN := field(n, "condition")
	body := field(n, "body")
	pos := c.pos(n)
	b.ensure(pos)
	bodyB := b.loopHead(pos)
	condB := b.newBlock(flow.Pos{})
	after := b.newBlock(flow.Pos{})
	b.targets = append(b.targets, target{brk: after, cont: condB, depth: len(b.scopes), loop: true})
	b.stmt(body)
	b.targets = b.targets[:len(b.targets)-1]
	b.jump(condB, "", flow.Pos{})
	b.cur = condB
	if condN != nil {
		// while_each_thread(g, t) rewritten to while: the loop condition is the macro
		ws := -1
		for _, ch := range c.children(n) {
			if kindOf(ch) == "while" {
				ws = c.start(ch)
			}
		}
		if name, ok := c.pp.loops[ws]; ok && c.base == 0 {
			x := &flow.Expr{Op: flow.OpCall, Name: name, Pos: c.posAt(ws), Text: c.textAt(ws, c.end(condN))}
			if inner := c.unparen(condN); inner != nil && !same(inner, condN) {
				x.Args = c.commaList(inner)
			}
			b.emit(flow.EvExpr, x, x.Pos)
			label := squash(x.Text)
			condB.Succs = append(condB.Succs,
				flow.Edge{To: bodyB, Cond: x, Value: true, Label: label, Pos: x.Pos},
				flow.Edge{To: after, Cond: x, Value: false, Label: label, Pos: x.Pos})
			b.cur = nil
		} else {
			b.cond(condN, bodyB, after, c.condLabel("while", condN))
		}
	} else {
		b.jump(after, "", flow.Pos{})
	}
	b.cur = after
}

func (b *builder) forStmt(n *sitter.Node) {
	c := b.c
	pos := c.pos(n)
	b.ensure(pos)
	b.pushScope() // a declaration in the initializer
	var init, condN, body *sitter.Node
	var updates []*sitter.Node
	cur := c.cursor(n)
	if cur.GoToFirstChild() {
		for {
			switch cur.CurrentFieldName() {
			case "initializer":
				init = cur.CurrentNode()
			case "condition":
				condN = cur.CurrentNode()
			case "update":
				updates = append(updates, cur.CurrentNode())
			case "body":
				body = cur.CurrentNode()
			}
			if !cur.GoToNextSibling() {
				break
			}
		}
	}
	if init != nil {
		if kindOf(init) == "declaration" {
			b.declaration(init)
		} else {
			b.emit(flow.EvExpr, c.expr(init), c.pos(init))
		}
	}
	head := b.loopHead(pos)
	bodyB := b.newBlock(flow.Pos{})
	contB := b.newBlock(flow.Pos{})
	after := b.newBlock(flow.Pos{})
	if condN != nil {
		b.cond(condN, bodyB, after, "for (;"+squash(c.text(condN))+";)")
	} else {
		b.jump(bodyB, "", flow.Pos{})
	}
	b.targets = append(b.targets, target{brk: after, cont: contB, depth: len(b.scopes), loop: true})
	b.cur = bodyB
	b.stmt(body)
	b.targets = b.targets[:len(b.targets)-1]
	b.jump(contB, "", flow.Pos{})
	b.cur = contB
	for _, u := range updates {
		b.emit(flow.EvExpr, c.expr(u), c.pos(u))
	}
	b.jump(head, "", flow.Pos{})
	b.cur = after
	b.scopes = b.scopes[:len(b.scopes)-1]
	_ = head
}

// caseBody returns the statements of a case_statement.
func (b *builder) caseBody(n *sitter.Node) []*sitter.Node {
	val := field(n, "value")
	var out []*sitter.Node
	for _, ch := range b.c.namedChildren(n) {
		if val != nil && same(ch, val) {
			continue
		}
		out = append(out, ch)
	}
	return out
}

func (b *builder) switchStmt(n *sitter.Node) {
	c := b.c
	condN := field(n, "condition")
	body := field(n, "body")
	pos := c.pos(n)
	x := c.expr(c.unparen(condN))
	b.emit(flow.EvExpr, x, c.pos(condN))
	head := b.cur
	after := b.newBlock(flow.Pos{})
	b.cur = nil
	b.targets = append(b.targets, target{brk: after, depth: len(b.scopes)})
	hasDefault := false
	if body != nil {
		b.pushScope()
		for _, ch := range c.namedChildren(body) {
			if kindOf(ch) != "case_statement" {
				b.stmt(ch)
				continue
			}
			cb := b.newBlock(c.pos(ch))
			if b.cur != nil {
				b.cur.Succs = append(b.cur.Succs, flow.Edge{To: cb, Label: "fallthrough", Pos: c.pos(ch)})
			}
			val := field(ch, "value")
			if val == nil {
				hasDefault = true
				head.Succs = append(head.Succs, flow.Edge{To: cb, Label: "default", Pos: c.pos(ch)})
			} else {
				v := c.expr(val)
				eq := &flow.Expr{Op: flow.OpBinary, Name: "==", Args: []*flow.Expr{x, v},
					Text: squash(x.Text) + " == " + squash(v.Text), Pos: v.Pos}
				head.Succs = append(head.Succs, flow.Edge{To: cb, Cond: eq, Value: true,
					Label: "case " + squash(c.text(val)), Pos: c.pos(ch)})
			}
			b.cur = cb
			for _, st := range b.caseBody(ch) {
				b.stmt(st)
			}
		}
		b.popScope(c.posAt(c.end(body) - 1))
	}
	b.jump(after, "", flow.Pos{})
	if !hasDefault {
		head.Succs = append(head.Succs, flow.Edge{To: after, Label: "default", Pos: pos})
	}
	b.targets = b.targets[:len(b.targets)-1]
	b.cur = after
}
