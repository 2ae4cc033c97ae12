package taggedptr

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/report"
	"github.com/tagcheck/tagcheck/rules"
)

// cKnownDeref are functions, outside the code in view, known to
// dereference their first argument. The list is short on purpose: a
// callee whose body is in view is judged by its body, and any other
// callee gets the weaker "passed on unmasked" report.
var cKnownDeref = map[string]bool{
	"put_nsproxy":  true, // atomic_dec_and_test(&ns->count)
	"get_nsproxy":  true, // atomic_inc(&ns->count)
	"free_nsproxy": true, // put_mnt_ns(ns->mnt_ns) ...
}

// cNoDeref are calls that take a pointer without following it: tests,
// stores of the word, the atomic operations the tag writes use.
var cNoDeref = map[string]bool{
	"likely": true, "unlikely": true, "WARN_ON": true, "WARN_ON_ONCE": true, "BUG_ON": true,
	"IS_ERR": true, "IS_ERR_OR_NULL": true, "PTR_ERR_OR_ZERO": true,
	"VM_BUG_ON": true, "VM_BUG_ON_PAGE": true, "VM_BUG_ON_FOLIO": true, "VM_WARN_ON": true,
	"VM_WARN_ON_ONCE": true, "VM_WARN_ON_ONCE_PAGE": true, "VM_WARN_ON_FOLIO": true,
	"WRITE_ONCE": true, "rcu_assign_pointer": true, "RCU_INIT_POINTER": true, "smp_store_release": true,
	"xchg": true, "xchg_relaxed": true, "xchg_acquire": true, "xchg_release": true,
	"cmpxchg": true, "cmpxchg_relaxed": true, "cmpxchg_acquire": true, "cmpxchg_release": true,
	"try_cmpxchg": true,
}

// computeDerefs finds, for each function in view, the parameters its body
// dereferences (P->g, *P, P[i], or P handed to a function that does).
func (c *cChecker) computeDerefs() {
	c.derefs = map[string][]bool{}
	for round := 0; round < 6; round++ {
		changed := false
		for _, f := range c.funcs {
			if len(f.Params) == 0 {
				continue
			}
			d := c.derefs[f.Name]
			if len(d) < len(f.Params) {
				d = append(d, make([]bool, len(f.Params)-len(d))...)
				c.derefs[f.Name] = d
			}
			mark := func(e *flow.Expr) {
				e = flow.Strip(e)
				if e == nil || e.Op != flow.OpIdent {
					return
				}
				if i := f.ParamIndex(e.Name); i >= 0 && !d[i] {
					d[i] = true
					changed = true
				}
			}
			cEvents(f, func(_ *flow.Block, ev *flow.Event) {
				flow.Walk(ev.X, func(x *flow.Expr) bool {
					switch {
					case x.Op == flow.OpSizeof:
						return false
					case x.Op == flow.OpField && x.Arrow, x.Op == flow.OpIndex,
						x.Op == flow.OpUnary && x.Name == "*":
						mark(x.Arg(0))
					case x.Op == flow.OpCall:
						for i, a := range x.Args {
							if c.calleeDerefs(x.Name, i) {
								mark(a)
							}
						}
					}
					return true
				})
			})
		}
		if !changed {
			break
		}
	}
}

// calleeDerefs reports whether callee dereferences its i'th argument.
func (c *cChecker) calleeDerefs(callee string, i int) bool {
	if d, ok := c.derefs[callee]; ok {
		return i < len(d) && d[i]
	}
	return cKnownDeref[callee] && i == 0
}

func (c *cChecker) hasBody(callee string) bool {
	_, ok := c.derefs[callee]
	return ok
}

// mentions reports whether f spells a field access like a tagged field.
func (c *cChecker) mentions(f *flow.Func) bool {
	found := false
	cEvents(f, func(_ *flow.Block, ev *flow.Event) {
		if found {
			return
		}
		flow.Walk(ev.X, func(x *flow.Expr) bool {
			if x.Op == flow.OpField && len(c.byName[x.Name]) > 0 {
				found = true
			}
			return !found
		})
	})
	return found
}

// cOrigin is one raw read of a tagged field.
type cOrigin struct {
	key  string
	text string // the read as written: p->nsproxy, READ_ONCE(tsk->nsproxy)
	read *flow.Expr
	pos  flow.Pos
	fld  *cField
}

// cTaint maps a local to the raw reads it may hold.
type cTaint map[string]map[string]*cOrigin

// cState is what the walk knows at a point of a path: the raw reads each
// local may hold (joined by union: any path), and the field reads a test
// of their tag bits has shown clear (joined by intersection: every path).
type cState struct {
	taint cTaint
	clear map[string]bool // Key of X->f
}

