package lockpair

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/types"
	"slices"
	"sort"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/goflow"
	"github.com/tagcheck/tagcheck/rules"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"
)

// Wrapper learning on the Go side: summaries learned from bodies, callers
// that release, functions that take locks while they run, and the
// //tagcheck:acquires and //tagcheck:releases directives.

// learn finds the wrappers among funcs, repeating so that wrappers of
// wrappers are found too. Callees come first, so that most functions are
// walked once, with what their callees take and wrap already known.
func (c *checker) learn(funcs []*ssa.Function) {
	funcs = c.calleesFirst(funcs)
	known := map[*ssa.Function]bool{}
	// Wrappers by shape whose lock is taken in a loop wait until some
	// caller is seen to release after them, which may take the release
	// wrappers of later rounds.
	inLoop := map[*ssa.Function]*rules.Pair{}
	for round := 0; round < 8; round++ {
		added := 0
		for _, fn := range funcs {
			if known[fn] || c.declared[fn] || !c.candidate(fn) {
				continue
			}
			if prev, ok := c.walks[fn]; ok && !c.calleesChanged(fn, prev.gen) {
				continue // walked since anything it calls was learned
			}
			name := goflow.FuncName(fn)
			if len(c.rs.Acquires(name)) > 0 || len(c.rs.Releases(name)) > 0 {
				continue
			}
			f := c.lower(fn)
			r := c.checkCached(fn)
			if r.Degraded {
				continue
			}
			obj, _ := fn.Object().(*types.Func)
			if r.Wrapper == nil && len(r.Releases) == 0 {
				added += c.learnTakes(fn, obj, r.Takes)
			}
			if r.Wrapper != nil && r.WrapperInLoop && !c.releasedByCallers(fn, r.Wrapper) {
				inLoop[fn] = r.Wrapper
				continue
			}
			if r.Wrapper != nil {
				known[fn] = true
				c.addWrapper(fn, obj, r.Wrapper)
				added++
			}
			if len(r.Releases) > 0 {
				c.changed(name)
				known[fn] = true
				p := &rules.Pair{Name: name, Lang: rules.Go, Release: []string{name}, Resources: r.Releases,
					Learned: f.Pos.String()}
				mode := c.releaseMode(f)
				c.rs.AddPair(p)
				p.Mode = mode
				c.relMode[p] = mode
				c.releasers = append(c.releasers, p)
				if obj != nil {
					c.own[obj] = append(c.own[obj], p)
				}
				added++
			}
		}
		for _, fn := range funcs {
			if p := inLoop[fn]; p != nil && c.releasedByCallers(fn, p) {
				delete(inLoop, fn)
				known[fn] = true
				obj, _ := fn.Object().(*types.Func)
				c.addWrapper(fn, obj, p)
				added++
			}
		}
		c.match()
		if added > 0 {
			continue
		}
		if len(inLoop) == 0 {
			break
		}
		for fn := range inLoop {
			// Leaves a loop holding the lock, and no caller
			// releases it after: a forgotten unlock before a break,
			// not a wrapper. Walked again as such next round, so that
			// what it takes is learned.
			c.unwrapped[fn] = true
			delete(c.walks, fn)
		}
		clear(inLoop)
	}
}

// calleesFirst orders funcs so that each comes after the functions of
// the package it calls, but in a cycle of calls (in source order there).
func (c *checker) calleesFirst(funcs []*ssa.Function) []*ssa.Function {
	byName := make(map[string]*ssa.Function, len(funcs))
	for _, fn := range funcs {
		byName[goflow.FuncName(fn)] = fn
	}
	seen := make(map[*ssa.Function]bool, len(funcs))
	order := make([]*ssa.Function, 0, len(funcs))
	var visit func(fn *ssa.Function)
	visit = func(fn *ssa.Function) {
		if seen[fn] {
			return
		}
		seen[fn] = true
		for _, n := range c.calls[fn] {
			if callee := byName[n]; callee != nil {
				visit(callee)
			}
		}
		order = append(order, fn)
	}
	for _, fn := range funcs {
		visit(fn)
	}
	return order
}

// addWrapper adds the acquire wrapper p learned from fn.
func (c *checker) addWrapper(fn *ssa.Function, obj *types.Func, p *rules.Pair) {
	c.changed(goflow.FuncName(fn))
	c.rs.AddPair(p)
	c.acquirers = append(c.acquirers, p)
	if obj != nil {
		c.own[obj] = append(c.own[obj], p)
	}
}

