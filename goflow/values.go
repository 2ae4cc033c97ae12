package goflow

import (
	"fmt"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"golang.org/x/tools/go/ssa"
)

// Values: SSA values rebuilt as flow expressions.

// straightLine returns the calls of a deferred function literal in block
// order, as events: what the deferred call does when it runs. Branches
// inside the literal are not kept; a conditional release counts as a
// release.
func (l *lowerer) straightLine() []*flow.Event {
	var out []*flow.Event
	for _, b := range l.fn.Blocks {
		if b == l.fn.Recover {
			continue
		}
		for _, instr := range b.Instrs {
			switch in := instr.(type) {
			case *ssa.Call:
				out = append(out, l.callEvent(nil, &in.Call))
			case *ssa.Defer:
				if ev := l.deferEvent(in); ev.X != nil {
					out = append(out, &flow.Event{Kind: flow.EvExpr, X: ev.X, Pos: ev.Pos})
				} else {
					out = append(out, ev.Body...)
				}
			}
		}
	}
	return out
}

func deref(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

func (l *lowerer) ident(v ssa.Value, text string) *flow.Expr {
	if text == "" {
		text = v.Name()
	}
	return &flow.Expr{Op: flow.OpIdent, Name: l.prefix + v.Name(), Text: text, Pos: l.pos(v.Pos())}
}

// val rebuilds an expression for v.
func (l *lowerer) val(v ssa.Value) *flow.Expr {
	if e, ok := l.memo[v]; ok {
		return e
	}
	e := l.build(v)
	if !e.Pos.IsValid() {
		e.Pos = l.pos(v.Pos())
	}
	l.memo[v] = e
	return e
}

func (l *lowerer) build(v ssa.Value) *flow.Expr {
	switch v := v.(type) {
	case *ssa.Const:
		return constExpr(v)
	case *ssa.Parameter:
		return &flow.Expr{Op: flow.OpIdent, Name: v.Name(), Text: v.Name()}
	case *ssa.FreeVar:
		if e, ok := l.env[v]; ok {
			return e
		}
		return &flow.Expr{Op: flow.OpIdent, Name: v.Name(), Text: v.Name()}
	case *ssa.Global:
		// Qualified, so that a global named in a wrapper's summary
		// means the same variable in every package that uses it.
		name := v.Name()
		if v.Pkg != nil {
			name = v.Pkg.Pkg.Name() + "." + name
		}
		text := name
		if v.Pkg == l.fn.Pkg {
			text = v.Name()
		}
		return &flow.Expr{Op: flow.OpIdent, Name: name, Text: text}
	case *ssa.Function:
		n := l.cfg.Names(v)
		return &flow.Expr{Op: flow.OpIdent, Name: n, Text: n}
	case *ssa.Alloc:
		if token.IsIdentifier(v.Comment) {
			return &flow.Expr{Op: flow.OpIdent, Name: v.Comment, Text: v.Comment}
		}
		return l.ident(v, "&"+types.TypeString(deref(v.Type()), l.qual())+"{}")
	case *ssa.FieldAddr:
		x := l.val(v.X)
		name := fieldName(v.X.Type(), v.Field)
		return &flow.Expr{Op: flow.OpField, Name: name, Args: []*flow.Expr{x}, Text: x.Text + "." + name}
	case *ssa.Field:
		x := l.val(v.X)
		name := fieldName(v.X.Type(), v.Field)
		return &flow.Expr{Op: flow.OpField, Name: name, Args: []*flow.Expr{x}, Text: x.Text + "." + name}
	case *ssa.IndexAddr:
		return l.index(v.X, v.Index)
	case *ssa.Index:
		return l.index(v.X, v.Index)
	case *ssa.UnOp:
		return l.unop(v)
	case *ssa.BinOp:
		x, y := l.val(v.X), l.val(v.Y)
		text := x.Text + " " + v.Op.String() + " " + y.Text
		if b := l.bins[v.Pos()]; b != nil && b.Op == v.Op {
			text = types.ExprString(b) // k == "stop", not keys[rangeindex + 1] == "stop"
		}
		return &flow.Expr{Op: flow.OpBinary, Name: v.Op.String(), Args: []*flow.Expr{x, y}, Text: text}
	case *ssa.ChangeType:
		return l.cast(v, v.X)
	case *ssa.Convert:
		return l.cast(v, v.X)
	case *ssa.MakeInterface:
		return l.cast(v, v.X)
	case *ssa.ChangeInterface:
		return l.cast(v, v.X)
	case *ssa.TypeAssert:
		if !v.CommaOk {
			return l.cast(v, v.X)
		}
	case *ssa.Call:
		text := ""
		if c := l.calls[v.Call.Pos()]; c != nil {
			text = types.ExprString(c)
		}
		return l.ident(v, text)
	case *ssa.Phi:
		if token.IsIdentifier(v.Comment) {
			return l.ident(v, v.Comment)
		}
	}
	return l.ident(v, "")
}

func (l *lowerer) cast(v, x ssa.Value) *flow.Expr {
	e := l.val(x)
	return &flow.Expr{Op: flow.OpCast, Name: types.TypeString(v.Type(), l.qual()), Args: []*flow.Expr{e}, Text: e.Text}
}

func (l *lowerer) index(x, i ssa.Value) *flow.Expr {
	xe, ie := l.val(x), l.val(i)
	return &flow.Expr{Op: flow.OpIndex, Args: []*flow.Expr{xe, ie}, Text: xe.Text + "[" + ie.Text + "]"}
}

func (l *lowerer) unop(v *ssa.UnOp) *flow.Expr {
	if v.Op == token.MUL {
		switch x := v.X.(type) {
		case *ssa.FieldAddr, *ssa.IndexAddr, *ssa.Global, *ssa.FreeVar:
			// A load from a named place reads the place: s.mu, g.
			return l.val(x)
		case *ssa.Alloc:
			if l.stableAlloc(x) {
				return l.val(x)
			}
			// The variable is assigned more than once: this load
			// may differ from another one.
			text := x.Comment
			return l.ident(v, text)
		}
		x := l.val(v.X)
		return &flow.Expr{Op: flow.OpUnary, Name: "*", Args: []*flow.Expr{x}, Text: "*" + x.Text}
	}
	if v.Op == token.ARROW {
		return l.ident(v, "<-"+l.val(v.X).Text)
	}
	x := l.val(v.X)
	return &flow.Expr{Op: flow.OpUnary, Name: v.Op.String(), Args: []*flow.Expr{x}, Text: v.Op.String() + x.Text}
}

// stableAlloc reports whether the local variable a is assigned at most
// once (counting assignments inside the closures that capture it).
func (l *lowerer) stableAlloc(a *ssa.Alloc) bool {
	if s, ok := l.stable[a]; ok {
		return s
	}
	stores := 0
	var count func(v ssa.Value, depth int)
	count = func(v ssa.Value, depth int) {
		refs := v.Referrers()
		if refs == nil {
			return
		}
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.Store:
				if r.Addr == v {
					stores++
				}
			case *ssa.MakeClosure:
				if depth > 2 {
					stores += 2
					continue
				}
				fn := r.Fn.(*ssa.Function)
				for i, b := range r.Bindings {
					if b == v && i < len(fn.FreeVars) {
						count(fn.FreeVars[i], depth+1)
					}
				}
			}
		}
	}
	count(a, 0)
	s := stores <= 1
	l.stable[a] = s
	return s
}

