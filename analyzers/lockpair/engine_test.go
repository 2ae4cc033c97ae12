package lockpair

import (
	"strings"
	"testing"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/report"
	"github.com/tagcheck/tagcheck/rules"
)

// A tiny builder for hand-made graphs; the C and Go front ends have their
// own table tests over real source.
type gb struct {
	f    *flow.Func
	line int
}

func newFunc(name, result string, params ...string) *gb {
	f := &flow.Func{Name: name, File: "t.c", Result: result, Pos: flow.Pos{File: "t.c", Line: 1, Col: 1}, Locals: map[string]string{}}
	for _, p := range params {
		f.Params = append(f.Params, flow.Param{Name: p, Type: "struct task_struct *"})
	}
	return &gb{f: f, line: 1}
}

func (g *gb) block() *flow.Block {
	b := &flow.Block{Index: len(g.f.Blocks)}
	g.f.Blocks = append(g.f.Blocks, b)
	return b
}

func (g *gb) pos() flow.Pos { g.line++; return flow.Pos{File: "t.c", Line: g.line, Col: 2} }

func id(n string) *flow.Expr { return &flow.Expr{Op: flow.OpIdent, Name: n, Text: n} }

func field(base *flow.Expr, name string) *flow.Expr {
	return &flow.Expr{Op: flow.OpField, Name: name, Arrow: true, Args: []*flow.Expr{base}, Text: base.Text + "->" + name}
}

func (g *gb) call(b *flow.Block, name string, args ...*flow.Expr) *flow.Expr {
	var ts []string
	for _, a := range args {
		ts = append(ts, a.Text)
	}
	c := &flow.Expr{Op: flow.OpCall, Name: name, Args: args, Text: name + "(" + strings.Join(ts, ", ") + ")", Pos: g.pos()}
	b.Events = append(b.Events, &flow.Event{Kind: flow.EvExpr, X: c, Pos: c.Pos})
	return c
}

func (g *gb) ret(b *flow.Block, x *flow.Expr) {
	b.Events = append(b.Events, &flow.Event{Kind: flow.EvReturn, X: x, Pos: g.pos()})
	b.Exit = flow.Return
}

func branch(b *flow.Block, cond *flow.Expr, t, f *flow.Block) {
	b.Succs = []flow.Edge{{To: t, Cond: cond, Value: true}, {To: f, Cond: cond, Value: false}}
}

func jump(b, to *flow.Block, label string) { b.Succs = []flow.Edge{{To: to, Label: label}} }

func tagWrite(g *gb, b *flow.Block, param string, set bool) {
	fld := field(id(param), "nsproxy")
	word := &flow.Expr{Op: flow.OpCast, Name: "unsigned long", Args: []*flow.Expr{fld}, Text: "(unsigned long)" + fld.Text}
	var v *flow.Expr
	if set {
		v = &flow.Expr{Op: flow.OpBinary, Name: "|", Args: []*flow.Expr{word, id("NSPROXY_READER")}}
	} else {
		v = &flow.Expr{Op: flow.OpBinary, Name: "&", Args: []*flow.Expr{word, {Op: flow.OpUnary, Name: "~", Args: []*flow.Expr{id("NSPROXY_READER")}}}}
	}
	cast := &flow.Expr{Op: flow.OpCast, Name: "struct nsproxy *", Args: []*flow.Expr{v}}
	addr := &flow.Expr{Op: flow.OpUnary, Name: "&", Args: []*flow.Expr{fld}, Text: "&" + fld.Text}
	g.call(b, "xchg", addr, cast)
}

