package goflow

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"github.com/tagcheck/tagcheck/flow"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"
)

const header = `package p

import "sync"

type S struct {
	mu    sync.Mutex
	rw    sync.RWMutex
	inner struct{ mu sync.Mutex }
	ptr   *sync.Mutex
}

type E struct{ sync.Mutex }

var G sync.Mutex

func work() {}
func cond() bool { return true }
`

// build type-checks src (appended to header) and builds its SSA.
func build(t *testing.T, src string) *ssa.Package {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", header+src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	tc := &types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	pkg, _, err := ssautil.BuildPackage(tc, fset, types.NewPackage("example.com/p", "p"), []*ast.File{f}, 0)
	if err != nil {
		t.Fatal(err)
	}
	return pkg
}

func TestLowerShapes(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      []string // lines of Dump that must appear, in order
	}{
		{"field", `func (s *S) F() { s.mu.Lock(); s.mu.Unlock() }`,
			[]string{"b0: (*sync.Mutex).Lock(s.mu); (*sync.Mutex).Unlock(s.mu); return"}},
		{"nested and pointer field", `func (s *S) F() { s.inner.mu.Lock(); s.ptr.Lock(); s.ptr.Unlock(); s.inner.mu.Unlock() }`,
			[]string{"b0: (*sync.Mutex).Lock(s.inner.mu); (*sync.Mutex).Lock(s.ptr); (*sync.Mutex).Unlock(s.ptr); (*sync.Mutex).Unlock(s.inner.mu); return"}},
		{"embedded", `func (e *E) F() { e.Lock(); e.Unlock() }`,
			[]string{"b0: (*sync.Mutex).Lock(e.Mutex); (*sync.Mutex).Unlock(e.Mutex); return"}},
		{"global and local", `func F() { var mu sync.Mutex; mu.Lock(); G.Lock(); G.Unlock(); mu.Unlock() }`,
			[]string{"b0: (*sync.Mutex).Lock(mu); (*sync.Mutex).Lock(p.G); (*sync.Mutex).Unlock(p.G); (*sync.Mutex).Unlock(mu); return"}},
		{"pointer param", `func F(mu *sync.RWMutex) { mu.RLock(); mu.RUnlock() }`,
			[]string{"b0: (*sync.RWMutex).RLock(mu); (*sync.RWMutex).RUnlock(mu); return"}},
		{"defer", `func (s *S) F() { s.mu.Lock(); defer s.mu.Unlock(); work() }`,
			[]string{"b0: (*sync.Mutex).Lock(s.mu); defer (*sync.Mutex).Unlock(s.mu); example.com/p.work(); rundefers; return"}},
		{"defer closure", `func (s *S) F() { s.mu.Lock(); defer func() { work(); s.mu.Unlock() }() }`,
			[]string{"b0: (*sync.Mutex).Lock(s.mu); defer {example.com/p.work(); (*sync.Mutex).Unlock(s.mu)}; rundefers; return"}},
		{"early return", `func (s *S) F() error { s.mu.Lock(); if cond() { return nil }; s.mu.Unlock(); return nil }`,
			[]string{"b0: (*sync.Mutex).Lock(s.mu); t2=example.com/p.cond(); if t2 -> b1 else b2", "b1: return nil", "b2: (*sync.Mutex).Unlock(s.mu); return nil"}},
		{"trylock", `func (s *S) F() { if s.mu.TryLock() { s.mu.Unlock() } }`,
			[]string{"b0: t1=(*sync.Mutex).TryLock(s.mu); if t1 -> b1 else b2", "b1: (*sync.Mutex).Unlock(s.mu); -> b2"}},
		{"trylock negated", `func (s *S) F() { if !s.rw.TryRLock() { return }; s.rw.RUnlock() }`,
			[]string{"b0: t1=(*sync.RWMutex).TryRLock(s.rw); if t1 -> b2 else b1"}},
		{"comparison", `func F(n int, mu *sync.Mutex) { if n > 0 { mu.Lock() } }`,
			[]string{"b0: if n>0 -> b1 else b2"}},
		{"flag phi", `func F(mu *sync.Mutex) { locked := false; if cond() { mu.Lock(); locked = true }; work(); if locked { mu.Unlock() } }`,
			[]string{"b0: t0=example.com/p.cond(); if t0 -> b1 else b6", "b1: (*sync.Mutex).Lock(mu); -> b8",
				"b2: example.com/p.work(); if t2 -> b3 else b4", "b5: -> b2 when !t2", "b6: t2=0; -> b5", "b7: -> b2 when t2", "b8: t2=1; -> b7"}},
		{"panic", `func F(mu *sync.Mutex) { mu.Lock(); if cond() { panic("x") }; mu.Unlock() }`,
			[]string{"b1: panic(\"x\"); noreturn"}},
		{"go statement is not a call", `func F(mu *sync.Mutex) { go mu.Lock(); mu.Unlock() }`,
			[]string{"b0: go {go:(*sync.Mutex).Lock(mu)}; (*sync.Mutex).Unlock(mu); return"}},
		{"go literal in the caller's terms", `func (s *S) F() { s.mu.Lock(); go func(n int) { work(); defer s.ptr.Unlock(); s.mu.Unlock() }(1) }`,
			[]string{"b0: (*sync.Mutex).Lock(s.mu); go {go:example.com/p.work(); go:(*sync.Mutex).Unlock(s.ptr); go:(*sync.Mutex).Unlock(s.mu)}; return"}},
		{"go literal with parameters", `func F(mu *sync.Mutex) { mu.Lock(); go func(m *sync.Mutex) { m.Unlock() }(mu) }`,
			[]string{"b0: (*sync.Mutex).Lock(mu); go {go:(*sync.Mutex).Unlock(mu)}; return"}},
		{"interface call", `func F(l sync.Locker) { l.Lock(); l.Unlock() }`,
			[]string{"b0: (sync.Locker).Lock(l); (sync.Locker).Unlock(l); return"}},
		{"reassigned captured variable gets fresh keys", `func F(a, b *sync.Mutex) { mu := a; f := func() { mu = b }; mu.Lock(); f(); mu.Unlock() }`,
			[]string{"(*sync.Mutex).Lock(t"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			pkg := build(t, c.src)
			var fn *ssa.Function
			for _, m := range pkg.Members {
				if f, ok := m.(*ssa.Function); ok && f.Name() == "F" {
					fn = f
				}
			}
			if fn == nil {
				for _, tn := range []string{"S", "E"} {
					T := pkg.Type(tn)
					if T == nil {
						continue
					}
					ms := pkg.Prog.MethodSets.MethodSet(types.NewPointer(T.Type()))
					if sel := ms.Lookup(pkg.Pkg, "F"); sel != nil {
						fn = pkg.Prog.MethodValue(sel)
					}
				}
			}
			if fn == nil {
				t.Fatal("no F")
			}
			got := Dump(Lower(fn, nil))
			rest := got
			for _, w := range c.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("missing %q in\n%s", w, got)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

// Two computations of &s.mu must give one key; the call's text and
// position come from the source.
func TestKeysAndText(t *testing.T) {
	pkg := build(t, `func (s *S) F() {
	s.mu.Lock()
	s.mu.Unlock()
}`)
	T := pkg.Type("S")
	fn := pkg.Prog.MethodValue(pkg.Prog.MethodSets.MethodSet(types.NewPointer(T.Type())).Lookup(pkg.Pkg, "F"))
	f := Lower(fn, nil)
	if f.Name != "(*example.com/p.S).F" || len(f.Params) != 1 || f.Params[0].Name != "s" {
		t.Fatalf("name %q params %v", f.Name, f.Params)
	}
	evs := f.Blocks[0].Events
	lock, unlock := evs[0].X, evs[1].X
	if lock.Arg(0).Key() != unlock.Arg(0).Key() || lock.Arg(0).Key() != "s.mu" {
		t.Errorf("keys %q %q", lock.Arg(0).Key(), unlock.Arg(0).Key())
	}
	if unlock.Text != "s.mu.Unlock()" {
		t.Errorf("text %q", unlock.Text)
	}
	if p := unlock.Pos; p.Line != 20 || p.Col != 2 || p.File != "p.go" {
		t.Errorf("pos %v", p)
	}
	if ret := evs[len(evs)-1]; ret.Kind != flow.EvReturn || !ret.Pos.IsValid() {
		t.Errorf("implicit return %v", ret)
	}
}

// A go statement's event is inert as it stands (renamed calls) and
// GoCalls gives its calls back under their own names.
func TestGoCalls(t *testing.T) {
	pkg := build(t, `func F(mu *sync.Mutex) {
	mu.Lock()
	go func() {
		work()
		mu.Unlock()
	}()
}`)
	f := Lower(pkg.Func("F"), nil)
	var goev *flow.Event
	for _, ev := range f.Blocks[0].Events {
		if _, ok := GoCalls(ev); ok {
			goev = ev
		} else if ev.X != nil && strings.HasPrefix(ev.X.Name, GoPrefix) {
			t.Errorf("a plain event named %q", ev.X.Name)
		}
	}
	if goev == nil {
		t.Fatalf("no go event in\n%s", Dump(f))
	}
	if goev.Pos.Line != 20 || goev.Pos.Col != 2 {
		t.Errorf("go event at %v, want the go keyword (20:2)", goev.Pos)
	}
	for _, c := range flow.Calls(goev.X) {
		if !strings.HasPrefix(c.Name, GoPrefix) {
			t.Errorf("call %q of the go event not renamed", c.Name)
		}
	}
	calls, _ := GoCalls(goev)
	if len(calls) != 2 || calls[1].Name != "(*sync.Mutex).Unlock" || calls[1].Arg(0).Key() != "mu" || calls[1].Text != "mu.Unlock()" || calls[1].Pos.Line != 22 {
		t.Errorf("GoCalls = %v", calls)
	}
}

func TestNoReturnConfig(t *testing.T) {
	pkg := build(t, `func F(mu *sync.Mutex) { mu.Lock(); fatal(); mu.Unlock() }
func fatal() {}`)
	fn := pkg.Func("F")
	f := Config{NoReturn: func(n string) bool { return n == "example.com/p.fatal" }}.Lower(fn)
	if got := Dump(f); !strings.Contains(got, "b0: (*sync.Mutex).Lock(mu); example.com/p.fatal(); noreturn") {
		t.Errorf("got\n%s", got)
	}
}
