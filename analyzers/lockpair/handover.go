package lockpair

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/report"
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

// What the annotation says of a lock the function drops on some exits
// only. Released on some exits and kept on others is read, from the
// exits alone, as a helper that may drop its caller's lock (Result
// walkMay). A __releases(x) annotation promises the drop on every exit:
// an exit that keeps x is then a leak of the caller's lock
// (__ffs_ep0_queue_wait returned -EINVAL holding the event queue's lock
// when it had no request).

// keptExit is a Return exit that kept a lock the function's __releases
// annotation says it drops.
type keptExit struct {
	res   string
	class retClass
	pos   flow.Pos
	trail *step
}

// noteKeptPromise notes the annotated locks this exit, of return class
// class, neither released nor holds again, and the classes of the exits
// that released them.
func (w *walker) noteKeptPromise(s *state, b *flow.Block, class retClass) {
	for _, a := range w.f.Releases {
		dropped := slices.ContainsFunc(spellings(a), func(r string) bool { return s.external[r] || s.external[s.canon(r)] })
		switch {
		case dropped:
			if w.dropClass == nil {
				w.dropClass = map[string][]retClass{}
			}
			w.dropClass[a] = append(w.dropClass[a], class)
		case !s.handed[a] && !slices.ContainsFunc(spellings(a), func(r string) bool { return s.find(r) >= 0 }):
			w.unpromised = append(w.unpromised, keptExit{res: a, class: class, pos: exitPos(b, w.f), trail: s.trail})
		}
	}
}

// handPromise notes the promised locks that c, an unknown call or one
// that releases something (maybe, by field name, or under another
// spelling), could reach: on this path the callee may be what drops
// them.
func (w *walker) handPromise(s *state, c *flow.Expr) {
	for _, a := range w.f.Releases {
		if !w.mayReach(s, c, strings.TrimPrefix(a, "&")) {
			continue
		}
		own(s, mHanded, &s.handed)[a] = true
	}
}

// reportKeptPromises reports the noted exits of a lock the function's
// own paths drop elsewhere, never taking it again, on an exit of the same
// return class: the exit shape says "may release", the annotation says
// "releases", and the annotation wins. Kept on one outcome and dropped on
// another is a release by outcome the annotation does not spell out
// (do_signal_stop drops the siglock when it returns true), and is left
// alone.
func (w *walker) reportKeptPromises() {
	if w.f.Partial || w.f.Result == "" || w.f.Result == "void" {
		return // a void function's exits have no outcome to compare
	}
	for _, k := range w.unpromised {
		if slices.ContainsFunc(spellings(k.res), w.acquiresAnywhere) {
			continue // takes it itself on some path (rxrpc_do_sendmsg): kept where never taken
		}
		i := slices.IndexFunc(spellings(k.res), func(r string) bool { return w.externalExits[r] > 0 && !w.retaken[r] })
		key := reportKey{rule: report.Unreleased, at: k.pos.String(), what: k.res}
		if i < 0 || w.reported[key] || k.class == retUnknown || !slices.Contains(w.dropClass[k.res], k.class) {
			continue
		}
		w.reported[key] = true
		w.add(report.Finding{
			Rule: report.Unreleased, File: k.pos.File, Line: k.pos.Line, Column: k.pos.Col,
			Message: fmt.Sprintf("%s is still held when %s returns on this path, though its __releases annotation says it releases it, as its other exits do",
				w.describeKey(spellings(k.res)[i]), w.f.Name),
			Related: trailRelated(k.trail, 8),
		})
	}
}

// spellings are the keys an annotation's argument may have as a
// resource: as written, and with or without its address-of.
func spellings(a string) []string {
	bare := strings.TrimPrefix(a, "&")
	return []string{a, bare, "&" + bare}
}

// CheckAll checks each of funcs, a set that holds every caller in view
// of each (C), telling each walk what the function's callers in the set
// say of it, and hands each result to each, in the order of funcs.
func CheckAll(funcs []*flow.Func, rs *rules.Set, each func(*flow.Func, Result)) {
	callers := CallersOf(funcs, rs)
	entries := EntriesOf(funcs, rs, callers)
	for _, fn := range funcs {
		each(fn, CheckFunc(fn, rs, Options{Lang: rules.C, NoHandOver: callers.NoHandOver(fn), CallersKeep: callers.KeepsLock(fn), Entries: entries}))
	}
}
