// Package goflow lowers Go functions from go/ssa into the language-neutral
// control-flow form of package flow, so that the checks written over
// flow.Func (lock pairing, tagged pointers) run unchanged on Go code.
//
// Each SSA basic block becomes a flow.Block. Calls become EvExpr events
// holding an OpCall whose Name is the callee spelled as rule packs spell
// it ("(*sync.Mutex).Lock", "example.com/p.F"), with the receiver as the
// first argument; a call whose result is used is wrapped in an OpAssign to
// an OpIdent named like the SSA value ("t5 = (*sync.Mutex).TryLock(mu)") so
// that a check can follow the result into branch conditions. An If becomes
// two edges whose Cond is the tested value. defer becomes EvDefer (with
// the closure's calls as Body for "defer func() { ... }()"), RunDefers
// becomes EvRunDefers, return and panic end the function. A go statement
// becomes an inert event listing the goroutine's calls (see GoStmt): a
// checker decides which of them hand a held lock over to the goroutine.
//
// Operands are rebuilt into stable, readable expressions: &s.mu computed
// twice has the key "s.mu" both times, parameters, free variables, globals
// and named locals go by their source names, while a phi, a call result or
// a load from a local variable that is assigned more than once gets the
// SSA value's own name, so values that may differ never share a key.
package goflow

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"golang.org/x/tools/go/ssa"
)

// Config says how to lower.
type Config struct {
	// Names spells a callee as the rules do; nil means FuncName.
	Names func(*ssa.Function) string
	// NoReturn reports calls (by name) that do not return; the block
	// ends there with flow.NoReturn. nil means none beyond what SSA
	// already knows (panic and the noreturn functions ctrlflow found).
	NoReturn func(name string) bool
	// Impls, when set, resolves calls through an interface that one type
	// of the package implements to that type's method (see Concrete).
	Impls *Impls
}

// Lower lowers fn with the given callee naming (nil: FuncName). It returns
// nil for a function without a body.
func Lower(fn *ssa.Function, names func(*ssa.Function) string) *flow.Func {
	return Config{Names: names}.Lower(fn)
}

// FuncName spells fn as rule packs do: "(*sync.Mutex).Lock",
// "(example.com/p.T).M", "example.com/p.F"; an instance of a generic
// function is named by its origin; a function literal by its SSA name
// ("example.com/p.F$1").
func FuncName(fn *ssa.Function) string {
	if o := fn.Origin(); o != nil {
		fn = o
	}
	if obj, ok := fn.Object().(*types.Func); ok && fn.Synthetic == "" {
		return obj.Origin().FullName()
	}
	return fn.String()
}

// CalleeName spells the function a call invokes, or "" for a call of a
// function value that is not known statically.
func CalleeName(c *ssa.CallCommon, names func(*ssa.Function) string) string {
	if names == nil {
		names = FuncName
	}
	if c.IsInvoke() {
		return c.Method.FullName()
	}
	switch v := c.Value.(type) {
	case *ssa.Builtin:
		return v.Name()
	case *ssa.Function:
		return names(v)
	case *ssa.MakeClosure:
		return names(v.Fn.(*ssa.Function))
	}
	return ""
}

// Lower lowers fn.
func (cfg Config) Lower(fn *ssa.Function) *flow.Func {
	if fn == nil || len(fn.Blocks) == 0 {
		return nil
	}
	if cfg.Names == nil {
		cfg.Names = FuncName
	}
	l := newLowerer(cfg, fn, nil)
	f := l.lower()
	if f != nil {
		f.Seal()
	}
	return f
}

type lowerer struct {
	cfg   Config
	fn    *ssa.Function
	fset  *token.FileSet
	calls map[token.Pos]*ast.CallExpr   // by Lparen
	bins  map[token.Pos]*ast.BinaryExpr // by OpPos, for the text of conditions
	env   map[*ssa.FreeVar]*flow.Expr   // free variables of a deferred closure, in the outer function's terms
	// prefix is put before SSA value names when lowering a deferred
	// closure's body, so that its t1 is not the outer function's t1.
	prefix string
	memo   map[ssa.Value]*flow.Expr
	stable map[*ssa.Alloc]bool
}

