package lockpair

import (
	"slices"
	"sort"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/rules"
)

// Predicates of one integer. do_ip_getsockopt takes rtnl only when
// needs_rtnl = getsockopt_needs_rtnl(optname) is true, and its case
// IP_MTU returns early without dropping it: getsockopt_needs_rtnl is true
// for IP_MSFILTER and MCAST_MSFILTER only, so that return never holds
// rtnl. The predicate is learned from its body (rules.Pair.TrueFor), and
// a path that took the lock under the local and then finds the argument
// equal to a constant the predicate is false for is no path.

// predicates learns the functions of funcs whose one integer argument
// decides their result: bodies that only compare it with constants and
// return literals (or such comparisons), false for every other value. A
// name with two bodies that disagree is left out.
func predicates(funcs []*flow.Func, rs *rules.Set, lang rules.Lang) []*rules.Pair {
	found := map[string]*rules.Pair{}
	var order []string
	for _, f := range funcs {
		if _, known := rs.TrueFor(f.Name); known || !predicateShape(f) {
			continue
		}
		trueFor, ok := trueForOf(f)
		prev, seen := found[f.Name]
		switch {
		case seen && (prev == nil || !ok || !slices.Equal(prev.TrueFor, trueFor)):
			found[f.Name] = nil
		case !seen && ok:
			found[f.Name] = &rules.Pair{Name: f.Name, Lang: lang, TrueFor: trueFor, Learned: f.Pos.String()}
			order = append(order, f.Name)
		case !seen:
			found[f.Name] = nil
		}
	}
	var out []*rules.Pair
	for _, name := range order {
		if p := found[name]; p != nil {
			rs.AddPair(p)
			out = append(out, p)
		}
	}
	return out
}

// predicateShape reports whether f could be a predicate of one integer.
func predicateShape(f *flow.Func) bool {
	r := strings.TrimSpace(f.Result)
	return !f.Partial && !f.Degraded && len(f.Blocks) > 0 && len(f.Params) == 1 &&
		!strings.Contains(f.Params[0].Type, "*") && (r == "bool" || r == "_Bool" || r == "int")
}

