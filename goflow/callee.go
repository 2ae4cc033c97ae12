package goflow

import (
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// Impls finds, per interface, the one type of a package that implements
// it, when there is one: the call through the interface then runs that
// type's method, as far as the package shows.
type Impls struct {
	pkg  *ssa.Package
	sole map[*types.Interface]types.Type
}

// NewImpls looks for implementations among pkg's named types.
func NewImpls(pkg *ssa.Package) *Impls {
	return &Impls{pkg: pkg, sole: map[*types.Interface]types.Type{}}
}

func (im *Impls) soleImpl(iface *types.Interface) types.Type {
	if im == nil || im.pkg == nil || iface.NumMethods() == 0 {
		return nil
	}
	if t, ok := im.sole[iface]; ok {
		return t
	}
	var found types.Type
	n := 0
	scope := im.pkg.Pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() {
			continue
		}
		named, ok := tn.Type().(*types.Named)
		if !ok || named.TypeParams().Len() > 0 || types.IsInterface(named) {
			continue
		}
		switch {
		case types.Implements(named, iface):
			found, n = named, n+1
		case types.Implements(types.NewPointer(named), iface):
			found, n = types.NewPointer(named), n+1
		}
	}
	if n != 1 {
		found = nil
	}
	im.sole[iface] = found
	return found
}

// Concrete finds the function a dynamic call runs when the code shows it:
// a bound method value (f := s.size; f()), a method called through an
// interface holding a value of known type (var b Buf = impl; b.Put(x)),
// or through an interface that one type of the package implements (with
// cfg.Impls). recv is the receiver the function gets. nil when unknown.
func (cfg Config) Concrete(c *ssa.CallCommon) (fn *ssa.Function, recv ssa.Value) {
	if c.IsInvoke() {
		dyn, recv := c.Value.Type(), c.Value
		if mi, ok := c.Value.(*ssa.MakeInterface); ok {
			dyn, recv = mi.X.Type(), mi.X
		} else if iface, ok := c.Value.Type().Underlying().(*types.Interface); !ok {
			return nil, nil
		} else if dyn = cfg.Impls.soleImpl(iface); dyn == nil {
			return nil, nil
		}
		if fn := methodOf(c.Value.Parent().Prog, dyn, c.Method); fn != nil {
			return fn, recv
		}
		return nil, nil
	}
	mc, ok := c.Value.(*ssa.MakeClosure)
	if !ok || len(mc.Bindings) != 1 {
		return nil, nil
	}
	wrapper := mc.Fn.(*ssa.Function)
	obj, ok := wrapper.Object().(*types.Func)
	if !ok || !strings.HasPrefix(wrapper.Synthetic, "bound method wrapper") {
		return nil, nil
	}
	if fn := wrapper.Prog.FuncValue(obj); fn != nil && fn.Synthetic == "" {
		return fn, mc.Bindings[0]
	}
	return nil, nil
}

// methodOf is the declared method m of type t, nil when t gets it only
// through a synthetic wrapper (promoted from an embedded field).
func methodOf(prog *ssa.Program, t types.Type, m *types.Func) *ssa.Function {
	if prog == nil {
		return nil
	}
	sel := prog.MethodSets.MethodSet(t).Lookup(m.Pkg(), m.Name())
	if sel == nil {
		return nil
	}
	fn := prog.MethodValue(sel)
	if fn == nil || fn.Synthetic != "" {
		return nil
	}
	return fn
}

// CalleeName spells the function a call runs as the rules do: the
// concrete one when Concrete finds it, else CalleeName's.
func (cfg Config) CalleeName(c *ssa.CallCommon) string {
	names := cfg.Names
	if names == nil {
		names = FuncName
	}
	if fn, _ := cfg.Concrete(c); fn != nil {
		return names(fn)
	}
	return CalleeName(c, names)
}
