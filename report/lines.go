package report

import (
	"iter"
	"sort"
)

// Lines is text of one file by line number: every line of a file read
// whole, or only the lines a patch shows. It holds runs of consecutive
// lines, so a line shown at 4,000,000 costs its own bytes, not a slot for
// each line before it (25 files patched that far down took 3 GB).
// The zero Lines knows no line.
type Lines struct {
	runs []lineRun // ascending, neither overlapping nor adjacent
}

// lineRun is consecutive lines: text[i] is line first+i.
type lineRun struct {
	first int
	text  []string
}

// AllLines returns the Lines of a whole file: line i+1 is text[i].
func AllLines(text []string) Lines {
	if len(text) == 0 {
		return Lines{}
	}
	return Lines{runs: []lineRun{{first: 1, text: text}}}
}

// Append adds line n, which must come after every line held.
func (ls *Lines) Append(n int, s string) {
	if k := len(ls.runs); k > 0 {
		r := &ls.runs[k-1]
		if end := r.first + len(r.text); n == end {
			r.text = append(r.text, s)
			return
		} else if n < end {
			panic("report.Lines.Append: lines out of order")
		}
	}
	ls.runs = append(ls.runs, lineRun{first: n, text: []string{s}})
}

// Line returns line n and whether it is held.
func (ls Lines) Line(n int) (string, bool) {
	i := sort.Search(len(ls.runs), func(i int) bool { return ls.runs[i].first+len(ls.runs[i].text) > n })
	if i == len(ls.runs) || n < ls.runs[i].first {
		return "", false
	}
	return ls.runs[i].text[n-ls.runs[i].first], true
}

// Has reports whether line n is held.
func (ls Lines) Has(n int) bool {
	_, ok := ls.Line(n)
	return ok
}

// Last is the number of the last line held, 0 when none is.
func (ls Lines) Last() int {
	if len(ls.runs) == 0 {
		return 0
	}
	r := ls.runs[len(ls.runs)-1]
	return r.first + len(r.text) - 1
}

// Dense reports whether the lines held are lines 1 to Last, all of them.
func (ls Lines) Dense() bool {
	return len(ls.runs) == 0 || len(ls.runs) == 1 && ls.runs[0].first == 1
}

// All yields the lines held and their numbers, in ascending order.
func (ls Lines) All() iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		for _, r := range ls.runs {
			for i, s := range r.text {
				if !yield(r.first+i, s) {
					return
				}
			}
		}
	}
}

// Runs yields each stretch of consecutive lines held: the number of its
// first line and its text.
func (ls Lines) Runs() iter.Seq2[int, []string] {
	return func(yield func(int, []string) bool) {
		for _, r := range ls.runs {
			if !yield(r.first, r.text) {
				return
			}
		}
	}
}
