package lockpair

import (
	"fmt"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/report"
	"github.com/tagcheck/tagcheck/rules"
)

// Functions that take a lock while they run (rules.Pair.Takes): a call to
// one with the lock held is a double acquire.

// takeAt is one pair a call's callee takes, instantiated at the call.
type takeAt struct {
	p   *rules.Pair
	res []string
}

// takesAt lists what the callee of c takes, in terms of the call's
// arguments: worked out once per call, as the walk visits a call once per
// state.
func (w *walker) takesAt(c *flow.Expr, args []string) []takeAt {
	if ts, ok := w.takesRes[c]; ok {
		return ts
	}
	var ts []takeAt
	for _, p := range w.rs.Takes(c.Name) {
		ts = append(ts, takeAt{p, instantiate(p.Holds(), args)})
	}
	if w.takesRes == nil {
		w.takesRes = map[*flow.Expr][]takeAt{}
	}
	w.takesRes[c] = ts
	return ts
}

// takesCalls checks a call to a function that takes locks while it runs
// (takesCall), once per pair; a call whose pairs are all noted needs no
// look when nothing is held.
func (w *walker) takesCalls(s *state, c *flow.Expr, args []string) {
	ts := w.takesAt(c, args)
	if len(s.held) == 0 && w.takesDone[c] {
		return
	}
	done := true
	for _, t := range ts {
		done = w.takesCall(s, c, t.p, t.res) && done
	}
	if done {
		if w.takesDone == nil {
			w.takesDone = map[*flow.Expr]bool{}
		}
		w.takesDone[c] = true
	}
}

// takesCall checks a call to a function that takes res and gives it back
// before it returns: with res held here, the call blocks on the caller's
// own lock. It reports whether noteTakes has nothing more to learn of the
// pair at this call.
func (w *walker) takesCall(s *state, c *flow.Expr, p *rules.Pair, res []string) bool {
	done := true
	if w.d.deepTakes {
		done = w.noteTakes(s, c, p, res, c.Pos)
	}
	if len(s.held) == 0 {
		return done
	}
	for _, r := range res {
		i := s.find(r)
		if i < 0 {
			continue
		}
		h := s.held[i]
		nests := w.d.sharedNests && p.Mode == rules.Shared && h.mode == rules.Shared
		if h.why.has(unknownOrigin|rawTagWrite) || p.Recursive || nests || w.rs.IsCPUState(r) || w.reported[reportAt(report.DoubleAcquire, c.Pos)] {
			continue
		}
		w.reported[reportAt(report.DoubleAcquire, c.Pos)] = true
		related := trailRelated(s.trail, 7)
		if inner, _ := parsePos(p.Learned); inner.File != "" {
			related = append(related, report.Related{File: inner.File, Line: inner.Line, Column: inner.Col,
				Message: fmt.Sprintf("%s acquires %s here", p.Name, w.describe(r))})
		}
		w.add(report.Finding{
			Rule: report.DoubleAcquire, File: c.Pos.File, Line: c.Pos.Line, Column: c.Pos.Col,
			Message: fmt.Sprintf("%s acquires %s, already held since %s at line %d; %s",
				c.Text, w.describe(r), h.call.Text, h.call.Pos.Line, deadlockWhy(p.Mode, h.mode)),
			Related: related,
		})
	}
	return done
}

// deadlockWhy says why taking a lock in mode again deadlocks when it is
// held in mode held.
func deadlockWhy(mode, held rules.Mode) string {
	if mode == rules.Shared && held == rules.Shared {
		return "a read lock taken again deadlocks as soon as a writer waits between the two"
	}
	return "a non-recursive lock taken twice deadlocks"
}

// noteTakes records that the function takes res (blocking) while it runs,
// unless the path released it first without having taken it: a helper
// that drops its caller's lock and retakes it does not take it anew. It
// reports whether the pair is settled at the call: noted in full, or not a
// pair to note.
func (w *walker) noteTakes(s *state, c *flow.Expr, p *rules.Pair, res []string, at flow.Pos) bool {
	if !w.d.takes || p == nil || p.When != rules.Always || w.takesNoted[callPair{c, p}] {
		return true
	}
	if s.flagged {
		return false
	}
	all := true // every resource noted: the next visit has nothing to add
	for _, r := range res {
		if s.external[r] {
			all = false
			continue
		}
		w.noteTaken(r, p, at)
	}
	if all {
		if w.takesNoted == nil {
			w.takesNoted = map[callPair]bool{}
		}
		w.takesNoted[callPair{c, p}] = true
	}
	return all
}

// maxTakesDots bounds how far from a parameter or package variable a
// lock a function takes may lie ($0.a.b.c.mu): summaries pass on through
// callers, and a walk of a linked structure (f(t) { ...; f(t.next) })
// would otherwise add a field to every resource at every level.
const maxTakesDots = 4

// noteTaken adds resource r, taken as p says at at, to what the function
// takes, once per template and mode.
func (w *walker) noteTaken(r string, p *rules.Pair, at flow.Pos) {
	if w.rs.IsCPUState(r) {
		return
	}
	t, ok := w.takeTmpl[r]
	if !ok {
		t = w.template(r)
		if w.takeTmpl == nil {
			w.takeTmpl = map[string]string{}
		}
		w.takeTmpl[r] = t
	}
	if t == "" || strings.Count(t, ".") > maxTakesDots {
		return
	}
	k := t + " " + string(p.Mode)
	if w.takenSeen[k] {
		return
	}
	if w.takenSeen == nil {
		w.takenSeen = map[string]bool{}
	}
	w.takenSeen[k] = true
	w.takes = append(w.takes, &rules.Pair{Name: w.f.Name, Lang: w.opt.Lang, Takes: []string{w.f.Name},
		Resources: []string{t}, Mode: p.Mode, Recursive: p.Recursive, Learned: at.String()})
}

// ownTakes is what the function takes while it runs, less, in C, the
// locks some path of it releases without having taken them or takes
// again after a release: those are its caller's hold, dropped and
// retaken (gfs2's do_xmote), not locks of its own.
func (w *walker) ownTakes() []*rules.Pair {
	if w.d.deepTakes || len(w.takes) == 0 {
		return w.takes
	}
	callers := map[string]bool{}
	for r, t := range w.takeTmpl {
		if w.externalExits[r] > 0 || w.retaken[r] {
			callers[t] = true
		}
	}
	var out []*rules.Pair
	for _, p := range w.takes {
		if !callers[p.Resources[0]] {
			out = append(out, p)
		}
	}
	return out
}
