package lockpair

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/report"
	"github.com/tagcheck/tagcheck/rules"
)

// dropCallers notes the release of res, a lock this function did not
// take on this path (its caller's), and reports a second release of it
// when nothing in between took it again or could have: the caller held
// it once (handle_cap_export drops session->s_mutex to open a session,
// loops back without retaking it, and drops it again on the way out).
func (w *walker) dropCallers(s *state, c *flow.Expr, p *rules.Pair, res string) {
	if w.rs.IsCPUState(res) || p == nil || p.Maybe || p.Recursive || p.Scoped || p.Field != "" || rootIdent(res) == "NULL" {
		return // NULL->st_mutex: a path that set the pointer to NULL and then used it is not a path
	}
	site, ok := s.dropped[res]
	if !ok {
		own(s, mDropped, &s.dropped)[res] = release{site: c.Pos.String()}
		return
	}
	if site.doubt != certain || site.site == c.Pos.String() || w.reported[reportAt(report.UnheldRelease, c.Pos)] {
		return
	}
	w.reported[reportAt(report.UnheldRelease, c.Pos)] = true
	w.add(report.Finding{
		Rule: report.UnheldRelease, File: c.Pos.File, Line: c.Pos.Line, Column: c.Pos.Col,
		Message: fmt.Sprintf("%s releases %s, already released at line %s on this path; %s never takes it, so its caller's hold is released twice",
			c.Text, w.describeKey(res), lineOf(site.site), w.f.Name),
		Related: trailRelated(s.trail, 8),
	})
}

// wrongLock is a release of res, which the path did not take, made while
// the path holds site's lock heldRes: a sibling field of the same object,
// taken by an acquire that this release function pairs with.
type wrongLock struct {
	call    *flow.Expr
	res     string
	site    string
	heldRes string
}

// noteWrongLock notes a release of a lock this path did not take while
// it holds a sibling lock of the same object that the release would pair
// with (mutex_lock(&mbox->h2fq_lock); ... mutex_unlock(&mbox->f2hq_lock)).
// By itself that is the caller's lock dropped; result decides once the
// function's own paths are known (confirmWrongLocks).
func (w *walker) noteWrongLock(s *state, c *flow.Expr, p *rules.Pair, res string) {
	if p == nil || p.Maybe || p.Field != "" || w.rs.IsCPUState(res) {
		return
	}
	for _, h := range s.held {
		if h.why.has(unknownOrigin|rawTagWrite|guardedSkip) || h.pair == nil || !h.pair.ReleasedBy(c.Name) || !siblingLocks(h.res, res) {
			continue
		}
		w.wrongLocks = append(w.wrongLocks, wrongLock{call: c, res: res, site: h.site, heldRes: h.res})
		return
	}
}

// confirmWrongLocks reports the noted releases whose sibling lock the
// function's own paths convict: reported unreleased (so released by this
// function on other paths, and kept on some path), while the lock the
// release names is taken nowhere in the function and never dropped and
// retaken. A function that drops its caller's lock while holding its own
// (hand-over-hand) keeps its own on every path, and is no such case.
func (w *walker) confirmWrongLocks() {
	for _, wl := range w.wrongLocks {
		si := w.sites[wl.site]
		key := reportAt(report.UnheldRelease, wl.call.Pos)
		if si == nil || si.call == nil || !si.reported || w.reported[key] || w.acquiresAnywhere(wl.res) || w.retaken[wl.res] {
			continue
		}
		w.reported[key] = true
		w.add(report.Finding{
			Rule: report.UnheldRelease, File: wl.call.Pos.File, Line: wl.call.Pos.Line, Column: wl.call.Pos.Col,
			Message: fmt.Sprintf("%s releases %s, which %s never takes, while %s taken at line %d is held and is not released on this path: the wrong lock is released; use %s",
				wl.call.Text, w.describeKey(wl.res), w.f.Name, w.describeKey(wl.heldRes), si.pos.Line, replacement(w.rs, wl.call, si.call, wl.call.Name, w.d)),
		})
	}
}

// acquiresAnywhere reports whether some acquire of the function takes res.
func (w *walker) acquiresAnywhere(res string) bool {
	for _, si := range w.sites {
		if slices.Contains(si.res, res) {
			return true
		}
	}
	return false
}

// siblingLocks reports whether a and b are two different fields of one
// object (&mbox->h2fq_lock and &mbox->f2hq_lock).
func siblingLocks(a, b string) bool {
	a, b = strings.TrimLeft(a, "&"), strings.TrimLeft(b, "&")
	i := max(strings.LastIndex(a, "->")+1, strings.LastIndex(a, "."))
	j := max(strings.LastIndex(b, "->")+1, strings.LastIndex(b, "."))
	if i <= 0 || j <= 0 || a == b {
		return false
	}
	return a[:i] == b[:j]
}

// neededHere checks a call of a function that drops a lock of its
// caller's and takes it again (rules.Pair.Needs): on a path that
// released that lock itself and has not taken it since, or that never
// held it in a function entered holding nothing (unheldByEntry), the
// callee's release is of a lock nobody holds, and its retake leaves it
// held.
func (w *walker) neededHere(s *state, c *flow.Expr, args []string) {
	if !w.d.opaque || s.unknown {
		return
	}
	for _, p := range w.rs.Needs(c.Name) {
		for _, r := range instantiate(p.Holds(), args) {
			site, ok := s.released[r]
			key := reportAt(report.UnheldRelease, c.Pos)
			if s.find(r) >= 0 || w.reported[key] {
				continue
			}
			if !ok {
				w.unheldByEntry(s, c, p, r)
				continue
			}
			if site.doubt != certain {
				continue
			}
			w.reported[key] = true
			w.add(report.Finding{
				Rule: report.UnheldRelease, File: c.Pos.File, Line: c.Pos.Line, Column: c.Pos.Col,
				Message: fmt.Sprintf("%s drops and retakes %s, so its caller must hold it%s, but this path released it at line %s: the callee releases a lock nobody holds",
					c.Text, w.describeKey(r), learnedWhere(p), lineOf(site.site)),
				Related: trailRelated(s.trail, 8),
			})
		}
	}
}

// learnedWhere says where a learned summary came from, for a message.
func learnedWhere(p *rules.Pair) string {
	if p.Learned == "" {
		return ""
	}
	return " (learned from its body at " + p.Learned + ")"
}
