package lockpair

import (
	"fmt"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/report"
	"github.com/tagcheck/tagcheck/rules"
)

// The interrupt state is a saved resource: spin_lock_irqsave(&a, flags)
// holds "irqflags:flags" until spin_unlock_irqrestore(&a, flags) puts
// back what the caller had. A release that enables interrupts outright
// (spin_unlock_irq, which holds "irq") inside that section runs
// interrupts early, inside the outer critical section, and the
// irqrestore after it may disable them again.

// enablesIRQ reports whether p's release turns interrupts on
// unconditionally: its acquire holds the plain "irq" state.
func enablesIRQ(p *rules.Pair) bool {
	for _, r := range p.Holds() {
		if r == "irq" {
			return true
		}
	}
	return false
}

// irqReenabled reports c, a call that enables interrupts, when this path
// holds interrupt state saved by an irqsave of this function.
func (w *walker) irqReenabled(s *state, c *flow.Expr, how string) {
	saved := savedIRQ(s)
	if saved == nil || w.reported["irq:"+c.Pos.String()] {
		return
	}
	w.reported["irq:"+c.Pos.String()] = true
	msg := fmt.Sprintf("%s enables interrupts%s while %s at line %d keeps them off with their state saved in %s: interrupts run inside that section, before its irqrestore",
		c.Text, how, saved.call.Text, saved.call.Pos.Line, strings.TrimPrefix(saved.res, "irqflags:"))
	var fix *report.Fix
	if plain, ok := strings.CutSuffix(c.Name, "_irq"); ok && how == "" {
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
// saved, or nil.
func savedIRQ(s *state) *held {
	for i := range s.held {
		h := &s.held[i]
		if strings.HasPrefix(h.res, "irqflags:") && !h.extern && !h.quiet && h.call != nil {
			return h
		}
	}
	return nil
}

// irqEnablers learns the functions that turn interrupts on outright:
// those that call a release of the plain "irq" state (spin_unlock_irq)
// or a function learned to do so, repeated until nothing new is found
// (a helper of a helper). A function that saves the state itself
// (spin_lock_irqsave around the call) is judged in its own body instead.
func irqEnablers(funcs []*flow.Func, rs *rules.Set, lang rules.Lang) []*rules.Pair {
	var out []*rules.Pair
	for round := 0; round < 4; round++ {
		added := 0
		for _, f := range funcs {
			if f.Partial || f.Degraded || rs.EnablesIRQ(f.Name) || savesIRQ(f, rs) || !callsIRQEnabler(f, rs) {
				continue
			}
			p := &rules.Pair{Name: f.Name, Lang: lang, EnablesIRQ: true, Learned: f.Pos.String()}
			rs.AddPair(p)
			out = append(out, p)
			added++
		}
		if added == 0 {
			break
		}
	}
	return out
}

func callsIRQEnabler(f *flow.Func, rs *rules.Set) bool {
	return anyCall(f, func(name string) bool {
		if rs.EnablesIRQ(name) {
			return true
		}
		for _, p := range rs.Releases(name) {
			if enablesIRQ(p) && !p.Maybe {
				return true
			}
		}
		return false
	})
}

func savesIRQ(f *flow.Func, rs *rules.Set) bool {
	return anyCall(f, func(name string) bool {
		for _, p := range rs.Acquires(name) {
			for _, r := range p.Holds() {
				if strings.HasPrefix(r, "irqflags:") {
					return true
				}
			}
		}
		return false
	})
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
