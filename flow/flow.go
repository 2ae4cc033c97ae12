// Package flow is the language-neutral control-flow form that both front
// ends lower into: C functions through tree-sitter (package cparse) and Go
// functions through go/ssa. Every check that walks paths walks a *Func, so
// the meaning of "held on some path to the exit" is written once.
//
// A Func is a graph of Blocks. A Block holds Events in execution order and
// ends in zero or more Edges; a Block without Succs is an exit, and its Exit
// field says how the function leaves there. Branch conditions stay on the
// edges (with the truth value under which the edge is taken), so a finding
// can name the branch it followed and a check can correlate two tests of
// the same unmodified expression.
//
// Expressions are small trees (Expr) rather than strings so that the checks
// can look through casts, READ_ONCE() and the like; Key gives the
// normalized spelling under which the same lock or field is recognised
// wherever it is written.
package flow

import (
	"iter"
	"slices"
	"strconv"
	"strings"
)

// Pos is a place in a source file. Line and Col are 1-based; Col counts
// bytes, as go/token and tree-sitter do.
type Pos struct {
	File string
	Line int
	Col  int
}

// String is file:line:col. The lock walk keys acquire and release sites
// by it on every event, so it is built without fmt.
func (p Pos) String() string {
	var num [40]byte
	n := append(strconv.AppendInt(num[:0], int64(p.Line), 10), ':')
	n = strconv.AppendInt(n, int64(p.Col), 10)
	var b strings.Builder
	b.Grow(len(p.File) + 1 + len(n))
	b.WriteString(p.File)
	b.WriteByte(':')
	b.Write(n)
	return b.String()
}

// IsValid reports whether p names a line.
func (p Pos) IsValid() bool { return p.Line > 0 }

// Op says what an Expr is.
type Op uint8

const (
	OpOther  Op = iota // anything else; only Text is meaningful
	OpIdent            // Name is the identifier
	OpNumber           // Name is the literal as written (e.g. "1UL", "-1")
	OpString           // Name is the literal as written
	OpField            // Args[0].Name, or Args[0]->Name when Arrow
	OpCall             // Name is the callee as written (normalized, e.g. "spin_lock", "(*sync.Mutex).Lock"); Args are the arguments. Args of a method call in Go start with the receiver.
	OpUnary            // Name is the operator: "&", "*", "!", "-", "~", "++", "--"
	OpBinary           // Name is the operator; Args[0] op Args[1]
	OpCast             // Name is the target type as written; Args[0] is the operand
	OpIndex            // Args[0][Args[1]]
	OpCond             // Args[0] ? Args[1] : Args[2]
	OpAssign           // Args[0] Name Args[1], Name is "=", "|=", "&=", ...
	OpComma            // Args evaluated in order; the value is the last
	OpSizeof           // sizeof/_Alignof/offsetof and the like: evaluates nothing
)

// Expr is an expression tree. Parentheses are not represented.
type Expr struct {
	Op    Op
	Name  string
	Args  []*Expr
	Arrow bool // OpField: "->" rather than "."
	// LoopHead marks the OpCall of a C loop macro's head
	// ("list_for_each_entry(pos, head, m) { ... }"): a macro, which no
	// function definition defines.
	LoopHead bool
	Text     string // the source text, for messages
	Pos      Pos
	// sealed is Calls(e), recorded by Seal for a root expression, and
	// ArgKeys(e) for a call, when its of is e itself: a copy of the
	// struct (renamed for a message) points elsewhere and has them found
	// again. One pointer: most expressions are operands, never sealed.
	sealed *sealedCalls
}

type sealedCalls struct {
	of      *Expr
	calls   []*Expr  // of a root expression: Calls
	argKeys []string // of a call: ArgKeys
	keyed   bool     // argKeys is recorded
}

// Arg returns the i'th operand, or nil.
func (e *Expr) Arg(i int) *Expr {
	if e == nil || i < 0 || i >= len(e.Args) {
		return nil
	}
	return e.Args[i]
}

// Strip removes casts from the top of e.
func Strip(e *Expr) *Expr {
	for e != nil && e.Op == OpCast && len(e.Args) == 1 {
		e = e.Args[0]
	}
	return e
}

// Key is the normalized spelling of e: no casts, no white space, "->"
// and "." kept apart. Two expressions with the same Key denote the same
// place as long as nothing in between assigns to their variables.
func (e *Expr) Key() string {
	if s := Strip(e); s != nil && (s.Op == OpIdent || s.Op == OpNumber || s.Op == OpString) {
		return s.Name // most keys: no builder to copy the name into
	}
	var b strings.Builder
	writeKey(&b, e)
	return b.String()
}

