package lockpair

import (
	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/rules"
)

// What a function's callers say of a lock it leaves held. An exit-shape
// guess (a lock released on one path and kept on another, both meeting
// at one return, read as handed to the caller) is only a guess: the
// callers of a file-local function are all in its file, and when none of
// them releases anything after calling it, nothing ever releases what it
// keeps (a cache's touch callback, only ever stored in an ops table,
// returns holding c->lock when the cache is dirty).

// Callers is what the callers in view say of each file-local function of
// a set: whether any of them could release a lock it hands over.
type Callers map[callerKey]callerView

type callerKey struct{ file, name string }

type callerView struct {
	called    bool // called by name in its file
	valued    bool // some caller by name returns a value: it may pass the outcome on
	addressed bool // its address is taken (a callback)
	releasing bool // some caller by name releases a lock
}

// CallersOf reads, for every static function of funcs, how the functions
// of its file use it.
func CallersOf(funcs []*flow.Func, rs *rules.Set) Callers {
	cs := Callers{}
	for _, f := range funcs {
		if f.Static && !f.Fetched {
			cs[callerKey{f.Pos.File, f.Name}] = callerView{}
		}
	}
	if len(cs) == 0 {
		return cs
	}
	for _, g := range funcs {
		if g.Fetched {
			continue
		}
		// A caller that releases a lock, or is itself an acquire wrapper
		// (it hands what it got on to its own callers), may take over
		// what the function keeps.
		releases := callsRelease(g, rs) || len(rs.Acquires(g.Name)) > 0
		for _, name := range returnedCalls(g) {
			// return f(...): g passes f's outcome on, and with it the lock.
			if v, ok := cs[callerKey{g.Pos.File, name}]; ok {
				v.releasing = true
				cs[callerKey{g.Pos.File, name}] = v
			}
		}
		eachExpr(g, func(x *flow.Expr) {
			flow.Walk(x, func(e *flow.Expr) bool {
				if e.Op != flow.OpCall && e.Op != flow.OpIdent || e.Name == g.Name {
					return true
				}
				k := callerKey{g.Pos.File, e.Name}
				v, ok := cs[k]
				if !ok {
					return true
				}
				if e.Op == flow.OpCall {
					v.called = true
					v.releasing = v.releasing || releases
					v.valued = v.valued || g.Result != "" && g.Result != "void"
				} else {
					v.addressed = true
				}
				cs[k] = v
				return true
			})
		})
	}
	return cs
}

// NoHandOver reports whether f's callers are all in view and none of
// them releases a lock after calling it: f is file-local, it is called or
// stored as a callback in its file, and no function of the file that
// calls it releases anything. What f keeps held on some path is then kept
// for good, whatever its exits look like. A lock annotation (__acquires)
// says otherwise and wins.
func (cs Callers) NoHandOver(f *flow.Func) bool {
	if f.LockContract {
		return false
	}
	v, ok := cs[callerKey{f.Pos.File, f.Name}]
	return ok && (v.called || v.addressed) && !v.releasing
}

// KeepsLock reports whether f's callers are all in view, call it by name
// (it is no callback, whose caller could be any code pairing it with an
// unlock callback), return nothing (a caller returning a value may tell
// its own callers that the lock is held: afs_begin_vnode_operation,
// bprm_execve) and none of them releases a lock or passes one on:
// then a lock f keeps on its success returns, releasing it on its
// failures, is kept for good — an acquire wrapper by shape only
// (Options.CallersKeep).
func (cs Callers) KeepsLock(f *flow.Func) bool {
	if f.LockContract {
		return false
	}
	v, ok := cs[callerKey{f.Pos.File, f.Name}]
	return ok && v.called && !v.addressed && !v.releasing && !v.valued
}

// callsRelease reports whether g calls a release the rules know for
// sure.
func callsRelease(g *flow.Func, rs *rules.Set) bool {
	found := false
	eachExpr(g, func(x *flow.Expr) {
		for _, c := range flow.Calls(x) {
			for _, p := range rs.Releases(c.Name) {
				found = found || !p.Maybe
			}
		}
	})
	return found
}

// eachExpr calls fn on every expression of f: events, deferred bodies and
// branch conditions.
func eachExpr(f *flow.Func, fn func(*flow.Expr)) {
	for _, b := range f.Blocks {
		for _, ev := range b.Events {
			if ev.X != nil {
				fn(ev.X)
			}
			for _, d := range ev.Body {
				if d.X != nil {
					fn(d.X)
				}
			}
		}
		for _, e := range b.Succs {
			if e.Cond != nil {
				fn(e.Cond)
			}
		}
	}
}

// returnedCalls lists the functions whose result g returns as it is
// (return f(...)).
func returnedCalls(g *flow.Func) []string {
	var out []string
	for _, b := range g.Blocks {
		for _, ev := range b.Events {
			if x := flow.Strip(ev.X); ev.Kind == flow.EvReturn && x != nil && x.Op == flow.OpCall {
				out = append(out, x.Name)
			}
		}
	}
	return out
}
