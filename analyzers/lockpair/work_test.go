package lockpair

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// typeCheck checks the package "example.com/p" made of src, which may
// import "example.com/dep" (depSrc) and the standard library, and
// returns a pass over it whose imported facts say that the functions
// ("F") and methods ("T.M") of dep named in withFact lock something.
func typeCheck(t *testing.T, fset *token.FileSet, std types.Importer, src, depSrc string, withFact ...string) *analysis.Pass {
	t.Helper()
	check := func(path, src string, imp types.Importer) (*types.Package, []*ast.File, *types.Info) {
		f, err := parser.ParseFile(fset, path+"/x.go", src, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{}, Types: map[ast.Expr]types.TypeAndValue{}}
		pkg, err := (&types.Config{Importer: imp}).Check(path, fset, []*ast.File{f}, info)
		if err != nil {
			t.Fatal(err)
		}
		return pkg, []*ast.File{f}, info
	}
	dep, _, _ := check("example.com/dep", depSrc, std)
	pkg, files, info := check("example.com/p", src, importerFunc(func(path string) (*types.Package, error) {
		if path == dep.Path() {
			return dep, nil
		}
		return std.Import(path)
	}))
	var facts []analysis.ObjectFact
	for _, name := range withFact {
		obj := dep.Scope().Lookup(name)
		if typ, method, ok := strings.Cut(name, "."); ok {
			obj, _, _ = types.LookupFieldOrMethod(dep.Scope().Lookup(typ).Type(), true, dep, method)
		}
		facts = append(facts, analysis.ObjectFact{Object: obj, Fact: &WrapperFact{}})
	}
	return &analysis.Pass{
		Fset: fset, Files: files, Pkg: pkg, TypesInfo: info,
		AllObjectFacts: func() []analysis.ObjectFact { return facts },
	}
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// TestHasWork checks which packages lockpair skips without building
// their SSA form: each case that locks, in any way lockpair follows,
// beside one that does not.
func TestHasWork(t *testing.T) {
	const dep = `package dep
import "sync"
var mu sync.Mutex
func Lock()   { mu.Lock() }
func Unlock() { mu.Unlock() }
func Plain()  {}
type Pool struct{}
func (*Pool) Acquire() { mu.Lock() }
type Writer interface{ Write() }
`
	fset := token.NewFileSet()
	std := importer.ForCompiler(fset, "source", nil)
	for _, c := range []struct {
		name, src string
		withFact  []string
		want      bool
	}{
		{"no lock", `package p
import ("example.com/dep"; "sync")
var once sync.Once
func F(w dep.Writer) { dep.Plain(); once.Do(func() {}); w.Write() }`, nil, false},
		{"a lock", `package p
import "sync"
type T struct{ mu sync.RWMutex }
func (t *T) F() { t.mu.RLock(); t.mu.RUnlock() }`, nil, true},
		{"an embedded lock", `package p
import "sync"
type T struct{ sync.Mutex }
func (t *T) F() { t.Lock() }`, nil, true},
		{"a method value", `package p
import "sync"
var mu sync.Mutex
var unlock = mu.Unlock`, nil, true},
		{"a lock through an interface", `package p
import "sync"
var mu sync.Mutex
func F() { var l sync.Locker = &mu; l.Lock() }`, nil, true},
		{"a wrapper with a fact", `package p
import "example.com/dep"
func F() { dep.Lock() }`, []string{"Lock", "Unlock"}, true},
		{"a function without a fact", `package p
import "example.com/dep"
func F() { dep.Lock() }`, []string{"Unlock"}, false},
		{"a wrapper through an interface", `package p
import "example.com/dep"
func F(p *dep.Pool) { var l interface{ Acquire() } = p; l.Acquire() }`, []string{"Pool.Acquire"}, true},
		{"an interface method named as a wrapper", `package p
func F(l interface{ Acquire() }) { l.Acquire() }`, []string{"Pool.Acquire"}, false},
		{"a lock type used, its interface method not called", `package p
import ("io"; "sync")
var mu sync.Mutex
func F(w io.Writer) { _ = &mu; w.Write(nil) }`, nil, false},
		{"a directive", `package p
//tagcheck:acquires mu
func F() {}`, nil, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			pass := typeCheck(t, fset, std, c.src, dep, c.withFact...)
			rs, err := BaseRulesForTest()
			if err != nil {
				t.Fatal(err)
			}
			if got := hasWork(pass, rs); got != c.want {
				t.Errorf("hasWork = %v, want %v", got, c.want)
			}
		})
	}
}