func (st *cState) clone() *cState {
	out := &cState{taint: make(cTaint, len(st.taint)), clear: make(map[string]bool, len(st.clear))}
	for k, v := range st.taint {
		m := make(map[string]*cOrigin, len(v))
		for ok, o := range v {
			m[ok] = o
		}
		out.taint[k] = m
	}
	for k := range st.clear {
		out.clear[k] = true
	}
	return out
}

// join adds u into st and reports whether st changed.
func (st *cState) join(u *cState) bool {
	changed := false
	for k, v := range u.taint {
		m := st.taint[k]
		if m == nil {
			m = map[string]*cOrigin{}
			st.taint[k] = m
		}
		for ok, o := range v {
			if _, ok2 := m[ok]; !ok2 {
				m[ok] = o
				changed = true
			}
		}
	}
	for k := range st.clear {
		if !u.clear[k] {
			delete(st.clear, k)
			changed = true
		}
	}
	return changed
}

// forget drops what st knows of the place written by an assignment to
// lhs: the local itself, and clear field reads through it.
func (st *cState) forget(lhs *flow.Expr) {
	k := lhs.Key()
	delete(st.taint, k)
	for c := range st.clear {
		if c == k || strings.HasPrefix(c, k+"->") || strings.HasPrefix(c, k+".") {
			delete(st.clear, c)
		}
	}
}

// guard applies the branch e to st: on the side of a test of tag bits
// where they are clear (if ((unsigned long)p & BIT) ... else, or
// if (!(x->f & 1))), the value tested is an address and may be followed.
func (st *cState) guard(e flow.Edge) *cState {
	tested, clearWhen, ok := cTagTest(e.Cond)
	if !ok || e.Value != clearWhen {
		return st
	}
	out := st.clone()
	switch tested.Op {
	case flow.OpIdent:
		delete(out.taint, tested.Name)
	case flow.OpField:
		out.clear[tested.Key()] = true
	}
	return out
}

// cTagTest matches cond against a test of constant bits of a word,
// W & M under !, != 0, == 0, likely and unlikely: it returns W (casts and
// read accessors removed) and the truth value of cond for which the bits
// are clear.
func cTagTest(cond *flow.Expr) (tested *flow.Expr, clearWhen, ok bool) {
	cond = flow.Strip(cond)
	if cond == nil {
		return nil, false, false
	}
	switch cond.Op {
	case flow.OpCall:
		if (cond.Name == "likely" || cond.Name == "unlikely") && len(cond.Args) == 1 {
			return cTagTest(cond.Args[0])
		}
	case flow.OpUnary:
		if cond.Name == "!" {
			t, c, ok := cTagTest(cond.Arg(0))
			return t, !c, ok
		}
	case flow.OpBinary:
		switch cond.Name {
		case "!=", "==":
			for i := 0; i < 2; i++ {
				if z := flow.Strip(cond.Arg(1 - i)); z != nil && z.Op == flow.OpNumber && strings.Trim(strings.ToLower(z.Name), "ul") == "0" {
					t, c, ok := cTagTest(cond.Arg(i))
					return t, c != (cond.Name == "=="), ok
				}
			}
		case "&":
			for i := 0; i < 2; i++ {
				if rules.ConstMask(cond.Arg(1 - i)) {
					w := cUnwrap(cond.Arg(i))
					if w != nil && (w.Op == flow.OpIdent || w.Op == flow.OpField) {
						return w, false, true
					}
				}
			}
		}
	}
	return nil, false, false
}

type cReaderWalk struct {
	c       *cChecker
	f       *flow.Func
	origins map[string]*cOrigin
	emit    bool
	found   map[string]*report.Finding
	order   []string
}

// readers runs the forward "tainted locals" data flow over f and reports
// raw reads of tagged fields that are dereferenced or passed on.
func (c *cChecker) readers(f *flow.Func) {
	if len(f.Blocks) == 0 || !c.mentions(f) {
		return
	}
	c.stats.Functions++
	w := &cReaderWalk{c: c, f: f, origins: map[string]*cOrigin{}, found: map[string]*report.Finding{}}
	in := make([]*cState, len(f.Blocks))
	index := map[*flow.Block]int{}
	for i, b := range f.Blocks {
		index[b] = i
	}
	in[0] = &cState{taint: cTaint{}, clear: map[string]bool{}}
	work := []int{0}
	queued := map[int]bool{0: true}
	for steps := 0; len(work) > 0 && steps < 50*len(f.Blocks)+100; steps++ {
		i := work[0]
		work = work[1:]
		queued[i] = false
		out := w.block(f.Blocks[i], in[i].clone())
		for _, e := range f.Blocks[i].Succs {
			j, ok := index[e.To]
			if !ok {
				continue
			}
			eo := out.guard(e)
			if in[j] == nil {
				in[j] = eo.clone()
			} else if !in[j].join(eo) {
				continue
			}
			if !queued[j] {
				queued[j] = true
				work = append(work, j)
			}
		}
	}
	w.emit = true
	for i, b := range f.Blocks {
		if in[i] == nil {
			continue // unreachable
		}
		w.block(b, in[i].clone())
	}
	for _, k := range w.order {
		c.out = append(c.out, *w.found[k])
	}
}