func writeKey(b *strings.Builder, e *Expr) {
	e = Strip(e)
	if e == nil {
		return
	}
	switch e.Op {
	case OpIdent, OpNumber, OpString:
		b.WriteString(e.Name)
	case OpField:
		writeOperand(b, e.Arg(0))
		if e.Arrow {
			b.WriteString("->")
		} else {
			b.WriteString(".")
		}
		b.WriteString(e.Name)
	case OpCall:
		b.WriteString(e.Name)
		b.WriteString("(")
		for i, a := range e.Args {
			if i > 0 {
				b.WriteString(",")
			}
			writeKey(b, a)
		}
		b.WriteString(")")
	case OpUnary:
		if a := Strip(e.Arg(0)); e.Name == "*" && a != nil && a.Op == OpUnary && a.Name == "&" {
			writeKey(b, a.Arg(0)) // *&x is x
			return
		}
		b.WriteString(e.Name)
		writeOperand(b, e.Arg(0))
	case OpBinary, OpAssign:
		writeOperand(b, e.Arg(0))
		b.WriteString(e.Name)
		writeOperand(b, e.Arg(1))
	case OpIndex:
		writeOperand(b, e.Arg(0))
		b.WriteString("[")
		writeKey(b, e.Arg(1))
		b.WriteString("]")
	case OpCond:
		writeOperand(b, e.Arg(0))
		b.WriteString("?")
		writeOperand(b, e.Arg(1))
		b.WriteString(":")
		writeOperand(b, e.Arg(2))
	case OpComma:
		for i, a := range e.Args {
			if i > 0 {
				b.WriteString(",")
			}
			writeKey(b, a)
		}
	default:
		b.WriteString(strings.Join(strings.Fields(e.Text), ""))
	}
}

// writeOperand parenthesizes compound operands so that Key stays
// unambiguous: *(a+b) and *a+b differ.
func writeOperand(b *strings.Builder, e *Expr) {
	s := Strip(e)
	if s != nil && (s.Op == OpBinary || s.Op == OpAssign || s.Op == OpCond || s.Op == OpComma) {
		b.WriteString("(")
		writeKey(b, s)
		b.WriteString(")")
		return
	}
	writeKey(b, s)
}

// Walk calls fn for e and every sub-expression, in evaluation order
// (operands before the operation), stopping descent where fn returns false
// for the node itself. fn sees a node before its operands.
func Walk(e *Expr, fn func(*Expr) bool) {
	if e == nil || !fn(e) {
		return
	}
	for _, a := range e.Args {
		Walk(a, fn)
	}
}

// Calls returns the calls inside e in the order they are evaluated
// (innermost first, left to right). The caller must not change the
// slice.
func Calls(e *Expr) []*Expr {
	if e != nil && e.sealed != nil && e.sealed.of == e && e.sealed.calls != nil {
		return e.sealed.calls
	}
	return findCalls(e)
}

// ArgKeys returns the Keys of the arguments of the call c. The caller
// must not change the slice.
func ArgKeys(c *Expr) []string {
	if c.sealed != nil && c.sealed.of == c && c.sealed.keyed {
		return c.sealed.argKeys
	}
	return argKeys(c)
}

func argKeys(c *Expr) []string {
	ks := make([]string, len(c.Args))
	for i, a := range c.Args {
		ks[i] = a.Key()
	}
	return ks
}

// Seal records on the expressions of f's events and branches the calls
// they hold, and on each call the Keys of its arguments: the walks ask
// for them once per path state, and finding them again was a twentieth
// of a scan's CPU, spelling the keys again another fortieth. Call it
// when f is built, before it is shared: a sealed expression must not
// change.
func (f *Func) Seal() {
	record := func(x *Expr) *sealedCalls {
		if x.sealed == nil || x.sealed.of != x {
			x.sealed = &sealedCalls{of: x}
		}
		return x.sealed
	}
	seal := func(x *Expr) {
		if x == nil || x.sealed != nil && x.sealed.of == x && x.sealed.calls != nil {
			return
		}
		calls := slices.Clip(findCalls(x))
		if calls == nil {
			calls = []*Expr{} // recorded: none
		}
		record(x).calls = calls
		for _, c := range calls {
			if r := record(c); !r.keyed {
				r.argKeys, r.keyed = argKeys(c), true
			}
		}
	}
	for _, b := range f.Blocks {
		for _, ev := range b.Events {
			seal(ev.X)
			for _, d := range ev.Body {
				seal(d.X)
			}
		}
		for _, e := range b.Succs {
			seal(e.Cond)
		}
	}
}

func findCalls(e *Expr) []*Expr {
	var out []*Expr
	var visit func(*Expr)
	visit = func(x *Expr) {
		if x == nil || x.Op == OpSizeof {
			return
		}
		for _, a := range x.Args {
			visit(a)
		}
		if x.Op == OpCall {
			out = append(out, x)
		}
	}
	visit(e)
	return out
}

// EventCalls yields the calls of f's events, the bodies of deferred
// closures included, block by block in the order Calls gives. It builds
// no slice: learning asks it of every function of every group.
func (f *Func) EventCalls() iter.Seq[*Expr] {
	return func(yield func(*Expr) bool) {
		for _, b := range f.Blocks {
			for _, ev := range b.Events {
				for _, c := range Calls(ev.X) {
					if !yield(c) {
						return
					}
				}
				for _, d := range ev.Body {
					for _, c := range Calls(d.X) {
						if !yield(c) {
							return
						}
					}
				}
			}
		}
	}
}

