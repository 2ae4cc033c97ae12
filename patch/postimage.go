package patch

import (
	"cmp"
	"slices"
	"strings"

	"github.com/tagcheck/tagcheck/report"
)

// PostImage is one file's text after the patch, in post-image line numbers.
type PostImage struct {
	Path  string
	Whole bool // the entire file is known (tree mode, new files)
	// Text holds the lines the patch shows (every line when Whole), by
	// post-image line number: memory follows the text shown, not how far
	// down the file a hunk sits.
	Text report.Lines
	// Len is the number of lines the image spans: the last line a hunk
	// reaches (of a Whole image, its number of lines).
	Len  int
	Gaps int // runs of unseen lines between hunks of one function (see Units)

	// NoEOL is set when a Whole image does not end with a newline.
	NoEOL bool
	// Indented reports whether the lines keep their indentation (false for
	// a whitespace-damaged patch); Units uses it to judge what a gap held.
	Indented bool

	added    []int          // the lines that are '+' lines of the patch, ascending
	sections map[int]string // first post-image line of a hunk → its @@ section
	// removed holds the call statements the patch deletes right after a
	// post-image line, by that line (see Units), and those a deleted jump
	// no longer runs (see resolveJumps).
	removed map[int][]string
	jumps   []removedJump // deleted jumps, until resolveJumps
	// unseenJumps are the deleted jumps whose label is out of view.
	unseenJumps []JumpAway
}

// JumpAway is a jump the patch takes away from a label it does not show:
// the change after post-image line Line no longer goes to Label (or, for
// a deleted break, to the end of its loop or switch), and what the code
// there did on that path (a release?) is out of view.
type JumpAway struct {
	Line  int
	Label string
	Break bool // a "break;" (Label is empty): to the end of its loop or switch
}

// JumpsOutOfView returns the jumps the patch takes away from labels it
// does not show, in line order.
func (pi *PostImage) JumpsOutOfView() []JumpAway { return pi.unseenJumps }

// Added reports whether line (1-based) is a '+' line of the patch.
func (pi *PostImage) Added(line int) bool {
	_, ok := slices.BinarySearch(pi.added, line)
	return ok
}

// ChangedAt reports whether the patch adds line (1-based) or deletes
// lines right after it.
func (pi *PostImage) ChangedAt(line int) bool {
	return pi.ChangedIn(line, line)
}

// ChangedIn reports whether the patch changes a line in [from, to], as
// ChangedAt.
func (pi *PostImage) ChangedIn(from, to int) bool {
	from, to = max(from, 1), min(to, pi.Len)
	if from > to {
		return false
	}
	if i, _ := slices.BinarySearch(pi.added, from); i < len(pi.added) && pi.added[i] <= to {
		return true
	}
	for line, calls := range pi.removed {
		if from <= line && line <= to && len(calls) > 0 {
			return true
		}
	}
	return false
}

// Bytes returns the text of a Whole image as it would be written to disk.
func (pi *PostImage) Bytes() []byte { return pi.bytes(false) }

// bytes is Bytes, with the calls the patch deletes written where they
// stood when removed is set (see removedText).
func (pi *PostImage) bytes(removed bool) []byte {
	n := 0
	for _, l := range pi.Text.All() {
		n += len(l) + 1
	}
	var extra map[int]string
	if removed {
		extra = pi.removedText()
	}
	b := make([]byte, 0, n)
	for i, l := range pi.Text.All() {
		b = append(b, l...)
		b = append(b, extra[i]...)
		if i < pi.Len || !pi.NoEOL {
			b = append(b, '\n')
		}
	}
	return b
}

// PostLines is the number of lines the post-image a patch alone shows
// spans: the last post-image line a hunk reaches.
func (fp *FilePatch) PostLines() int {
	n := 0
	for _, h := range fp.Hunks {
		ln := max(h.NewStart, 1)
		for _, l := range h.Lines {
			if l.Op != '-' {
				ln++
			}
		}
		n = max(n, ln-1)
	}
	return n
}

// ShownBytes is the size of the text the hunks show after the patch: at
// most the size of the post-image, known before it is built.
func (fp *FilePatch) ShownBytes() int64 {
	var n int64
	for _, h := range fp.Hunks {
		for _, l := range h.Lines {
			if l.Op != '-' {
				n += int64(len(l.Text)) + 1
			}
		}
	}
	return n
}

