package lockpair

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/rules"
)

// Wrapper summaries: the shape of a function that returns holding a lock
// or releases its caller's (wrapperShape, wrapperPair), written as a rule
// template over its parameters (template).

// wrapperShape decides whether an acquire held on the exits heldAt and not
// on freeAt is the function's purpose: held on every exit, or on every
// success exit and on no failure exit (as smatch sorts returns).
func (w *walker) wrapperShape(heldAt, freeAt []exitObs) (rules.When, bool) {
	if len(freeAt) == 0 {
		return rules.Always, true
	}
	for _, e := range heldAt {
		if e.class == retFailure || e.class == retZero && w.pointerOrBool() {
			return "", false
		}
	}
	for _, e := range freeAt {
		if e.class != retFailure && !(e.class == retZero && w.pointerOrBool()) {
			return "", false
		}
	}
	if w.pointerOrBool() {
		return rules.NonZero, true
	}
	return rules.Zero, true
}

// stillHeld lists what the acquire at site still holds on this path.
func stillHeld(s *state, site string) []string {
	var out []string
	for _, h := range s.held {
		if h.site == site && !h.why.has(unjudged) {
			out = append(out, h.res)
		}
	}
	return out
}

// renamedAs is the name a hold has by now, if a copy took it over.
func renamedAs(h held) string {
	if h.orig == "" {
		return ""
	}
	return h.res
}

// passedOnly drops the exits that never reached the acquire. Where the
// walk follows flags exactly (Go) only those that return by a statement
// of their own: the same return reached with and without the lock is a
// flag-guarded acquire. In C the same shape is a conditional acquire the
// function hands on (if (h1 != h2) spin_lock_nested(...); return false).
func passedOnly(free, heldAt []exitObs, d dialect) []exitObs {
	var out []exitObs
	for _, e := range free {
		if e.passed || e.freed || d.flagsExact && atSameExit(e, heldAt) {
			out = append(out, e)
		}
	}
	return out
}

func atSameExit(e exitObs, es []exitObs) bool {
	for _, h := range es {
		if h.pos == e.pos {
			return true
		}
	}
	return false
}

// exitRec is what an exit saw, kept so that an acquire site discovered
// only after some exits were walked still learns that it was not held
// there (the error return before the lock, walked first).
type exitRec struct {
	class    retClass
	pos      flow.Pos
	released map[string]bool
}

type exitState struct {
	held    map[string]bool
	failure bool
}

// heldEverywhere reports whether holding res at the exits is the
// function's purpose, whichever acquire took it there: held on every exit
// (ceph_start_io_direct: down_read on one path, down_write then
// downgrade_write on the other), or held on exactly the exits of one
// outcome — every success and no failure (afs_read_dir), or the reverse
// (tree_mod_dont_log returns false with the lock held).
func (w *walker) heldEverywhere(res []string) bool {
	if len(w.exitHeld) == 0 {
		return false
	}
	heldWhen := map[bool]int{}
	freeWhen := map[bool]int{}
	for _, e := range w.exitHeld {
		all := true
		for _, r := range res {
			all = all && e.held[r]
		}
		if all {
			heldWhen[e.failure]++
		} else {
			freeWhen[e.failure]++
		}
	}
	switch {
	case len(freeWhen) == 0:
		return true
	case len(heldWhen) == 1 && len(freeWhen) == 1:
		// Held on failure and free on success is the classic bug, except
		// in a bool function, where "false" may well mean "locked".
		r := strings.TrimSpace(w.f.Result)
		for k := range heldWhen {
			return freeWhen[!k] > 0 && (!k || r == "bool" || r == "_Bool")
		}
	}
	return false
}

// resourceWrapper is heldEverywhere with the outcome it holds on.
func (w *walker) resourceWrapper(res []string) (rules.When, bool) {
	if w.f.Partial || !w.heldEverywhere(res) {
		return "", false
	}
	failureHeld := false
	for _, e := range w.exitHeld {
		all := true
		for _, r := range res {
			all = all && e.held[r]
		}
		if !all {
			if !e.failure {
				failureHeld = true // free on a success exit: held on failure only (bool "false means locked")
			}
		}
	}
	switch {
	case failureHeld:
		return rules.Zero, true
	case len(w.exitHeld) > 0 && w.allHeld(res):
		return rules.Always, true
	case w.pointerOrBool():
		return rules.NonZero, true
	}
	return rules.Zero, true
}