func (w *cReaderWalk) block(b *flow.Block, st *cState) *cState {
	for _, ev := range b.Events {
		switch ev.Kind {
		case flow.EvUnseen:
			// lines we cannot see may overwrite any local
			st.taint = cTaint{}
			st.clear = map[string]bool{}
		case flow.EvExpr, flow.EvReturn:
			w.visit(ev.X, st, ev)
		case flow.EvDefer:
			w.visit(ev.X, st, ev)
			for _, b := range ev.Body {
				w.visit(b.X, st, b)
			}
		}
	}
	return st
}

// unwrap strips casts and read accessors: what is left is the place read.
func cUnwrap(e *flow.Expr) *flow.Expr {
	for {
		e = flow.Strip(e)
		if e != nil && e.Op == flow.OpCall && cReadAccessors[e.Name] && len(e.Args) >= 1 {
			e = e.Args[0]
			continue
		}
		return e
	}
}

// raw returns the raw reads of tagged fields e may evaluate to: a direct
// read X->f (through casts, READ_ONCE, rcu_dereference), or a local that
// holds one.
func (w *cReaderWalk) raw(e *flow.Expr, st *cState, ev *flow.Event) []*cOrigin {
	s := cUnwrap(e)
	if s == nil {
		return nil
	}
	switch s.Op {
	case flow.OpIdent:
		m := st.taint[s.Name]
		if len(m) == 0 {
			return nil
		}
		out := make([]*cOrigin, 0, len(m))
		for _, o := range m {
			out = append(out, o)
		}
		sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
		return out
	case flow.OpField:
		if st.clear[s.Key()] {
			return nil // a test showed its tag bits clear
		}
		fld := w.c.tagged(w.f, s, ev)
		if fld == nil || fld.exempt(w.f.Name) {
			return nil
		}
		p := cPos(s, ev)
		k := fmt.Sprintf("%d:%d:%s", p.Line, p.Col, s.Key())
		o := w.origins[k]
		if o == nil {
			outer := flow.Strip(e)
			o = &cOrigin{key: k, text: cText(outer), read: s, pos: p, fld: fld}
			w.origins[k] = o
		}
		return []*cOrigin{o}
	}
	return nil
}

func (w *cReaderWalk) visit(e *flow.Expr, st *cState, ev *flow.Event) {
	if e == nil {
		return
	}
	switch e.Op {
	case flow.OpSizeof:
		return
	case flow.OpAssign:
		w.visit(e.Arg(1), st, ev)
		lhs := flow.Strip(e.Arg(0))
		if lhs == nil || lhs.Op != flow.OpIdent {
			w.visit(e.Arg(0), st, ev)
			if lhs != nil {
				st.forget(lhs)
			}
			return
		}
		var os []*cOrigin
		if e.Name == "=" {
			os = w.raw(e.Arg(1), st, ev)
		}
		st.forget(lhs)
		if len(os) == 0 {
			return
		}
		m := map[string]*cOrigin{}
		for _, o := range os {
			m[o.key] = o
		}
		st.taint[lhs.Name] = m
		return
	case flow.OpField:
		if e.Arrow {
			w.use(e, e.Arg(0), st, ev, "")
		}
	case flow.OpUnary:
		if e.Name == "*" {
			w.use(e, e.Arg(0), st, ev, "")
		}
	case flow.OpIndex:
		w.use(e, e.Arg(0), st, ev, "")
	case flow.OpCall:
		if !cReadAccessors[e.Name] && !cNoDeref[e.Name] {
			for _, a := range e.Args {
				w.use(e, a, st, ev, e.Name)
			}
		}
	}
	for _, a := range e.Args {
		w.visit(a, st, ev)
	}
	if e.Op == flow.OpUnary && (e.Name == "&" || e.Name == "++" || e.Name == "--") {
		// &v handed on may be written through; v++ is no longer the read
		if a := flow.Strip(e.Arg(0)); a != nil && a.Op == flow.OpIdent {
			st.forget(a)
		}
	}
}