func newLowerer(cfg Config, fn *ssa.Function, env map[*ssa.FreeVar]*flow.Expr) *lowerer {
	l := &lowerer{
		cfg:    cfg,
		fn:     fn,
		fset:   fn.Prog.Fset,
		calls:  map[token.Pos]*ast.CallExpr{},
		bins:   map[token.Pos]*ast.BinaryExpr{},
		env:    env,
		memo:   map[ssa.Value]*flow.Expr{},
		stable: map[*ssa.Alloc]bool{},
	}
	if syn := fn.Syntax(); syn != nil {
		ast.Inspect(syn, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				l.calls[n.Lparen] = n
			case *ast.BinaryExpr:
				l.bins[n.OpPos] = n
			}
			return true
		})
	}
	return l
}

func (l *lowerer) pos(p token.Pos) flow.Pos {
	if !p.IsValid() || l.fset == nil {
		return flow.Pos{}
	}
	ps := l.fset.Position(p)
	return flow.Pos{File: ps.Filename, Line: ps.Line, Col: ps.Column}
}

func (l *lowerer) qual() types.Qualifier {
	if l.fn.Pkg == nil {
		return nil
	}
	return types.RelativeTo(l.fn.Pkg.Pkg)
}

func (l *lowerer) lower() *flow.Func {
	fn := l.fn
	f, rbrace := l.header()

	blocks := make([]*flow.Block, len(fn.Blocks))
	for i, b := range fn.Blocks {
		blocks[i] = &flow.Block{Index: i, Label: b.Comment}
	}
	f.Blocks = blocks
	slots := resultSlots(fn)
	for i, b := range fn.Blocks {
		fb := blocks[i]
		cut := false
		for _, instr := range b.Instrs {
			if cut {
				break
			}
			switch in := instr.(type) {
			case *ssa.Call:
				ev := l.callEvent(in, &in.Call)
				fb.Events = append(fb.Events, ev)
				if l.cfg.NoReturn != nil && l.cfg.NoReturn(CalleeName(&in.Call, l.cfg.Names)) {
					fb.Exit = flow.NoReturn
					cut = true
				}
			case *ssa.Defer:
				fb.Events = append(fb.Events, l.deferEvent(in))
			case *ssa.Go:
				fb.Events = append(fb.Events, l.goEvent(in))
			case *ssa.RunDefers:
				fb.Events = append(fb.Events, &flow.Event{Kind: flow.EvRunDefers, Pos: l.pos(in.Pos())})
			case *ssa.Store:
				// With a defer, return x, err stores into result slots and
				// jumps to one exit that returns their loads: keep the
				// stores, so the exit knows which error each path returns.
				if a, ok := in.Addr.(*ssa.Alloc); ok {
					if k, ok := slots[a]; ok {
						pos := l.pos(in.Pos())
						lhs := &flow.Expr{Op: flow.OpIdent, Name: slotName(k), Text: slotName(k), Pos: pos}
						rhs := l.val(in.Val)
						fb.Events = append(fb.Events, &flow.Event{Kind: flow.EvExpr, Pos: pos, X: &flow.Expr{
							Op: flow.OpAssign, Name: "=", Args: []*flow.Expr{lhs, rhs}, Text: lhs.Text + " = " + rhs.Text, Pos: pos}})
					}
				}
			case *ssa.Return:
				fb.Events = append(fb.Events, l.returnEvent(in, rbrace, slots))
				fb.Exit = flow.Return
			case *ssa.Panic:
				// After a call ctrlflow knows does not return, SSA
				// emits panic("noreturn"): the call is the exit.
				if !isNoReturnMarker(in.X) {
					ev := &flow.Event{Kind: flow.EvExpr, Pos: l.pos(in.Pos())}
					arg := l.val(in.X)
					ev.X = &flow.Expr{Op: flow.OpCall, Name: "panic", Args: []*flow.Expr{arg},
						Text: "panic(" + arg.Text + ")", Pos: ev.Pos}
					fb.Events = append(fb.Events, ev)
				}
				fb.Exit = flow.NoReturn
			}
		}
		if fb.Pos == (flow.Pos{}) {
			for _, instr := range b.Instrs {
				if p := instr.Pos(); p.IsValid() {
					fb.Pos = l.pos(p)
					break
				}
			}
		}
		if cut {
			continue
		}
		l.edges(f, b, fb)
	}
	return f
}