func (w *walker) allHeld(res []string) bool {
	for _, e := range w.exitHeld {
		for _, r := range res {
			if !e.held[r] {
				return false
			}
		}
	}
	return true
}

func (w *walker) retakes(res []string) bool {
	for _, r := range res {
		if w.retaken[r] {
			return true
		}
	}
	return false
}

func (w *walker) pointerOrBool() bool {
	r := w.f.Result
	if w.returnsError(r) {
		return false // success is a nil error: held when the error is zero
	}
	return strings.Contains(r, "*") || r == "bool" || r == "_Bool"
}

func pickExit(es []exitObs) exitObs {
	best := es[0]
	for _, e := range es[1:] {
		if e.class == retFailure && best.class != retFailure {
			best = e
			continue
		}
		if (e.class == retFailure) == (best.class == retFailure) && e.pos.Line < best.pos.Line {
			best = e
		}
	}
	return best
}

func (w *walker) wrapperPair(res []string, via []*rules.Pair, when rules.When) *rules.Pair {
	var ts []string
	for _, r := range res {
		t := w.template(r)
		if t == "" {
			return nil
		}
		ts = append(ts, t)
	}
	sort.Strings(ts)
	ts = slices.Compact(ts)
	p := &rules.Pair{Name: w.f.Name, Lang: w.opt.Lang, Acquire: []string{w.f.Name}, Resources: ts, When: when,
		Learned: fmt.Sprintf("%s:%d", w.f.Pos.File, w.f.Pos.Line)}
	// A wrapper of one lock pairs with that lock's own releases too (all
	// of them when it takes it in several ways).
	locks := 0
	for _, t := range ts {
		if !w.rs.IsCPUState(t) {
			locks++ // a tag bit counts: set_reader_nsproxy is not task_lock
		}
	}
	if locks == 1 {
		seen := map[string]bool{}
		for _, v := range via {
			if v == nil {
				continue
			}
			for _, r := range v.Release {
				if !seen[r] {
					seen[r] = true
					p.Release = append(p.Release, r)
				}
			}
			p.Mode = v.Mode
		}
	}
	return p
}

// template rewrites a resource key in terms of the function's parameters
// ("tsk->alloc_lock" in f(tsk) is "$0->alloc_lock"); globals stay as they
// are; a resource rooted in a local cannot be named by callers: "".
func (w *walker) template(res string) string {
	if field, ok := rules.TaggedFieldOf(res); ok {
		if t, ok := w.templateOf(field); ok {
			return rules.TagResource(t)
		}
		return ""
	}
	t, _ := w.templateOf(res)
	return t
}

// templateOf is template of a path; ok is false when a local roots it.
func (w *walker) templateOf(body string) (string, bool) {
	// Every identifier that is a parameter becomes $N; one that is a local
	// makes the resource unnameable by callers. Field names (after . or
	// ->) are neither.
	var b strings.Builder
	for i := 0; i < len(body); {
		if !isIdentByte(body[i]) || body[i] >= '0' && body[i] <= '9' {
			b.WriteByte(body[i])
			i++
			continue
		}
		j := i
		for j < len(body) && isIdentByte(body[j]) {
			j++
		}
		id := body[i:j]
		isField := i > 0 && body[i-1] == '.' || i > 1 && body[i-2:i] == "->"
		switch {
		case isField:
			b.WriteString(id)
		case w.f.ParamIndex(id) >= 0:
			b.WriteString("$" + strconv.Itoa(w.f.ParamIndex(id)))
		case w.returned[id] && w.f.Result != "" && strings.Contains(w.f.Result, "*"):
			// The object the function returns (get_foo_desc returns d
			// with d->sem held): the caller names it by where it
			// stores the result.
			b.WriteString(rules.Result)
		default:
			if _, local := w.f.Locals[id]; local {
				return "", false
			}
			b.WriteString(id)
		}
		i = j
	}
	return b.String(), true
}