// use reports the raw reads that operand holds, used by node: a
// dereference (callee == "") or an argument of a call to callee.
func (w *cReaderWalk) use(node, operand *flow.Expr, st *cState, ev *flow.Event, callee string) {
	if !w.emit {
		return
	}
	os := w.raw(operand, st, ev)
	if len(os) == 0 {
		return
	}
	local := ""
	if s := cUnwrap(operand); s != nil && s.Op == flow.OpIdent {
		local = s.Name
	}
	at := cPos(node, ev)
	if !at.IsValid() || at.Line == 0 {
		at = ev.Pos
	}
	for _, o := range os {
		if callee != "" && o.fld.exempt(callee) {
			continue
		}
		if callee != "" && !w.c.hasBody(callee) && w.handsInteger(o, operand, local) {
			continue
		}
		how := w.how(node, operand, callee, local, at)
		if how == "" {
			continue
		}
		w.report(o, node, local, how, at, ev)
	}
}

// handsInteger reports whether operand, the raw word of an integer field
// (unsigned long) or a local holding it, is handed on as an integer:
// printed, written to a register, given to the field's own macros. Only
// converted to a pointer ((u64 *)x->val), or held in a pointer local, is
// it an address the callee may follow.
func (w *cReaderWalk) handsInteger(o *cOrigin, operand *flow.Expr, local string) bool {
	switch t := w.c.env.fieldType(o.fld.Struct, o.fld.Field); {
	case t == "" && !w.c.intWords[o.fld.name()], strings.Contains(t, "*"):
		return false
	}
	for e := operand; e != nil && e.Op == flow.OpCast; e = e.Arg(0) {
		if strings.Contains(e.Name, "*") {
			return false
		}
	}
	return local == "" || !strings.Contains(w.f.TypeOf(local), "*")
}

// how says what happens to the raw value at node, for messages; "" when
// nothing that matters does.
func (w *cReaderWalk) how(node, operand *flow.Expr, callee, local string, at flow.Pos) string {
	name := cText(operand)
	if local != "" {
		name = local
	}
	if callee == "" {
		return fmt.Sprintf("%s dereferences it", cText(node))
	}
	idx := -1
	for i, a := range node.Args {
		if a == operand {
			idx = i
		}
	}
	switch {
	case w.c.calleeDerefs(callee, idx):
		return fmt.Sprintf("%s is passed unmasked to %s(), which dereferences it", name, callee)
	case w.c.hasBody(callee):
		// its body is in view and does not follow the pointer
		return ""
	default:
		return fmt.Sprintf("%s is passed on unmasked to %s(), code that will follow it", name, callee)
	}
}

func (w *cReaderWalk) report(o *cOrigin, node *flow.Expr, local, how string, at flow.Pos, ev *flow.Event) {
	fld := o.fld
	if len(fld.Scope) > 0 && !slices.Contains(fld.Scope, w.f.File) {
		return // another file's instances of a generic type: not tagged
	}
	direct := local == ""
	var key string
	pos := o.pos
	if direct {
		key = "d:" + o.key + ":" + fmt.Sprint(at.Line, at.Col)
		pos = at
	} else {
		key = "l:" + o.key
	}
	if f, ok := w.found[key]; ok {
		// the same read reaching another use: one finding, more related
		f.Related = append(f.Related, cRelated(at, how))
		return
	}
	base := o.read.Arg(0)
	fix := ""
	if len(fld.Accessors) > 0 {
		fix = fmt.Sprintf("; read it with %s(%s)", fld.Accessors[0], cText(base))
	}
	tag := fld.Mask
	if len(fld.Setters) > 0 {
		tag += ", set by " + strings.Join(fld.Setters, ", ")
	}
	var msg string
	if direct {
		msg = fmt.Sprintf("%s reads %s raw, without clearing its tag bits (%s), and %s: with a tag bit set the address is off and the access reads the wrong memory or faults%s",
			o.text, fld.name(), tag, how, fix)
	} else {
		msg = fmt.Sprintf("%s reads %s raw into %s, without clearing its tag bits (%s), and %s at line %d: with a tag bit set the address is off and the access reads the wrong memory or faults%s",
			o.text, fld.name(), local, tag, how, at.Line, fix)
	}
	f := &report.Finding{
		Rule: report.UntaggedDeref, File: pos.File, Line: pos.Line, Column: pos.Col, Function: w.f.Name,
		Message: msg, Group: fld.name(),
	}
	if f.File == "" {
		f.File = w.f.File
	}
	if !direct {
		f.Related = append(f.Related, cRelated(at, how))
	}
	for _, l := range fld.Learned {
		f.Related = append(f.Related, cRelated(l, fmt.Sprintf("tag bits (%s) written into %s here", fld.Mask, fld.name())))
	}
	if direct && len(fld.Accessors) > 0 && o.read == cUnwrap(o.read) && !strings.Contains(o.read.Text, "\n") && o.read.Text != "" && o.text == o.read.Text {
		f.Fix = &report.Fix{File: f.File, Line: o.pos.Line, Old: o.read.Text, New: fmt.Sprintf("%s(%s)", fld.Accessors[0], cText(base))}
	}
	w.found[key] = f
	w.order = append(w.order, key)
}
