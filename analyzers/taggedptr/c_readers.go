package taggedptr

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/report"
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

func (t cTaint) clone() cTaint {
	out := make(cTaint, len(t))
	for k, v := range t {
		m := make(map[string]*cOrigin, len(v))
		for ok, o := range v {
			m[ok] = o
		}
		out[k] = m
	}
	return out
}

// join adds u into t and reports whether t grew.
func (t cTaint) join(u cTaint) bool {
	grew := false
	for k, v := range u {
		m := t[k]
		if m == nil {
			m = map[string]*cOrigin{}
			t[k] = m
		}
		for ok, o := range v {
			if _, ok2 := m[ok]; !ok2 {
				m[ok] = o
				grew = true
			}
		}
	}
	return grew
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
	in := make([]cTaint, len(f.Blocks))
	index := map[*flow.Block]int{}
	for i, b := range f.Blocks {
		index[b] = i
	}
	in[0] = cTaint{}
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
			if in[j] == nil {
				in[j] = cTaint{}
				in[j].join(out)
			} else if !in[j].join(out) {
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

func (w *cReaderWalk) block(b *flow.Block, st cTaint) cTaint {
	for _, ev := range b.Events {
		switch ev.Kind {
		case flow.EvUnseen:
			// lines we cannot see may overwrite any local
			for k := range st {
				delete(st, k)
			}
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
func (w *cReaderWalk) raw(e *flow.Expr, st cTaint, ev *flow.Event) []*cOrigin {
	s := cUnwrap(e)
	if s == nil {
		return nil
	}
	switch s.Op {
	case flow.OpIdent:
		m := st[s.Name]
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

func (w *cReaderWalk) visit(e *flow.Expr, st cTaint, ev *flow.Event) {
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
			return
		}
		var os []*cOrigin
		if e.Name == "=" {
			os = w.raw(e.Arg(1), st, ev)
		}
		if len(os) == 0 {
			delete(st, lhs.Name)
			return
		}
		m := map[string]*cOrigin{}
		for _, o := range os {
			m[o.key] = o
		}
		st[lhs.Name] = m
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
			delete(st, a.Name)
		}
	}
}

// use reports the raw reads that operand holds, used by node: a
// dereference (callee == "") or an argument of a call to callee.
func (w *cReaderWalk) use(node, operand *flow.Expr, st cTaint, ev *flow.Event, callee string) {
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
		how := w.how(node, operand, callee, local, at)
		if how == "" {
			continue
		}
		w.report(o, node, local, how, at, ev)
	}
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
	if fld.Scope != "" && w.f.File != fld.Scope {
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