// releasedByCallers reports whether some function of the package calls fn
// and also one of the releases of the wrapper pair p: evidence that fn's
// callers expect it to return holding the lock. An exported function
// without such callers in view must say so with //tagcheck:acquires.
func (c *checker) releasedByCallers(fn *ssa.Function, p *rules.Pair) bool {
	name := goflow.FuncName(fn)
	for caller, names := range c.calls {
		if caller == fn || !slices.Contains(names, name) {
			continue
		}
		for _, n := range names {
			if p.ReleasedBy(n) {
				return true
			}
			for _, r := range c.rs.Releases(n) {
				if len(r.Acquire) == 0 && sameSet(r.Holds(), p.Holds()) {
					return true // a release wrapper of the same lock
				}
			}
		}
	}
	return false
}

// learnTakes adds what fn takes while it runs to the rules, so that its
// callers holding one of them are told (and, for an exported function,
// callers in other packages through its fact). It returns how many are new.
func (c *checker) learnTakes(fn *ssa.Function, obj *types.Func, takes []*rules.Pair) int {
	n := 0
	for _, p := range takes {
		k := p.Resources[0] + " " + string(p.Mode)
		if c.taken[fn][k] {
			continue
		}
		if c.taken[fn] == nil {
			c.taken[fn] = map[string]bool{}
		}
		c.taken[fn][k] = true
		c.rs.AddPair(p)
		c.changed(p.Name)
		if obj != nil && obj.Exported() && nameable(p.Resources[0]) {
			c.own[obj] = append(c.own[obj], p)
		}
		n++
	}
	return n
}

// nameable reports whether code in another package can hold the resource
// template t: one reached through a parameter or an exported package
// variable. Only those go into facts: that fmt.Errorf takes sync's
// allPoolsMu concerns no caller.
func nameable(t string) bool {
	if strings.HasPrefix(t, "$") {
		return true
	}
	_, v, ok := strings.Cut(t, ".")
	return ok && v != "" && v[0] >= 'A' && v[0] <= 'Z'
}

// releaseMode is the mode of the releases f calls, or "" when they differ.
func (c *checker) releaseMode(f *flow.Func) rules.Mode {
	var mode rules.Mode
	seen := false
	var visit func(evs []*flow.Event)
	visit = func(evs []*flow.Event) {
		for _, ev := range evs {
			visit(ev.Body)
			for _, call := range flow.Calls(ev.X) {
				for _, p := range c.rs.Releases(call.Name) {
					m := p.Mode
					if m == "" {
						m = rules.Exclusive
					}
					if seen && m != mode {
						mode = ""
					} else if !seen {
						mode = m
					}
					seen = true
				}
			}
		}
	}
	for _, b := range f.Blocks {
		visit(b.Events)
	}
	return mode
}

// match pairs acquire wrappers with the release wrappers of the same
// resources and mode: s.ReadLock() pairs with s.ReadUnlock(), not with
// s.WriteUnlock(). The release wrapper's name goes first, so a fix
// suggests it.
func (c *checker) match() {
	for _, a := range c.acquirers {
		am := a.Mode
		if am == "" {
			am = rules.Exclusive
		}
		var names []string
		for _, r := range c.releasers {
			if m := c.relMode[r]; m != "" && m != am || !sameSet(a.Holds(), r.Holds()) {
				continue
			}
			for _, n := range r.Release {
				if !a.ReleasedBy(n) {
					names = append(names, n)
				}
			}
		}
		if len(names) > 0 {
			sort.Strings(names)
			a.Release = append(names, a.Release...)
			for _, n := range a.Acquire {
				c.changed(n) // its callers pair it differently now
			}
		}
	}
}

// directives reads //tagcheck:acquires and //tagcheck:releases in the doc
// comments of the package's functions.
func (c *checker) directives(in *buildssa.SSA) {
	byObj := map[*types.Func]*ssa.Function{}
	for _, fn := range in.SrcFuncs {
		if obj, ok := fn.Object().(*types.Func); ok {
			byObj[obj] = fn
		}
	}
	for _, file := range c.pass.Files {
		for _, d := range file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Doc == nil {
				continue
			}
			obj, _ := c.pass.TypesInfo.Defs[fd.Name].(*types.Func)
			if obj == nil {
				continue
			}
			for _, cm := range fd.Doc.List {
				text := strings.TrimSpace(cm.Text)
				if i := strings.Index(text, " //"); i >= 0 {
					text = text[:i] // a remark after the directive
				}
				var verb string
				switch {
				case strings.HasPrefix(text, "//tagcheck:acquires"):
					verb = "acquires"
				case strings.HasPrefix(text, "//tagcheck:releases"):
					verb = "releases"
				default:
					continue
				}
				p, err := c.directivePair(obj, verb, strings.Fields(text)[1:])
				if err != nil {
					c.pass.Report(analysis.Diagnostic{Pos: cm.Pos(), Category: "directive",
						Message: "lockpair: " + err.Error()})
					continue
				}
				if fn := byObj[obj]; fn != nil {
					c.declared[fn] = true
				}
				c.rs.AddPair(p)
				if verb == "acquires" {
					c.acquirers = append(c.acquirers, p)
				} else {
					c.releasers = append(c.releasers, p)
					c.relMode[p] = p.Mode
				}
				c.own[obj] = append(c.own[obj], p)
			}
		}
	}
}

