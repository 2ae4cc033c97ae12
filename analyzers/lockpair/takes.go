package lockpair

import (
	"fmt"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/report"
	"github.com/tagcheck/tagcheck/rules"
)

// Functions that take a lock while they run (rules.Pair.Takes): a call to
// one with the lock held is a double acquire.

// takesCall checks a call to a function that takes res and gives it back
// before it returns: with res held here, the call blocks on the caller's
// own lock.
func (w *walker) takesCall(s *state, c *flow.Expr, p *rules.Pair, res []string) {
	inner, _ := parsePos(p.Learned)
	w.noteTakes(s, c, p, res, c.Pos)
	for _, r := range res {
		i := s.find(r)
		if i < 0 {
			continue
		}
		h := s.held[i]
		if h.extern || h.quiet || p.Recursive || isCPUState(r) || w.reported["double:"+c.Pos.String()] {
			continue
		}
		w.reported["double:"+c.Pos.String()] = true
		related := trailRelated(s.trail, 7)
		if inner.File != "" {
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
// that drops its caller's lock and retakes it does not take it anew.
func (w *walker) noteTakes(s *state, c *flow.Expr, p *rules.Pair, res []string, at flow.Pos) {
	if !w.d.takes || p == nil || p.When != rules.Always || w.takesNoted[callPair{c, p}] || s.flagged {
		return
	}
	all := true // every resource noted: the next visit has nothing to add
	defer func() {
		if all {
			if w.takesNoted == nil {
				w.takesNoted = map[callPair]bool{}
			}
			w.takesNoted[callPair{c, p}] = true
		}
	}()
	for _, r := range res {
		if s.external[r] {
			all = false
			continue
		}
		if isCPUState(r) {
			continue
		}
		t := w.template(r)
		if t == "" {
			continue
		}
		dup := false
		for _, q := range w.takes {
			if q.Resources[0] == t && q.Mode == p.Mode {
				dup = true
			}
		}
		if !dup {
			w.takes = append(w.takes, &rules.Pair{Name: w.f.Name, Lang: w.opt.Lang, Takes: []string{w.f.Name},
				Resources: []string{t}, Mode: p.Mode, Recursive: p.Recursive, Learned: at.String()})
		}
	}
}
