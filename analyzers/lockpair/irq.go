package lockpair

import (
	"fmt"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/report"
	"github.com/tagcheck/tagcheck/rules"
)

// The interrupt state is a saved resource (the packs' cpu_states):
// spin_lock_irqsave(&a, flags) holds the state saved in flags until
// spin_unlock_irqrestore(&a, flags) puts back what the caller had. A
// release that enables interrupts outright (spin_unlock_irq, whose
// acquire holds the unsaved state) inside that section runs interrupts
// early, inside the outer critical section, and the irqrestore after it
// may disable them again.

// enablesIRQ reports whether p's release turns interrupts on
// unconditionally: its acquire holds the unsaved interrupt state.
func enablesIRQ(rs *rules.Set, p *rules.Pair) bool {
	for _, r := range p.Holds() {
		if rs.EnablesInterrupts(r) {
			return true
		}
	}
	return false
}

// irqReenabled reports c, a call that enables interrupts, when this path
// holds interrupt state saved by an irqsave of this function.
func (w *walker) irqReenabled(s *state, c *flow.Expr, how string) {
	saved, flags := w.savedIRQ(s)
	if saved == nil || w.reported[reportAt(report.IRQReenabled, c.Pos)] {
		return
	}
	w.reported[reportAt(report.IRQReenabled, c.Pos)] = true
	msg := fmt.Sprintf("%s enables interrupts%s while %s at line %d keeps them off with their state saved in %s: interrupts run inside that section, before its irqrestore",
		c.Text, how, saved.call.Text, saved.call.Pos.Line, flags)
	var fix *report.Fix
	if plain, ok := strings.CutSuffix(c.Name, w.rs.UnsavedInterrupts()); ok && how == "" && plain != c.Name {
		repl := plain + "(" + strings.Join(argTexts(c), ", ") + ")"
		msg += "; use " + repl
		fix = &report.Fix{File: c.Pos.File, Line: c.Pos.Line, Old: c.Text, New: repl}
	}
	w.add(report.Finding{
		Rule: report.IRQReenabled, File: c.Pos.File, Line: c.Pos.Line, Column: c.Pos.Col,
		Message: msg,
		Related: trailRelated(since(s.trail, saved.call.Pos), 8),
		Fix:     fix,
	})
}

// savedIRQ returns the held interrupt state an irqsave of this function
// saved and the variable it is saved in, or nil.
func (w *walker) savedIRQ(s *state) (*held, string) {
	for i := range s.held {
		h := &s.held[i]
		if flags, ok := w.rs.SavedIn(h.res); ok && !h.why.has(unknownOrigin|rawTagWrite) && h.call != nil {
			return h, flags
		}
	}
	return nil, ""
}

// irqEnablers learns the functions that turn interrupts on outright:
// those that take a lock with the unsaved interrupt state themselves and
// drop it (spin_lock_irq ... spin_unlock_irq), so that they return with
// interrupts on. A helper that drops its caller's lock with
// spin_unlock_irq and takes it again before returning (__down: unlock,
// schedule, lock) is a contract of its own and is not one.
func irqEnablers(funcs []*flow.Func, rs *rules.Set, lang rules.Lang) []*rules.Pair {
	return learnPairs(funcs, rs, lang, func(f *flow.Func) bool {
		return !f.Degraded && !rs.EnablesIRQ(f.Name) && !savesIRQ(f, rs) && takesThenDropsIRQ(f, rs)
	}, func(p *rules.Pair) { p.EnablesIRQ = true })
}

// takesThenDropsIRQ reports whether the first call of f that touches the
// plain irq state, in source order, takes it, and some later one drops it.
func takesThenDropsIRQ(f *flow.Func, rs *rules.Set) bool {
	first, takes, drops := flow.Pos{}, false, false
	for _, b := range f.Blocks {
		for _, ev := range b.Events {
			for _, c := range flow.Calls(ev.X) {
				acq, rel := irqCall(c.Name, rs)
				if !acq && !rel {
					continue
				}
				if !first.IsValid() || before(c.Pos, first) {
					first, takes = c.Pos, acq
				}
				drops = drops || rel
			}
		}
	}
	return takes && drops
}

func before(a, b flow.Pos) bool {
	return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
}

// irqCall says whether fn takes or drops the plain irq state.
func irqCall(fn string, rs *rules.Set) (acquires, releases bool) {
	for _, p := range rs.Acquires(fn) {
		acquires = acquires || enablesIRQ(rs, p)
	}
	for _, p := range rs.Releases(fn) {
		releases = releases || enablesIRQ(rs, p) && !p.Maybe && p.ReleasedBy(fn)
	}
	return acquires, releases
}

// anyCall reports whether f calls a function pred accepts.
func anyCall(f *flow.Func, pred func(string) bool) bool {
	for _, b := range f.Blocks {
		for _, ev := range b.Events {
			for _, c := range flow.Calls(ev.X) {
				if pred(c.Name) {
					return true
				}
			}
		}
	}
	return false
}

// savesIRQ reports whether f saves the interrupt state itself
// (spin_lock_irqsave): its own body is judged where it runs.
func savesIRQ(f *flow.Func, rs *rules.Set) bool {
	return anyCall(f, func(name string) bool {
		for _, p := range rs.Acquires(name) {
			for _, r := range p.Holds() {
				if rs.SavesInterrupts(r) {
					return true
				}
			}
		}
		return false
	})
}
