package lockpair

import (
	"sort"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/rules"
)

// Neutral callees. A call the rules know nothing of, given a path to a
// lock, may have dropped or retaken it (unknownCall), which cancels a
// second release after it. A callee whose body is in view and which
// leaves every lock as it found it cannot: free_blocks(sb, ...) between
// two releases of sb->tree->lock that takes and gives back only
// sb->alloc_lock. Its learned summary ({name: f, neutral:
// true}) lets the second release stand.

// walkedNeutral records, by name, whether the first learning walk of
// each function found it balanced: no wrapper, no release of a lock it
// did not take, nothing left held, not too branchy to walk. A name
// defined more than once is balanced only if every definition is.
type walkedNeutral map[string]bool

func (wn walkedNeutral) note(f *flow.Func, r learnt) {
	ok := r.Wrapper == nil && len(r.Releases) == 0 && len(r.MayRelease) == 0 && r.quiet && !r.Degraded
	if prev, seen := wn[f.Name]; seen {
		ok = ok && prev
	}
	wn[f.Name] = ok
}

// neutrals learns the functions of funcs that leave every lock as they
// found it: balanced on their own paths (walked), and calling only
// rule-pack functions (whose pairing the walk checked), neutral ones of
// the packs (asserting and logging helpers), calls given no pointer, and other neutral functions. Recursion is
// allowed: the greatest set closed under that rule is taken.
func neutrals(funcs []*flow.Func, rs *rules.Set, lang rules.Lang, walked walkedNeutral) []*rules.Pair {
	cand := map[string]*flow.Func{}
	for _, f := range funcs {
		if !walked[f.Name] || f.Partial || f.Degraded || rs.EnablesIRQ(f.Name) ||
			len(rs.Acquires(f.Name)) > 0 || len(rs.Releases(f.Name)) > 0 || len(f.Blocks) == 0 {
			continue
		}
		if _, dup := cand[f.Name]; dup {
			continue // two bodies of one name: which one runs is not known
		}
		cand[f.Name] = f
	}
	for changed := true; changed; {
		changed = false
		for name, f := range cand {
			if !callsOnlyNeutral(f, rs, cand) {
				delete(cand, name)
				changed = true
			}
		}
	}
	names := make([]string, 0, len(cand))
	for name := range cand {
		names = append(names, name)
	}
	sort.Strings(names)
	out := make([]*rules.Pair, 0, len(names))
	for _, name := range names {
		p := &rules.Pair{Name: name, Lang: lang, Neutral: true, Learned: cand[name].Pos.String()}
		rs.AddPair(p)
		out = append(out, p)
	}
	return out
}

// callsOnlyNeutral reports whether every call of f leaves the caller's
// locks alone: a rule-pack function, a neutral helper of the packs, a call given
// nothing that can point anywhere, or a function of neutral.
func callsOnlyNeutral(f *flow.Func, rs *rules.Set, neutral map[string]*flow.Func) bool {
	ok := true
	check := func(x *flow.Expr) {
		for _, c := range flow.Calls(x) {
			if !ok {
				return
			}
			_, isNeutral := neutral[c.Name]
			ok = isNeutral || fromPackName(rs, c.Name) || rs.Neutral(c.Name) || !pointsAnywhere(c)
		}
	}
	for _, b := range f.Blocks {
		for _, ev := range b.Events {
			if !ok {
				return false
			}
			check(ev.X)
			for _, d := range ev.Body {
				check(d.X)
			}
		}
		for _, e := range b.Succs {
			check(e.Cond)
		}
	}
	return ok
}

// pointsAnywhere reports whether some argument of c may be a pointer:
// anything but a number, a string, a sizeof or arithmetic on those.
func pointsAnywhere(c *flow.Expr) bool {
	for _, a := range c.Args {
		if !constantArg(a) {
			return true
		}
	}
	return c.Name == "" // a call through a pointer: what it calls is not known
}

func constantArg(e *flow.Expr) bool {
	e = flow.Strip(e)
	if e == nil {
		return true
	}
	switch e.Op {
	case flow.OpNumber, flow.OpString, flow.OpSizeof:
		return true
	case flow.OpBinary, flow.OpUnary:
		for _, a := range e.Args {
			if !constantArg(a) {
				return false
			}
		}
		return true
	}
	return false
}
