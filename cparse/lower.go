package cparse

// Lowering of a C function body (tree-sitter nodes) to a flow.Func: one
// block per straight-line run, conditions split at && and || so that
// every edge tests one operand, scoped guards released at every exit from
// their scope, and wait_event(wq, cond) as the loop on cond it expands to.

import (
	"strings"

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

func (c *ctx) lowerBody(fn *flow.Func, body *node) {
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
func (b *builder) stmt(n *node) {
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
		b.branchStmt(n)
	case "return_statement":
		b.returnStmt(n)
	case "goto_statement":
		lbl := field(n, "label")
		if lbl == nil {
			return
		}
		name := c.text(lbl)
		b.addGoto(name, "goto "+name, c.pos(n))
		b.cur = nil
	case "labeled_statement":
		b.labeledStmt(n)
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

// branchStmt lowers break and continue: a jump to the innermost target
// that takes it, leaving the scopes in between.
func (b *builder) branchStmt(n *node) {
	c := b.c
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
}

// returnStmt lowers a return: the scopes' guards unwound, then the exit.
func (b *builder) returnStmt(n *node) {
	c := b.c
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
}

// labeledStmt starts a block at a label, which gotos resolve to, and
// lowers the statement it labels.
func (b *builder) labeledStmt(n *node) {
	c := b.c
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

func (b *builder) declaration(n *node) {
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

func (b *builder) exprStmt(n *node) {
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
		if fnN != nil && kindOf(fnN) == "identifier" && waitUntil[c.text(fnN)] && b.waitLoop(e, c.text(fnN)) {
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

// waitUntil are the kernel macros that sleep until their condition (the
// second argument) is true and return nothing: when they return, the
// condition held. wait_event(sem->read_waiters,
// down_read_trylock(&sem->internal_rwsem)) is f2fs_down_read's acquire.
// The interruptible and timeout forms return early with the condition
// false, and stay plain calls.
var waitUntil = map[string]bool{
	"wait_event": true, "wait_event_idle": true, "wait_event_idle_exclusive": true,
	"io_wait_event": true, "wait_var_event": true,
}

// waitLoop lowers `name(wq, cond);` as the loop it expands to: cond is
// tested, the wait runs while it is false, and the statement ends on its
// true side. It reports false (nothing emitted) for a call of another
// shape.
func (b *builder) waitLoop(call *node, name string) bool {
	c := b.c
	var args []*node
	if al := field(call, "arguments"); al != nil {
		for _, ch := range c.namedChildren(al) {
			if kindOf(ch) != "comment" {
				args = append(args, ch)
			}
		}
	}
	if len(args) != 2 {
		return false
	}
	pos := c.pos(call)
	b.ensure(pos)
	head := b.loopHead(pos)
	wait := b.newBlock(flow.Pos{})
	after := b.newBlock(flow.Pos{})
	b.cond(args[1], after, wait, squash(c.text(call)))
	b.cur = wait
	// The sleep itself, given only what it waits on: the condition is
	// evaluated by the test above, not again by the call.
	sleep := &flow.Expr{Op: flow.OpCall, Name: name, Args: []*flow.Expr{c.expr(args[0])}, Text: c.text(call), Pos: pos}
	b.emit(flow.EvExpr, sleep, pos)
	b.jump(head, "", flow.Pos{})
	b.cur = after
	return true
}