// header is the function's description: name, place, signature and the
// names of its locals; rbrace is its closing brace, where a return
// without a position returns.
func (l *lowerer) header() (f *flow.Func, rbrace token.Pos) {
	fn := l.fn
	f = &flow.Func{
		Name:   l.cfg.Names(fn),
		Pos:    l.pos(fn.Pos()),
		Locals: map[string]string{},
	}
	f.File = f.Pos.File
	if obj := fn.Object(); obj != nil {
		f.Static = !obj.Exported()
	} else {
		f.Static = true
	}
	if syn := fn.Syntax(); syn != nil {
		f.End = l.pos(syn.End() - 1)
		switch s := syn.(type) {
		case *ast.FuncDecl:
			if s.Body != nil {
				rbrace = s.Body.Rbrace
			}
		case *ast.FuncLit:
			rbrace = s.Body.Rbrace
		}
		if !f.Pos.IsValid() {
			f.Pos = l.pos(syn.Pos())
			f.File = f.Pos.File
		}
		if f.End.IsValid() && f.Pos.IsValid() {
			f.Lines = f.End.Line - f.Pos.Line + 1
		}
	}
	switch res := fn.Signature.Results(); res.Len() {
	case 0:
	case 1:
		f.Result = types.TypeString(res.At(0).Type(), l.qual())
	default:
		f.Result = types.TypeString(res, l.qual())
	}
	for _, p := range fn.Params {
		f.Params = append(f.Params, flow.Param{Name: p.Name(), Type: types.TypeString(p.Type(), l.qual())})
	}
	for _, a := range fn.Locals {
		if token.IsIdentifier(a.Comment) {
			f.Locals[a.Comment] = types.TypeString(deref(a.Type()), l.qual())
		}
	}
	return f, rbrace
}

// returnEvent lowers a return; the loads of result slots (a function with
// a defer) name the slot.
func (l *lowerer) returnEvent(in *ssa.Return, rbrace token.Pos, slots map[*ssa.Alloc]int) *flow.Event {
	p := in.Pos()
	if !p.IsValid() {
		p = rbrace
	}
	ev := &flow.Event{Kind: flow.EvReturn, Pos: l.pos(p)}
	val := func(r ssa.Value) *flow.Expr {
		if u, ok := r.(*ssa.UnOp); ok && u.Op == token.MUL {
			if a, ok := u.X.(*ssa.Alloc); ok {
				if k, ok := slots[a]; ok {
					return &flow.Expr{Op: flow.OpIdent, Name: slotName(k), Text: slotName(k), Pos: ev.Pos}
				}
			}
		}
		return l.val(r)
	}
	switch len(in.Results) {
	case 0:
	case 1:
		ev.X = val(in.Results[0])
	default:
		c := &flow.Expr{Op: flow.OpComma, Pos: ev.Pos}
		var texts []string
		for _, r := range in.Results {
			e := val(r)
			c.Args = append(c.Args, e)
			texts = append(texts, e.Text)
		}
		c.Text = strings.Join(texts, ", ")
		ev.X = c
	}
	return ev
}

func isNoReturnMarker(v ssa.Value) bool {
	if c, ok := v.(*ssa.MakeInterface); ok {
		v = c.X
	}
	k, ok := v.(*ssa.Const)
	return ok && k.Value != nil && k.Value.ExactString() == `"noreturn"`
}

