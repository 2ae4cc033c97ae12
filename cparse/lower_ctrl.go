package cparse

import (
	"strings"

	"github.com/tagcheck/tagcheck/flow"
)

// Lowering of the control statements: conditions, if, the loops and
// switch.

// condLabel is the text of a statement's head for edge labels:
// "if (!nsp || !nsp->mnt_ns)".
func (c *ctx) condLabel(kw string, cond *node) string {
	t := squash(c.text(cond))
	if !strings.HasPrefix(t, "(") {
		t = "(" + t + ")"
	}
	return kw + " " + t
}

// unparen strips parenthesized_expression nodes (not statement
// expressions).
func (c *ctx) unparen(n *node) *node {
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
func (b *builder) cond(n *node, t, f *flow.Block, label string) {
	c := b.c
	n = c.unparen(n)
	if n == nil {
		b.jump(t, "", flow.Pos{})
		return
	}
	switch kindOf(n) {
	case "binary_expression":
		opT := c.operator(n)
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
		if c.operator(n) == "!" {
			arg := c.unparen(field(n, "argument"))
			if arg != nil && kindOf(arg) == "binary_expression" {
				if ot := c.operator(arg); ot == "&&" || ot == "||" {
					b.cond(arg, f, t, label)
					return
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

func (b *builder) ifStmt(n *node) {
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
func (c *ctx) macroCall(name string, stmt, condN *node) *flow.Expr {
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

func (c *ctx) commaList(n *node) []*flow.Expr {
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

func (b *builder) whileStmt(n *node) {
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
		x.LoopHead = true
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
func (b *builder) scopedGuard(n *node, name string, condN, body *node) {
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

func (b *builder) doStmt(n *node) {
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
			x := &flow.Expr{Op: flow.OpCall, Name: name, Pos: c.posAt(ws), Text: c.textAt(ws, c.end(condN)), LoopHead: true}
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

func (b *builder) forStmt(n *node) {
	c := b.c
	pos := c.pos(n)
	b.ensure(pos)
	b.pushScope() // a declaration in the initializer
	var init, condN, body *node
	var updates []*node
	for ch := n.first; ch != nil; ch = ch.next {
		switch ch.field {
		case 0:
		case fieldIDs["initializer"]:
			init = ch
		case fieldIDs["condition"]:
			condN = ch
		case fieldIDs["update"]:
			updates = append(updates, ch)
		case fieldIDs["body"]:
			body = ch
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
func (b *builder) caseBody(n *node) []*node {
	val := field(n, "value")
	var out []*node
	for _, ch := range b.c.namedChildren(n) {
		if val != nil && same(ch, val) {
			continue
		}
		out = append(out, ch)
	}
	return out
}

func (b *builder) switchStmt(n *node) {
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