// shown is one line a hunk shows.
type shown struct {
	line  int
	text  string
	added bool
}

// Fragments builds the post-image a patch alone shows (no tree).
func (fp *FilePatch) Fragments() *PostImage {
	pi := &PostImage{Path: fp.Path, Indented: !fp.Mangled, sections: map[int]string{}}
	if fp.IsDeleted {
		pi.Whole = true
		return pi
	}
	if fp.IsBinary {
		return pi
	}
	pi.Len = fp.PostLines()
	var lines []shown
	for _, h := range fp.Hunks {
		ln := max(h.NewStart, 1)
		first := true
		var run deletionRun
		for _, l := range h.Lines {
			switch {
			case l.Op == '-':
				if !first {
					run.minus(l.Text, ln-1)
				}
				continue
			case l.Op == '+':
				run.plus(l.Text, ln-1)
			default:
				run.flush(pi)
			}
			if first {
				if _, ok := pi.sections[ln]; !ok {
					pi.sections[ln] = h.Section
				}
				first = false
			}
			lines = append(lines, shown{ln, l.Text, l.Op == '+'})
			if l.NoNewline && ln == pi.Len {
				pi.NoEOL = true
			}
			ln++
		}
		run.flush(pi)
	}
	pi.setShown(lines)
	pi.resolveJumps()
	pi.Whole = fp.IsNew && pi.Text.Dense() && pi.Text.Last() == pi.Len
	if !pi.Whole {
		pi.Gaps = wrap(pi).gaps
	}
	return pi
}

// setShown fills Text and added from the lines the hunks show, in hunk
// order: where hunks overlap (a malformed patch), the later one's line
// stands.
func (pi *PostImage) setShown(lines []shown) {
	if !slices.IsSortedFunc(lines, func(a, b shown) int { return cmp.Compare(a.line, b.line) }) {
		slices.SortStableFunc(lines, func(a, b shown) int { return cmp.Compare(a.line, b.line) })
	}
	for i, l := range lines {
		if i+1 < len(lines) && lines[i+1].line == l.line {
			continue
		}
		pi.Text.Append(l.line, l.text)
		if l.added {
			pi.added = append(pi.added, l.line)
		}
	}
}

// deletionRun is a run of '-' lines and the '+' lines among them, read
// hunk line by hunk line: what the patch deletes at one place.
type deletionRun struct {
	calls   []string // call statements deleted
	jumps   []string // labels of "goto LABEL;" statements deleted
	added   []string // labels of "goto LABEL;" statements added
	mixed   bool     // '+' lines beside the deleted ones: a rewrite
	started bool
	at      int // the post-image line before the run
}

// start notes where the run begins: after post-image line before.
func (r *deletionRun) start(before int) {
	if !r.started {
		r.started, r.at = true, before
	}
}

// minus reads a '-' line that follows post-image line before.
func (r *deletionRun) minus(text string, before int) {
	r.start(before)
	if callStatement(text) {
		r.calls = append(r.calls, strings.TrimSpace(text))
	} else if label := jumpLabel(text); label != "" {
		r.jumps = append(r.jumps, label)
	}
}

// plus reads a '+' line that follows post-image line before.
func (r *deletionRun) plus(text string, before int) {
	r.start(before)
	r.mixed = true
	if label := jumpLabel(text); label != "" {
		r.added = append(r.added, label)
	}
}

// breakLabel stands, in a deletionRun's jumps, for a deleted "break;":
// a jump to the code after the loop or switch, which no label names.
const breakLabel = "break"

// flush records what the run deleted after the post-image line before
// it, and starts a new run. A deleted call statement counts only in a
// pure deletion; a deleted jump counts unless the run writes the same
// jump again: the path that left for the label now goes elsewhere
// (return, another label, on), and the releases after the label are
// what it no longer runs (resolveJumps).
func (r *deletionRun) flush(pi *PostImage) {
	if r.started {
		pi.noteRemoved(r.at, r.calls, r.mixed)
		for _, label := range r.jumps {
			if r.at >= 1 && !slices.Contains(r.added, label) {
				pi.jumps = append(pi.jumps, removedJump{line: r.at, label: label})
			}
		}
	}
	*r = deletionRun{}
}