func (c *checker) directivePair(obj *types.Func, verb string, args []string) (*rules.Pair, error) {
	if len(args) == 0 || len(args) > 2 {
		return nil, fmt.Errorf("//tagcheck:%s wants RESOURCE [shared|exclusive]", verb)
	}
	mode := rules.Exclusive
	if len(args) == 2 {
		switch rules.Mode(args[1]) {
		case rules.Shared, rules.Exclusive:
			mode = rules.Mode(args[1])
		default:
			return nil, fmt.Errorf("//tagcheck:%s %s: mode %q: want shared or exclusive", verb, args[0], args[1])
		}
	}
	sig := obj.Signature()
	var params []*types.Var
	if sig.Recv() != nil {
		params = append(params, sig.Recv())
	}
	for i := 0; i < sig.Params().Len(); i++ {
		params = append(params, sig.Params().At(i))
	}
	res := args[0]
	root, rest := res, ""
	if i := strings.IndexByte(res, '.'); i >= 0 {
		root, rest = res[:i], res[i:]
	}
	tmpl := ""
	var rootType types.Type
	for i, p := range params {
		if p.Name() == root {
			tmpl = fmt.Sprintf("$%d%s", i, rest)
			rootType = p.Type()
		}
	}
	if tmpl == "" {
		v, ok := c.pass.Pkg.Scope().Lookup(root).(*types.Var)
		if !ok {
			return nil, fmt.Errorf("//tagcheck:%s %s: %s is neither a parameter nor a package variable", verb, res, root)
		}
		tmpl = c.pass.Pkg.Name() + "." + res
		rootType = types.NewPointer(v.Type())
	}
	name := obj.FullName()
	p := &rules.Pair{Name: name, Lang: rules.Go, Resources: []string{tmpl}, Mode: mode,
		Learned: c.pass.Fset.Position(obj.Pos()).String()}
	if verb == "acquires" {
		p.Acquire = []string{name}
		// The lock's own releases pair with it too.
		if t := fieldType(rootType, rest); t != nil {
			p.Release = c.releasesOf(t, mode)
		}
	} else {
		p.Release = []string{name}
	}
	return p, nil
}

// fieldType follows ".a.b" from t.
func fieldType(t types.Type, path string) types.Type {
	for _, f := range strings.Split(strings.TrimPrefix(path, "."), ".") {
		if f == "" {
			continue
		}
		obj, _, _ := types.LookupFieldOrMethod(t, true, nil, f)
		v, ok := obj.(*types.Var)
		if !ok {
			return nil
		}
		t = v.Type()
	}
	return t
}

// releasesOf lists the releases the rules give for unconditional acquires
// by methods of t (or *t) in the given mode.
func (c *checker) releasesOf(t types.Type, mode rules.Mode) []string {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	prefixes := []string{"(*" + t.String() + ").", "(" + t.String() + ")."}
	var out []string
	for _, p := range c.rs.Pairs() {
		if p.When != rules.Always || p.Mode != mode {
			continue
		}
		for _, a := range p.Acquire {
			if strings.HasPrefix(a, prefixes[0]) || strings.HasPrefix(a, prefixes[1]) {
				for _, r := range p.Release {
					if !slices.Contains(out, r) {
						out = append(out, r)
					}
				}
			}
		}
	}
	return out
}

func (c *checker) export() {
	objs := make([]*types.Func, 0, len(c.own))
	for obj := range c.own {
		objs = append(objs, obj)
	}
	for _, obj := range objs {
		if obj.Pkg() != c.pass.Pkg {
			continue
		}
		f := &WrapperFact{}
		for _, p := range c.own[obj] {
			f.Pairs = append(f.Pairs, factPair(p))
		}
		c.pass.ExportObjectFact(obj, f)
	}
}