func TestReaderTagWrappersAndMismatch(t *testing.T) {
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	set := newFunc("set_reader_nsproxy", "void", "tsk")
	b := set.block()
	tagWrite(set, b, "tsk", true)
	set.call(b, "task_lock", id("tsk"))
	b.Exit = flow.Return

	clr := newFunc("clear_reader_nsproxy", "void", "tsk")
	b = clr.block()
	clr.call(b, "task_unlock", id("tsk"))
	tagWrite(clr, b, "tsk", false)
	b.Exit = flow.Return

	learned := Learn([]*flow.Func{set.f, clr.f}, rs, rules.C)
	if len(learned) != 2 {
		t.Fatalf("learned %d pairs, want 2", len(learned))
	}
	acq := rs.Acquires("set_reader_nsproxy")
	if len(acq) != 1 || !acq[0].ReleasedBy("clear_reader_nsproxy") || acq[0].ReleasedBy("task_unlock") {
		t.Fatalf("set_reader_nsproxy pairs wrongly: %+v", acq)
	}

	// mounts_open_common: set_reader; if (!nsp) { task_unlock; goto err } ...; clear_reader; return 0; err: return ret.
	m := newFunc("mounts_open_common", "int", "task")
	entry, bad, good, errb := m.block(), m.block(), m.block(), m.block()
	m.call(entry, "set_reader_nsproxy", id("task"))
	branch(entry, &flow.Expr{Op: flow.OpUnary, Name: "!", Args: []*flow.Expr{id("nsp")}, Text: "!nsp"}, bad, good)
	m.call(bad, "task_unlock", id("task"))
	jump(bad, errb, "goto err")
	m.call(good, "clear_reader_nsproxy", id("task"))
	m.ret(good, &flow.Expr{Op: flow.OpNumber, Name: "0", Text: "0"})
	m.ret(errb, id("ret"))
	r := CheckFunc(m.f, rs, Options{Lang: rules.C})
	if len(r.Findings) != 1 {
		t.Fatalf("findings: %+v", r.Findings)
	}
	f := r.Findings[0]
	if f.Rule != report.MismatchedRelease || f.Fix == nil || f.Fix.New != "clear_reader_nsproxy(task)" {
		t.Fatalf("got %+v", f)
	}
	if !strings.Contains(f.Message, "task->alloc_lock but not the tag bit of task->nsproxy") {
		t.Errorf("message: %s", f.Message)
	}
	last := f.Related[len(f.Related)-1]
	if !strings.HasPrefix(last.Message, "exits with the tag bit of task->nsproxy still held (goto err)") {
		t.Errorf("path should end at the exit: %+v", f.Related)
	}
}

func TestCorrelatedConditionsAndTrylock(t *testing.T) {
	rs, _ := rules.Default()
	// if (need) mutex_lock(&m); work(); if (need) mutex_unlock(&m); return;
	g := newFunc("f", "void")
	b0, b1, b2, b3, b4 := g.block(), g.block(), g.block(), g.block(), g.block()
	m := &flow.Expr{Op: flow.OpUnary, Name: "&", Args: []*flow.Expr{id("m")}, Text: "&m"}
	branch(b0, id("need"), b1, b2)
	g.call(b1, "mutex_lock", m)
	jump(b1, b2, "")
	g.call(b2, "work")
	branch(b2, id("need"), b3, b4)
	g.call(b3, "mutex_unlock", m)
	jump(b3, b4, "")
	b4.Exit = flow.Return
	if r := CheckFunc(g.f, rs, Options{Lang: rules.C}); len(r.Findings) != 0 {
		t.Fatalf("correlated conditions gave %+v", r.Findings)
	}

	// if (!mutex_trylock(&m)) return -EBUSY; mutex_unlock(&m); return 0;
	g = newFunc("g", "int")
	b0, b1, b2 = g.block(), g.block(), g.block()
	c := g.call(b0, "mutex_trylock", m)
	branch(b0, &flow.Expr{Op: flow.OpUnary, Name: "!", Args: []*flow.Expr{c}, Text: "!" + c.Text}, b1, b2)
	g.ret(b1, &flow.Expr{Op: flow.OpUnary, Name: "-", Args: []*flow.Expr{id("EBUSY")}})
	g.call(b2, "mutex_unlock", m)
	g.ret(b2, &flow.Expr{Op: flow.OpNumber, Name: "0"})
	if r := CheckFunc(g.f, rs, Options{Lang: rules.C}); len(r.Findings) != 0 {
		t.Fatalf("trylock used correctly gave %+v", r.Findings)
	}

	// spin_lock_irqsave(&l, flags); if (err) return -EIO /* held */; spin_unlock(&l); return 0;
	g = newFunc("h", "int")
	b0, b1, b2 = g.block(), g.block(), g.block()
	l := &flow.Expr{Op: flow.OpUnary, Name: "&", Args: []*flow.Expr{id("l")}, Text: "&l"}
	g.call(b0, "spin_lock_irqsave", l, id("flags"))
	branch(b0, id("err"), b1, b2)
	g.ret(b1, &flow.Expr{Op: flow.OpUnary, Name: "-", Args: []*flow.Expr{id("EIO")}})
	g.call(b2, "spin_unlock", l)
	g.ret(b2, &flow.Expr{Op: flow.OpNumber, Name: "0"})
	r := CheckFunc(g.f, rs, Options{Lang: rules.C})
	var rulesSeen []string
	for _, f := range r.Findings {
		rulesSeen = append(rulesSeen, f.Rule)
	}
	if strings.Join(rulesSeen, ",") != "lockpair/mismatched-release,lockpair/unreleased" {
		t.Fatalf("got %v: %+v", rulesSeen, r.Findings)
	}
	if r.Findings[0].Fix.New != "spin_unlock_irqrestore(&l, flags)" {
		t.Errorf("fix: %+v", r.Findings[0].Fix)
	}
}