// edges adds fb's successors. Boolean phis in a successor become
// assignments on the edge ("t5 = 1"), in a block of their own when the
// edge is one of several. A boolean phi set from a constant is followed by
// an edge taken when the phi has that value, so that a check correlates a
// flag set on one branch ("locked = true") with its later test
// ("if locked").
func (l *lowerer) edges(f *flow.Func, b *ssa.BasicBlock, fb *flow.Block) {
	var cond *flow.Expr
	var condPos flow.Pos
	if len(b.Instrs) > 0 {
		if in, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok {
			cond = l.val(in.Cond)
			condPos = l.pos(in.Cond.Pos())
			if !condPos.IsValid() {
				condPos = cond.Pos
			}
		}
	}
	seen := map[*ssa.BasicBlock]int{}
	for i, s := range b.Succs {
		e := flow.Edge{To: f.Blocks[s.Index]}
		if cond != nil && len(b.Succs) == 2 {
			e.Cond = cond
			e.Value = i == 0
			e.Pos = condPos
		}
		moves, known := l.phiMoves(b, s, seen[s])
		seen[s]++
		switch {
		case len(moves) == 0:
		case len(b.Succs) == 1 && len(known) == 0:
			fb.Events = append(fb.Events, moves...)
		default:
			// A block of its own for the moves, then one block per
			// flag whose value the edge decides.
			to := e.To
			for j := len(known) - 1; j >= 0; j-- {
				k := known[j]
				nb := &flow.Block{Index: len(f.Blocks), Succs: []flow.Edge{{To: to, Cond: k.flag, Value: k.value, Label: "set"}}}
				f.Blocks = append(f.Blocks, nb)
				to = nb
			}
			nb := &flow.Block{Index: len(f.Blocks), Events: moves, Pos: moves[0].Pos, Succs: []flow.Edge{{To: to}}}
			f.Blocks = append(f.Blocks, nb)
			e.To = nb
		}
		fb.Succs = append(fb.Succs, e)
	}
	if len(fb.Succs) == 0 && fb.Exit == flow.NotExit {
		// An unreachable end (the recover block's tail, or an SSA
		// block with no exit instruction): treat as not returning.
		fb.Exit = flow.NoReturn
	}
}

type knownFlag struct {
	flag  *flow.Expr
	value bool
}

func (l *lowerer) phiMoves(pred, succ *ssa.BasicBlock, nth int) ([]*flow.Event, []knownFlag) {
	k := -1
	for j, p := range succ.Preds {
		if p == pred {
			if nth == 0 {
				k = j
				break
			}
			nth--
		}
	}
	if k < 0 {
		return nil, nil
	}
	var out []*flow.Event
	var known []knownFlag
	for _, instr := range succ.Instrs {
		phi, ok := instr.(*ssa.Phi)
		if !ok {
			break
		}
		// Only booleans: flags correlate branches, while moving loop
		// counters would only multiply the states a walk tells apart.
		basic, ok := phi.Type().Underlying().(*types.Basic)
		if !ok || basic.Info()&types.IsBoolean == 0 || k >= len(phi.Edges) {
			continue
		}
		lhs := l.val(phi)
		rhs := l.val(phi.Edges[k])
		p := l.pos(phi.Pos())
		out = append(out, &flow.Event{Kind: flow.EvExpr, Pos: p, X: &flow.Expr{
			Op: flow.OpAssign, Name: "=", Args: []*flow.Expr{lhs, rhs},
			Text: lhs.Text + " = " + rhs.Text, Pos: p,
		}})
		if c, ok := phi.Edges[k].(*ssa.Const); ok && c.Value != nil {
			// The decided edge is bookkeeping, not a branch in the
			// source: no position, so no step of a reported path.
			flag := *lhs
			flag.Pos = flow.Pos{}
			known = append(known, knownFlag{flag: &flag, value: c.Value.ExactString() == "true"})
		}
	}
	return out, known
}