// removedJump is a "goto label;" the patch deletes after a post-image
// line.
type removedJump struct {
	line  int
	label string
}

// jumpLabel returns LABEL of a "goto LABEL;" statement, breakLabel for
// "break;", or "".
func jumpLabel(text string) string {
	if strings.TrimSpace(text) == "break;" {
		return breakLabel
	}
	t, ok := strings.CutPrefix(strings.TrimSpace(text), "goto ")
	if !ok {
		return ""
	}
	label, ok := strings.CutSuffix(strings.TrimSpace(t), ";")
	if !ok || !identifier(label) {
		return ""
	}
	return label
}

// resolveJumps records, for each jump the patch deletes, the call
// statements that follow its label in view (across further labels and
// comments, up to the first other statement) as deleted after the jump's place: a
// path that went to "unlock:" ran its mutex_unlock, and the lock was
// held where the jump stood (judged as for a deleted release). The label
// is looked for below the jump, in the same function (before a "}" in
// the first column) and in the same run of lines in view: one further
// away records nothing.
func (pi *PostImage) resolveJumps() {
	for _, j := range pi.jumps {
		if j.label == breakLabel {
			// Where the loop or switch ends is not read from the text:
			// a fragment only names it (JumpsOutOfView).
			if !pi.Whole {
				pi.unseenJumps = append(pi.unseenJumps, JumpAway{Line: j.line, Break: true})
			}
			continue
		}
		at := 0
		for ln := j.line + 1; ln <= pi.Len && at == 0; ln++ {
			t, ok := pi.Text.Line(ln)
			if !ok || strings.HasPrefix(t, "}") {
				break // past what is in view, or the function's end
			}
			if strings.TrimSpace(t) == j.label+":" {
				at = ln
			}
		}
		if at == 0 {
			if !pi.Whole {
				pi.unseenJumps = append(pi.unseenJumps, JumpAway{Line: j.line, Label: j.label})
			}
			continue
		}
		var calls []string
		inComment := false
		for ln := at + 1; ln <= pi.Len; ln++ {
			t, ok := pi.Text.Line(ln)
			if !ok {
				break
			}
			tt := strings.TrimSpace(t)
			if inComment || strings.HasPrefix(tt, "/*") {
				inComment = !strings.Contains(tt, "*/")
				continue
			}
			if tt == "" || isLabel(tt) || strings.HasPrefix(tt, "//") {
				continue
			}
			if !callStatement(t) {
				break
			}
			calls = append(calls, tt)
		}
		pi.noteRemoved(j.line, calls, false)
	}
	pi.jumps = nil
}

// identifier reports whether s is a C identifier.
func identifier(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isIdent(s[i]) {
			return false
		}
	}
	return true
}

// noteRemoved records the calls a pure deletion removes after line: a
// run of '-' lines that '+' lines replace is a rewrite whose new text
// speaks for itself (task_unlock(task) becoming clear_reader_nsproxy(task)).
func (pi *PostImage) noteRemoved(line int, calls []string, mixed bool) {
	if len(calls) == 0 || mixed || line < 1 {
		return
	}
	if pi.removed == nil {
		pi.removed = map[int][]string{}
	}
	pi.removed[line] = append(pi.removed[line], calls...)
}

// callStatement reports whether l is one plain call statement, name(args);
// with nothing in it that could hide its end (strings, comments).
func callStatement(l string) bool {
	call, ok := strings.CutSuffix(strings.TrimSpace(l), ";")
	return ok && !strings.Contains(call, "=") && completeSig(call) && sigNameAt(call) == 0 && sigName(call) != ""
}

// indentUnit reports how the seen lines are indented: "\t", a run of
// spaces, or "" when the text carries no usable indentation.
func indentUnit(pi *PostImage) string {
	if !pi.Indented {
		return ""
	}
	spaces := 0
	for _, l := range pi.Text.All() {
		if l == "" {
			continue
		}
		if l[0] == '\t' {
			return "\t"
		}
		if l[0] == ' ' {
			k := len(l) - len(strings.TrimLeft(l, " "))
			if k < len(l) && l[k] != '*' && (spaces == 0 || k < spaces) && k <= 8 {
				spaces = k
			}
		}
	}
	if spaces > 0 {
		return strings.Repeat(" ", spaces)
	}
	return ""
}