func fieldName(t types.Type, i int) string {
	if st, ok := deref(t).Underlying().(*types.Struct); ok && i < st.NumFields() {
		return st.Field(i).Name()
	}
	return fmt.Sprintf("field%d", i)
}

func constExpr(c *ssa.Const) *flow.Expr {
	if c.Value == nil {
		if c.IsNil() {
			return &flow.Expr{Op: flow.OpIdent, Name: "nil", Text: "nil"}
		}
		return &flow.Expr{Op: flow.OpNumber, Name: "0", Text: "0"}
	}
	s := c.Value.ExactString()
	switch s {
	case "true":
		return &flow.Expr{Op: flow.OpNumber, Name: "1", Text: "true"}
	case "false":
		return &flow.Expr{Op: flow.OpNumber, Name: "0", Text: "false"}
	}
	if strings.HasPrefix(s, `"`) {
		return &flow.Expr{Op: flow.OpString, Name: s, Text: s}
	}
	return &flow.Expr{Op: flow.OpNumber, Name: s, Text: s}
}

// resultSlots finds the allocs a function returns loads of (its result
// slots when it has a defer), with the result index of each.
func resultSlots(fn *ssa.Function) map[*ssa.Alloc]int {
	slots := map[*ssa.Alloc]int{}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ret, ok := instr.(*ssa.Return)
			if !ok {
				continue
			}
			for k, r := range ret.Results {
				if u, ok := r.(*ssa.UnOp); ok && u.Op == token.MUL {
					if a, ok := u.X.(*ssa.Alloc); ok {
						slots[a] = k
					}
				}
			}
		}
	}
	return slots
}

// slotName names result slot k in the flow form; no Go identifier can
// have this name.
func slotName(k int) string { return "result#" + strconv.Itoa(k) }