// callEvent lowers a call; v is the call's value (nil for a deferred call).
func (l *lowerer) callEvent(v *ssa.Call, c *ssa.CallCommon) *flow.Event {
	ce := l.call(c)
	ev := &flow.Event{Kind: flow.EvExpr, X: ce, Pos: ce.Pos}
	if v != nil && used(v) {
		id := l.val(v)
		ev.X = &flow.Expr{Op: flow.OpAssign, Name: "=", Args: []*flow.Expr{id, ce}, Text: ce.Text, Pos: ce.Pos}
	}
	return ev
}

func used(v *ssa.Call) bool {
	if t, ok := v.Type().(*types.Tuple); ok && t.Len() == 0 {
		return false
	}
	refs := v.Referrers()
	return refs != nil && len(*refs) > 0
}

// call builds the OpCall for c.
func (l *lowerer) call(c *ssa.CallCommon) *flow.Expr {
	e := &flow.Expr{Op: flow.OpCall, Name: CalleeName(c, l.cfg.Names)}
	if fn, recv := l.cfg.Concrete(c); fn != nil {
		e.Name = l.cfg.Names(fn)
		e.Args = append(e.Args, l.val(recv))
	} else if c.IsInvoke() {
		e.Args = append(e.Args, l.val(c.Value))
	} else if e.Name == "" {
		fv := l.val(c.Value)
		e.Name = fv.Key()
	}
	for _, a := range c.Args {
		e.Args = append(e.Args, l.val(a))
	}
	if ast := l.calls[c.Pos()]; ast != nil {
		e.Pos = l.pos(ast.Pos())
		e.Text = types.ExprString(ast)
		e.Args = spelled(e.Args, c, ast)
	} else {
		e.Pos = l.pos(c.Pos())
		var args []string
		for _, a := range e.Args {
			args = append(args, a.Text)
		}
		e.Text = e.Name + "(" + strings.Join(args, ", ") + ")"
	}
	return e
}

// spelled gives the arguments of a call the text the source writes for
// them: the SSA value of lmb.mu in "if lmb := fs.lmb; ... lmb.mu.Lock()"
// rebuilds as fs.lmb.mu, and a temporary as t21.mu. The keys stay the
// SSA's, which say which values are the same; only the texts change, on
// copies, as the same value may be written otherwise elsewhere.
func spelled(args []*flow.Expr, c *ssa.CallCommon, call *ast.CallExpr) []*flow.Expr {
	var src []ast.Expr
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && (c.IsInvoke() || c.Signature().Recv() != nil || len(args) == len(call.Args)+1) {
		src = append(src, sel.X)
	}
	src = append(src, call.Args...)
	if len(src) != len(args) || c.Signature().Variadic() && !call.Ellipsis.IsValid() {
		return args
	}
	out := make([]*flow.Expr, len(args))
	for i, a := range args {
		text := types.ExprString(src[i])
		if a.Text == text || lastSelector(a.Text) != lastSelector(text) {
			// e.Lock() on an embedded mutex locks e.Mutex: the SSA's
			// text says more than the source's.
			out[i] = a
			continue
		}
		cp := *a
		cp.Text = text
		out[i] = &cp
	}
	return out
}

// lastSelector is the name after the last dot of an expression's text.
func lastSelector(text string) string {
	return text[strings.LastIndexByte(text, '.')+1:]
}

// deferEvent lowers a defer statement: a call to a function literal
// becomes EvDefer with Body, anything else EvDefer with X.
func (l *lowerer) deferEvent(in *ssa.Defer) *flow.Event {
	ev := &flow.Event{Kind: flow.EvDefer, Pos: l.pos(in.Pos())}
	c := in.Common()
	if lit, env := l.literal(c); lit != nil {
		ev.Body = l.literalBody(lit, env, c)
		return ev
	}
	ev.X = l.call(c)
	if !ev.Pos.IsValid() {
		ev.Pos = ev.X.Pos
	}
	return ev
}