// Kind says what an Event is.
type Kind uint8

const (
	// EvExpr evaluates X: an expression statement, a declaration with an
	// initializer (lowered to OpAssign on an OpIdent), or the controlling
	// expression of a branch (the block's Succs then test it).
	EvExpr Kind = iota
	// EvReturn leaves the function; X is the returned value or nil.
	EvReturn
	// EvDefer registers X (a call) to run when the function returns (Go).
	// Body, when not nil, holds the events of a deferred closure instead.
	EvDefer
	// EvRunDefers runs the registered deferred calls, last first (Go).
	EvRunDefers
	// EvUnseen stands for source lines the checker cannot see: lines a
	// patch does not show. What held before is unknown after it.
	EvUnseen
	// EvScopeEnd releases what a scoped acquire (C guard(), scoped_guard)
	// took: X is the acquiring call, as it appeared in its EvExpr.
	EvScopeEnd
)

// Event is one step of a block.
type Event struct {
	Kind Kind
	X    *Expr
	Body []*Event // EvDefer of a closure: its events, straight-line
	Pos  Pos
}

// ExitKind says how a function leaves at an exit block.
type ExitKind uint8

const (
	NotExit  ExitKind = iota
	Return            // an explicit return (its EvReturn is the last event) or falling off the end
	NoReturn          // a call that does not return: panic, BUG(), do_exit()
	Unseen            // the path continues into lines the checker cannot see
)

// Edge is a control-flow edge. When Cond is not nil the edge is taken when
// Cond evaluates to Value (true meaning non-zero). Label says, for
// messages, what the edge is: "goto err", "break", "case 1", "default".
type Edge struct {
	To    *Block
	Cond  *Expr
	Value bool
	Label string
	Pos   Pos // where the branch is decided (the condition or the goto)
}

// Block is a basic block.
type Block struct {
	Index  int
	Events []*Event
	Succs  []Edge
	Exit   ExitKind // NotExit unless len(Succs) == 0
	Label  string   // the C label or Go comment that starts the block, if any
	Pos    Pos      // the first statement's place, if any
}

// Param is a formal parameter.
type Param struct {
	Name string
	Type string // as written, e.g. "struct task_struct *"
}

// FragmentFunc names the synthetic function a C front end wraps around
// lines of a body when nothing in view says which function they belong to.
const FragmentFunc = "__tagcheck_fragment"

// UnknownResult is the result type written for a function seen only in
// part whose result type is not in view: its returns are judged by their
// values alone (NULL, false, a negative errno, ERR_PTR are failures).
const UnknownResult = "__tagcheck_result_t"

// RemovedRelease prefixes the name of a call that a patch deletes where
// the front end can place it (foo_unlock(x) becomes
// __tagcheck_removed__foo_unlock(x) at the end of the line before): what
// the call released was held there before the change.
const RemovedRelease = "__tagcheck_removed__"

// Func is one function lowered for the checks.
type Func struct {
	Name     string
	File     string
	Pos      Pos // the name in the definition
	End      Pos // the closing brace
	Result   string
	Params   []Param
	Locals   map[string]string // local variable name -> type as written
	Blocks   []*Block          // Blocks[0] is the entry
	Partial  bool              // the body holds EvUnseen: a patch shows only part of it
	Degraded bool              // the body kept parse errors the front end could not recover from
	// DegradedLine is the line of the first of those errors (0: unknown).
	DegradedLine int
	// DegradedWhy, when not "", says why the function is degraded when
	// it is not for parse errors (an expression nested too deep).
	DegradedWhy string
	Static      bool // C: file-local (static); Go: unexported
	// LockContract: the definition says it hands a lock across its
	// boundary (C: __acquires, __releases, __must_hold, __cond_acquires).
	LockContract bool
	// Releases are the arguments of its __releases(...) annotations, as
	// written (C): what the definition promises to drop.
	Releases []string
	// Lines is the number of source lines the definition spans.
	Lines int
	// Fetched: the definition was read from elsewhere in the tree only to
	// learn its contract; it is not checked.
	Fetched bool
	// Stored: a file-scope initializer or macro call names the function
	// (an ops table, module_init(fn)) (C): code anywhere may call it.
	Stored bool
}

// Entry returns the entry block.
func (f *Func) Entry() *Block {
	if len(f.Blocks) == 0 {
		return nil
	}
	return f.Blocks[0]
}

// ParamIndex returns the index of the parameter named name, or -1.
func (f *Func) ParamIndex(name string) int {
	for i, p := range f.Params {
		if p.Name == name {
			return i
		}
	}
	return -1
}

// TypeOf returns the declared type of a parameter or local, or "".
func (f *Func) TypeOf(name string) string {
	for _, p := range f.Params {
		if p.Name == name {
			return p.Type
		}
	}
	return f.Locals[name]
}
