package lockpair

import (
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/report"
	"github.com/tagcheck/tagcheck/rules"
)

// How findings say things: the names of resources, the trail of a path,
// the fix of a wrong release, and which findings were made already.

// replacement spells the release that pairs with acquire, in place of the
// release call rel: C takes the acquire's arguments
// (spin_lock_irqsave(&l, flags) -> spin_unlock_irqrestore(&l, flags)); Go
// renames the method (the dialect's methodReleases).
func replacement(rs *rules.Set, rel, acquire *flow.Expr, release string, d dialect) string {
	short := func(n string) string {
		if i := strings.LastIndexAny(n, ".)"); i >= 0 {
			return n[i+1:]
		}
		return n
	}
	if d.methodReleases || strings.Contains(release, ".") {
		old := short(rel.Name)
		if i := strings.LastIndex(rel.Text, old+"("); i >= 0 {
			return rel.Text[:i] + short(release) + rel.Text[i+len(old):]
		}
		return rel.Text
	}
	if rs.TakesSubclass(acquire.Name) && len(acquire.Args) > 0 {
		// mutex_lock_nested(&m, SUBCLASS) is released by mutex_unlock(&m).
		return release + "(" + acquire.Args[0].Text + ")"
	}
	if strings.HasPrefix(acquire.Text, acquire.Name) {
		return release + acquire.Text[len(acquire.Name):]
	}
	return release + "(" + strings.Join(argTexts(rel), ", ") + ")"
}

func argTexts(c *flow.Expr) []string {
	out := make([]string, len(c.Args))
	for i, a := range c.Args {
		out[i] = a.Text
	}
	return out
}

func (w *walker) add(f report.Finding) {
	f.Function = w.f.Name
	f.Message = fold(f.Message)
	for i := range f.Related {
		f.Related[i].Message = fold(f.Related[i].Message)
	}
	if f.Fix != nil {
		f.Fix.Old, f.Fix.New = fold(f.Fix.Old), fold(f.Fix.New)
	}
	w.findings = append(w.findings, f)
}

// fold puts a call written over several lines on one: a finding is one
// line of text.
func fold(s string) string {
	if !strings.ContainsAny(s, "\n\t") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// describeKey says what a resource is in the code's own names, from its
// key; the packs name the CPU states.
func (w *walker) describeKey(res string) string {
	if field, ok := rules.TaggedFieldOf(res); ok {
		return "the tag bit of " + field
	}
	if d, ok := w.rs.DescribeCPUState(res); ok {
		return d
	}
	return strings.TrimPrefix(res, "&")
}

// describe says what res is as the source writes it where the walk saw
// it spelled (Go), else as its key does.
func (w *walker) describe(res string) string {
	if t, ok := w.spell[res]; ok {
		return w.describeKey(t)
	}
	return w.describeKey(res)
}

func (w *walker) describeAll(res []string) string {
	return joinDescribed(res, w.describe)
}

func joinDescribed(res []string, describe func(string) string) string {
	ds := make([]string, len(res))
	for i, r := range res {
		ds[i] = describe(r)
	}
	switch len(ds) {
	case 0:
		return "nothing"
	case 1:
		return ds[0]
	}
	return strings.Join(ds[:len(ds)-1], ", ") + " and " + ds[len(ds)-1]
}

func lineOf(pos string) string {
	parts := strings.Split(pos, ":")
	if len(parts) >= 3 {
		return parts[len(parts)-2]
	}
	return pos
}

// since cuts a path to the steps from the acquire at pos on: the branches
// taken before it do not explain the finding.
func since(t *step, pos flow.Pos) *step {
	var kept []*step
	for s := t; s != nil; s = s.prev {
		kept = append(kept, s)
		if s.pos == pos {
			var out *step
			for i := len(kept) - 1; i >= 0; i-- {
				out = out.pushKind(kept[i].kind, kept[i].pos, kept[i].msg)
			}
			return out
		}
	}
	return t
}

// trailRelated turns the last n steps of a path into related locations.
func trailRelated(t *step, n int) []report.Related {
	var out []report.Related
	for s := t; s != nil && len(out) < n; s = s.prev {
		out = append(out, report.Related{File: s.pos.File, Line: s.pos.Line, Column: s.pos.Col, Message: s.msg})
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// reportKey is a finding made once per place, however many paths reach
// it: its rule, its position and, for an unreleased lock, what is held.
type reportKey struct {
	rule, at, what string
}

func reportAt(rule string, pos flow.Pos) reportKey { return reportKey{rule: rule, at: pos.String()} }
