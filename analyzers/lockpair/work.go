package lockpair

import (
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/tagcheck/tagcheck/rules"
)

// hasWork reports whether lockpair can learn or report anything in the
// package: whether it refers to a function that the rules (rs) or an
// imported fact say locks or unlocks, calls such a method through an
// interface holding a value of its type, or has a //tagcheck: comment.
// Every function lockpair walks, learns or summarises calls such a
// function, so a package without work has no finding and no fact to
// export, and its SSA form is not built: go vet runs lockpair on every
// dependency, the standard library's too, for facts.
func hasWork(pass *analysis.Pass, rs *rules.Set) bool {
	withFact := map[types.Object]bool{}
	receivers := map[string]map[string]bool{} // method name -> receiver types of the known methods of that name
	addMethod := func(fullName string) {
		if recv, name, ok := splitMethod(fullName); ok {
			if receivers[name] == nil {
				receivers[name] = map[string]bool{}
			}
			receivers[name][recv] = true
		}
	}
	for _, f := range pass.AllObjectFacts() {
		withFact[f.Object] = true
		if fn, ok := f.Object.(*types.Func); ok {
			addMethod(fn.FullName())
		}
	}
	for _, p := range rs.Pairs() {
		for _, names := range [][]string{p.Acquire, p.Release, p.Takes} {
			for _, n := range names {
				addMethod(n)
			}
		}
	}
	var used map[string]bool // named types of the package's expressions, see usedTypes
	for _, obj := range pass.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if !ok {
			continue
		}
		fn = fn.Origin()
		if knows(rs, fn.FullName()) || withFact[fn] {
			return true
		}
		// An interface method runs a known method when the interface
		// holds a value of that method's type (goflow.Config.Concrete):
		// the package then has an expression of the type.
		recvs := receivers[fn.Name()]
		if len(recvs) == 0 || !isInterfaceMethod(fn) {
			continue
		}
		if used == nil {
			used = usedTypes(pass.TypesInfo)
		}
		for r := range recvs {
			if used[r] {
				return true
			}
		}
	}
	for _, f := range pass.Files {
		for _, g := range f.Comments {
			for _, c := range g.List {
				if strings.Contains(c.Text, "tagcheck:") {
					return true
				}
			}
		}
	}
	return false
}

// knows reports whether the rules say that a call of the function named
// name acquires, releases or takes a lock.
func knows(rs *rules.Set, name string) bool {
	return len(rs.Acquires(name)) > 0 || len(rs.Releases(name)) > 0 || len(rs.Takes(name)) > 0
}

// splitMethod splits a method's full name, "(*sync.Mutex).Lock", into
// its receiver's type, "sync.Mutex" (without type arguments), and name.
func splitMethod(fullName string) (recv, name string, ok bool) {
	recv, name, ok = strings.Cut(strings.TrimPrefix(fullName, "("), ").")
	if !ok || !strings.HasPrefix(fullName, "(") {
		return "", "", false
	}
	recv = strings.TrimPrefix(recv, "*")
	if i := strings.IndexByte(recv, '['); i >= 0 {
		recv = recv[:i]
	}
	return recv, name, true
}

func isInterfaceMethod(fn *types.Func) bool {
	sig, ok := fn.Type().(*types.Signature)
	return ok && sig.Recv() != nil && types.IsInterface(sig.Recv().Type())
}

// usedTypes returns the named types ("sync.Mutex") of the package's
// expressions, and of what they point to.
func usedTypes(info *types.Info) map[string]bool {
	used := map[string]bool{}
	for _, tv := range info.Types {
		t := tv.Type
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := t.(*types.Named); ok && n.Obj().Pkg() != nil {
			used[n.Obj().Pkg().Path()+"."+n.Obj().Name()] = true
		}
	}
	return used
}
