package taggedptr

import (
	"regexp"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/rules"
)

// When a plain read-modify-write of a tag is not racy: as in Go, when
// the writers are serialized by a lock and none of them goes lock-free.
// The klist and xfs cursor code set their tags with a plain |= under the
// list's spinlock, and no code ever exchanges the word.

// cAtomicWrite matches the calls that update a word in one atomic step
// without its lock: exchanges, compare-and-exchanges, atomic_long_*
// and the atomic bit operations (not the __ ones).
var cAtomicWrite = regexp.MustCompile(`xchg|^atomic(64|_long)_|^(test_and_)?(set|clear|change)_bit(_lock|_unlock)?$`)

// cAtomicWords lists the fields ("struct.field") that some call in view
// updates atomically: cmpxchg(&X->f, ...), set_bit(n, (unsigned long
// *)&X->f), ...
func cAtomicWords(funcs []*flow.Func, env *cEnv) map[string]bool {
	out := map[string]bool{}
	for _, f := range funcs {
		cEvents(f, func(_ *flow.Block, ev *flow.Event) {
			for _, call := range flow.Calls(ev.X) {
				if !cAtomicWrite.MatchString(call.Name) {
					continue
				}
				for _, a := range call.Args {
					a = flow.Strip(a)
					if a == nil || a.Op != flow.OpUnary || a.Name != "&" {
						continue
					}
					if fld := flow.Strip(a.Arg(0)); fld != nil && fld.Op == flow.OpField {
						if s := env.fieldStruct(f, fld); s != "" {
							out[s+"."+fld.Name] = true
						}
					}
				}
			}
		})
	}
	return out
}

// serialized reports whether the write at pos in f is made under a lock:
// f takes a lock of the rule packs before it or drops one after it
// (the caller's), or asserts one held before it; or every caller in view
// (up to three calls up) calls f so.
func (c *cChecker) serialized(f *flow.Func, pos flow.Pos, depth int) bool {
	if c.lockedAt(f, pos) {
		return true
	}
	sites := c.sites[f.Name]
	if len(sites) == 0 || depth >= 3 {
		return false
	}
	for _, s := range sites {
		if !c.serialized(s.caller, cPos(s.call, s.ev), depth+1) {
			return false
		}
	}
	return true
}

// lockedAt reports whether f, by the order of its lines, holds a lock at
// pos: an acquire or lockdep_assert_held before it, or a release after.
func (c *cChecker) lockedAt(f *flow.Func, pos flow.Pos) bool {
	held := false
	cEvents(f, func(_ *flow.Block, ev *flow.Event) {
		for _, call := range flow.Calls(ev.X) {
			at := cPos(call, ev)
			switch {
			case held || at.File != pos.File:
			case at.Line < pos.Line && (len(c.rs.Acquires(call.Name)) > 0 || call.Name == "lockdep_assert_held"):
				held = true
			case at.Line > pos.Line && len(c.rs.Releases(call.Name)) > 0:
				held = true
			}
		}
	})
	return held
}

// plainRMW reports whether tw writes the word with a plain store.
func plainRMW(tw rules.TagWrite) bool {
	return tw.Via == "=" || tw.Via == "|=" || tw.Via == "&="
}