// literal returns the function literal c calls, if it does, with its free
// variables bound to the caller's expressions for them.
func (l *lowerer) literal(c *ssa.CallCommon) (*ssa.Function, map[*ssa.FreeVar]*flow.Expr) {
	if c.IsInvoke() {
		return nil, nil
	}
	switch v := c.Value.(type) {
	case *ssa.Function:
		if v.Parent() != nil {
			return v, map[*ssa.FreeVar]*flow.Expr{}
		}
	case *ssa.MakeClosure:
		fn := v.Fn.(*ssa.Function)
		if fn.Synthetic == "" && fn.Parent() != nil {
			env := map[*ssa.FreeVar]*flow.Expr{}
			for i, b := range v.Bindings {
				if i < len(fn.FreeVars) {
					env[fn.FreeVars[i]] = l.val(b)
				}
			}
			return fn, env
		}
	}
	return nil, nil
}

// literalBody lowers the body of the literal c calls, straight-line, in
// the caller's terms: its free variables and parameters are the
// caller's expressions for them.
func (l *lowerer) literalBody(lit *ssa.Function, env map[*ssa.FreeVar]*flow.Expr, c *ssa.CallCommon) []*flow.Event {
	body := newLowerer(l.cfg, lit, env)
	body.prefix = lit.Name() + "."
	// Arguments passed to the literal are bound to its parameters.
	for i, p := range lit.Params {
		if i < len(c.Args) {
			body.memo[p] = l.val(c.Args[i])
		}
	}
	return body.straightLine()
}

// GoStmt is the Name of the OpComma that a go statement lowers to, and
// GoPrefix starts the names of the calls in it.
//
// A go statement runs its call in another goroutine, so nothing it does
// happens on the caller's path, except that a lock the goroutine releases
// is handed over to it where the statement is: "mu.Lock(); go func() {
// ...; mu.Unlock() }()" leaves nothing held behind. The statement becomes
// an EvExpr whose X is an OpComma named GoStmt holding the calls the
// goroutine makes (the called function, or the calls of a literal's body
// straight-line and in the caller's terms, as for a deferred literal),
// each renamed GoPrefix+name so that no rule applies to it as it stands.
// The checker that knows the rules replaces X with the calls it counts
// as a hand-over (see ResolveGo); left alone, the event does nothing.
const (
	GoStmt   = "go"
	GoPrefix = "go:"
)

// goEvent lowers a go statement; see GoStmt.
func (l *lowerer) goEvent(in *ssa.Go) *flow.Event {
	pos := l.pos(in.Pos())
	c := in.Common()
	var calls []*flow.Expr
	text := "go "
	if lit, env := l.literal(c); lit != nil {
		for _, ev := range l.literalBody(lit, env, c) {
			calls = append(calls, flow.Calls(ev.X)...)
		}
		text += "func() {...}()"
	} else {
		ce := l.call(c)
		calls = append(calls, ce)
		text += ce.Text
		if !pos.IsValid() {
			pos = ce.Pos
		}
	}
	x := &flow.Expr{Op: flow.OpComma, Name: GoStmt, Text: text, Pos: pos}
	for _, ce := range calls {
		renamed := *ce
		renamed.Name = GoPrefix + ce.Name
		x.Args = append(x.Args, &renamed)
	}
	return &flow.Event{Kind: flow.EvExpr, X: x, Pos: pos}
}

// GoCalls returns the calls of a go statement's event (see GoStmt) under
// their own names, and whether ev is one.
func GoCalls(ev *flow.Event) ([]*flow.Expr, bool) {
	if ev.Kind != flow.EvExpr || ev.X == nil || ev.X.Op != flow.OpComma || ev.X.Name != GoStmt {
		return nil, false
	}
	var out []*flow.Expr
	for _, a := range ev.X.Args {
		if a.Op != flow.OpCall || !strings.HasPrefix(a.Name, GoPrefix) {
			continue
		}
		c := *a
		c.Name = strings.TrimPrefix(a.Name, GoPrefix)
		out = append(out, &c)
	}
	return out, true
}
