package cparse

import (
	"fmt"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
)

// FormatCFG renders a lowered function in the compact text form the CFG
// tests compare against, one line per block:
//
//	func mounts_open_common static (inode: struct inode *, ...) int
//	b0: task=get_proc_task(inode); !task -> b1 if !task, b2 unless !task
//	b7 err: ret ret => return
//
// Events are flow keys; "ret X" is a return, "end X" a scope end,
// "unseen" unseen lines. An edge shows its condition ("if X": taken when
// X is true, "unless X": when false) or its label (goto, break, case).
func FormatCFG(fn *flow.Func) string {
	var b strings.Builder
	fmt.Fprintf(&b, "func %s", fn.Name)
	if fn.Static {
		b.WriteString(" static")
	}
	if fn.Partial {
		b.WriteString(" partial")
	}
	if fn.Degraded {
		b.WriteString(" degraded")
	}
	b.WriteString(" (")
	for i, p := range fn.Params {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s: %s", p.Name, p.Type)
	}
	fmt.Fprintf(&b, ") %s\n", fn.Result)
	for _, blk := range fn.Blocks {
		fmt.Fprintf(&b, "b%d", blk.Index)
		if blk.Label != "" {
			fmt.Fprintf(&b, " %s", blk.Label)
		}
		b.WriteString(":")
		for i, ev := range blk.Events {
			if i > 0 {
				b.WriteString(";")
			}
			b.WriteString(" ")
			switch ev.Kind {
			case flow.EvExpr:
				b.WriteString(ev.X.Key())
			case flow.EvReturn:
				b.WriteString("ret")
				if ev.X != nil {
					b.WriteString(" " + ev.X.Key())
				}
			case flow.EvUnseen:
				b.WriteString("unseen")
			case flow.EvScopeEnd:
				b.WriteString("end " + ev.X.Key())
			default:
				fmt.Fprintf(&b, "ev%d", ev.Kind)
			}
		}
		if len(blk.Succs) > 0 {
			b.WriteString(" ->")
			for i, e := range blk.Succs {
				if i > 0 {
					b.WriteString(",")
				}
				fmt.Fprintf(&b, " b%d", e.To.Index)
				switch {
				case e.Cond != nil && strings.HasPrefix(e.Label, "case "):
					fmt.Fprintf(&b, " (%s)", e.Label)
				case e.Cond != nil && e.Value:
					fmt.Fprintf(&b, " if %s", e.Cond.Key())
				case e.Cond != nil:
					fmt.Fprintf(&b, " unless %s", e.Cond.Key())
				case e.Label != "":
					fmt.Fprintf(&b, " (%s)", e.Label)
				}
			}
		}
		switch blk.Exit {
		case flow.Return:
			b.WriteString(" => return")
		case flow.NoReturn:
			b.WriteString(" => noreturn")
		case flow.Unseen:
			b.WriteString(" => unseen")
		}
		b.WriteString("\n")
	}
	return b.String()
}