// trueForOf evaluates f for each constant its argument is compared with,
// and for any other value: the constants it returns true for, if it
// returns false for any other value and true for some.
func trueForOf(f *flow.Func) ([]string, bool) {
	param := f.Params[0].Name
	var consts []string
	for _, b := range f.Blocks {
		for _, e := range b.Succs {
			if x, k, ok := numberTest(e.Cond); ok && x == param && !slices.Contains(consts, k) {
				consts = append(consts, k)
			}
		}
		for _, ev := range b.Events {
			if ev.Kind == flow.EvReturn {
				flow.Walk(ev.X, func(x *flow.Expr) bool {
					if v, k, ok := numberTest(x); ok && v == param && !slices.Contains(consts, k) {
						consts = append(consts, k)
					}
					return true
				})
			}
		}
	}
	if other, ok := evalPredicate(f, param, ""); len(consts) == 0 || !ok || other {
		return nil, false
	}
	var out []string
	for _, k := range consts {
		v, ok := evalPredicate(f, param, k)
		if !ok {
			return nil, false
		}
		if v {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out, len(out) > 0
}

// evalPredicate runs f with its argument param equal to the constant k
// ("": to none of those it is compared with). ok is false when the body
// does anything but test param and return.
func evalPredicate(f *flow.Func, param, k string) (value, ok bool) {
	b := f.Entry()
	for steps := 0; steps <= len(f.Blocks); steps++ {
		for _, ev := range b.Events {
			switch x := flow.Strip(ev.X); {
			case ev.Kind == flow.EvReturn:
				return evalEquality(x, param, k)
			case ev.Kind == flow.EvExpr && x != nil && x.Op == flow.OpIdent && x.Name == param:
				// the head of switch (param)
			default:
				return false, false
			}
		}
		if b = predicateEdge(b, param, k); b == nil {
			return false, false
		}
	}
	return false, false // a loop
}

// predicateEdge is the successor of b taken when param equals k.
func predicateEdge(b *flow.Block, param, k string) *flow.Block {
	var other *flow.Block
	for _, e := range b.Succs {
		if e.Cond == nil {
			if other != nil {
				return nil
			}
			other = e.To
			continue
		}
		x, c, ok := numberTest(e.Cond)
		if !ok || x != param {
			return nil
		}
		if (c == k) == e.Value {
			return e.To
		}
	}
	return other
}

// evalEquality is the value of x, built of literals, param == K tests,
// !, && and ||, when param equals k.
func evalEquality(x *flow.Expr, param, k string) (value, ok bool) {
	x = flow.Strip(x)
	if x == nil {
		return false, false
	}
	if v, c, isTest := numberTest(x); isTest && v == param {
		return c == k, true
	}
	switch {
	case x.Op == flow.OpNumber:
		return strings.Trim(strings.ToLower(x.Name), "ul") != "0", true
	case x.Op == flow.OpIdent && (x.Name == "true" || x.Name == "false"):
		return x.Name == "true", true
	case x.Op == flow.OpUnary && x.Name == "!":
		v, ok := evalEquality(x.Arg(0), param, k)
		return !v, ok
	case x.Op == flow.OpBinary && (x.Name == "&&" || x.Name == "||"):
		a, okA := evalEquality(x.Arg(0), param, k)
		b, okB := evalEquality(x.Arg(1), param, k)
		if x.Name == "&&" {
			return a && b, okA && okB
		}
		return a || b, okA && okB
	}
	return false, false
}

// predLocal is a local set once from a learned predicate of an argument
// the function never assigns.
type predLocal struct {
	arg     string
	trueFor []string
}

// predLocals finds the locals of the function that hold a predicate of
// an unchanging argument (bool needs_rtnl = getsockopt_needs_rtnl(optname)).
func (w *walker) predLocals() map[string]predLocal {
	if w.predSet != nil {
		return w.predSet
	}
	w.predSet = map[string]predLocal{}
	assigned := map[string]int{}
	var cands []string
	found := map[string]predLocal{}
	eachExpr(w.f, func(x *flow.Expr) {
		flow.Walk(x, func(e *flow.Expr) bool {
			switch {
			case e.Op == flow.OpAssign:
				lhs := flow.Strip(e.Arg(0))
				if lhs == nil || lhs.Op != flow.OpIdent {
					return true
				}
				assigned[lhs.Name]++
				c := flow.Strip(e.Arg(1))
				if e.Name != "=" || c == nil || c.Op != flow.OpCall || len(c.Args) != 1 {
					return true
				}
				arg := flow.Strip(c.Args[0])
				if trueFor, ok := w.rs.TrueFor(c.Name); ok && arg != nil && arg.Op == flow.OpIdent {
					cands = append(cands, lhs.Name)
					found[lhs.Name] = predLocal{arg: arg.Name, trueFor: trueFor}
				}
			case e.Op == flow.OpUnary && (e.Name == "++" || e.Name == "--" || e.Name == "&"):
				if a := flow.Strip(e.Arg(0)); a != nil && a.Op == flow.OpIdent {
					assigned[a.Name] += 2 // changed, or may be through its address
				}
			}
			return true
		})
	})
	for _, v := range cands {
		if p := found[v]; assigned[v] == 1 && assigned[p.arg] == 0 {
			w.predSet[v] = p
		}
	}
	return w.predSet
}

// predEdge reports whether taking e, a test arg == K, agrees with what
// the path found of a local holding a predicate of arg.
func (w *walker) predEdge(s *state, e flow.Edge) bool {
	x, k, ok := numberTest(e.Cond)
	if !ok || !e.Value || len(s.facts) == 0 {
		return true
	}
	for v, p := range w.predLocals() {
		if p.arg != x {
			continue
		}
		implied := slices.Contains(p.trueFor, k)
		for _, f := range s.facts {
			if f.key == v && f.truth != implied {
				return false
			}
		}
	}
	return true
}

// predDefault reports whether edge i of b, the default of a switch on an
// argument, cannot be taken: a local holding a predicate of the argument
// was found true, and the switch has a case for every constant the
// predicate is true for (do_ip_getsockopt's default returns with rtnl
// held only if needs_rtnl, which IP_MSFILTER and MCAST_MSFILTER, both
// cases of their own, alone make true).
func (w *walker) predDefault(s *state, b *flow.Block, i int) bool {
	if e := b.Succs[i]; e.Cond != nil || e.Label != "default" || len(s.facts) == 0 {
		return false
	}
	arg := ""
	var cases []string
	for _, o := range b.Succs {
		if x, k, ok := numberTest(o.Cond); ok && o.Value && (arg == "" || x == arg) {
			arg = x
			cases = append(cases, k)
		}
	}
	for v, p := range w.predLocals() {
		if p.arg != arg || arg == "" || !isSubset(p.trueFor, cases) {
			continue
		}
		for _, f := range s.facts {
			if f.key == v && f.truth {
				return true
			}
		}
	}
	return false
}

func isSubset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}
