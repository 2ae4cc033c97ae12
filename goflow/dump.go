package goflow

import (
	"fmt"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
)

// Dump renders f compactly, one block a line, for tests and debugging:
//
//	b0: (*sync.Mutex).Lock(s.mu); if t1 -> b1 else b2
//	b1: defer (*sync.Mutex).Unlock(s.mu); rundefers; return
//
// Events show their Key; an edge with a condition shows "if C -> T else F".
func Dump(f *flow.Func) string {
	var b strings.Builder
	for _, bl := range f.Blocks {
		fmt.Fprintf(&b, "b%d:", bl.Index)
		var parts []string
		for _, ev := range bl.Events {
			parts = append(parts, dumpEvent(ev))
		}
		switch {
		case len(bl.Succs) == 2 && bl.Succs[0].Cond != nil:
			parts = append(parts, fmt.Sprintf("if %s -> b%d else b%d", bl.Succs[0].Cond.Key(), bl.Succs[0].To.Index, bl.Succs[1].To.Index))
		case len(bl.Succs) > 0:
			var to []string
			for _, e := range bl.Succs {
				t := fmt.Sprintf("b%d", e.To.Index)
				if e.Cond != nil {
					not := ""
					if !e.Value {
						not = "!"
					}
					t += " when " + not + e.Cond.Key()
				}
				to = append(to, t)
			}
			parts = append(parts, "-> "+strings.Join(to, " "))
		case bl.Exit == flow.NoReturn:
			parts = append(parts, "noreturn")
		}
		if len(parts) > 0 {
			b.WriteString(" ")
			b.WriteString(strings.Join(parts, "; "))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func dumpEvent(ev *flow.Event) string {
	switch ev.Kind {
	case flow.EvReturn:
		if ev.X != nil {
			return "return " + ev.X.Key()
		}
		return "return"
	case flow.EvDefer:
		if ev.Body != nil || ev.X == nil {
			var in []string
			for _, e := range ev.Body {
				in = append(in, dumpEvent(e))
			}
			return "defer {" + strings.Join(in, "; ") + "}"
		}
		return "defer " + ev.X.Key()
	case flow.EvRunDefers:
		return "rundefers"
	case flow.EvUnseen:
		return "unseen"
	case flow.EvScopeEnd:
		return "scopeend " + ev.X.Key()
	}
	if ev.X == nil {
		return "nop"
	}
	if ev.X.Op == flow.OpComma && ev.X.Name == GoStmt {
		var in []string
		for _, a := range ev.X.Args {
			in = append(in, a.Key())
		}
		return "go {" + strings.Join(in, "; ") + "}"
	}
	return ev.X.Key()
}
