package check

import (
	"fmt"
	"go/ast"
	"go/token"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"

	"github.com/tagcheck/tagcheck/internal/limits"
	"github.com/tagcheck/tagcheck/report"
)

// Suppression is one tagcheck:ignore comment:
//
//	/* tagcheck:ignore RULE reason */     (C)
//	// tagcheck:ignore RULE reason        (C)
//	//tagcheck:ignore RULE reason         (Go)
//
// RULE is a rule ID (lockpair/unreleased), a family (lockpair) or "*".
// It silences the findings of that rule on its own line and, when the
// comment stands alone on its line, on the next line. A suppression
// without a rule or without a reason silences nothing and is reported
// as report.BadSuppression.
type Suppression struct {
	File     string
	Line     int
	Column   int
	Rule     string
	Reason   string
	Alone    bool   // the comment is the only thing on its line
	Through  int    // Go //nolint alone on its line: the last line of the declaration or statement it precedes
	Problem  string // why it is not valid; "" when it is
	Function string // Go: the enclosing function, for the report
}

var ignoreRE = regexp.MustCompile(`(//|/\*)\s*tagcheck:ignore\b`)

// ParseSuppressions returns the tagcheck:ignore comments in lines. It
// looks at comment markers only, which is enough for the places people
// write suppressions; a marker inside a string literal is taken too.
func ParseSuppressions(file string, lines report.Lines) []Suppression {
	var out []Suppression
	for ln, l := range lines.All() {
		if !strings.Contains(l, "tagcheck:ignore") {
			continue
		}
		m := ignoreRE.FindStringSubmatchIndex(l)
		if m == nil {
			continue
		}
		rest := l[m[1]:]
		if l[m[2]:m[3]] == "/*" {
			if j := strings.Index(rest, "*/"); j >= 0 {
				rest = rest[:j]
			}
		}
		s := parseDirective(rest)
		s.File, s.Line, s.Column = file, ln, m[0]+1
		before := strings.TrimSpace(l[:m[0]])
		s.Alone = before == "" || before == "*" // also inside a block comment
		out = append(out, s)
	}
	return out
}

// parseDirective reads "RULE reason words" after tagcheck:ignore.
func parseDirective(rest string) Suppression {
	f := strings.Fields(rest)
	var s Suppression
	if len(f) > 0 {
		s.Rule = f[0]
		s.Reason = strings.Join(f[1:], " ")
	}
	s.Reason = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s.Reason), "*/"))
	switch {
	case s.Rule == "":
		s.Problem = "tagcheck:ignore names no rule; write tagcheck:ignore RULE reason"
	case !knownRule(s.Rule):
		s.Problem = fmt.Sprintf("tagcheck:ignore names unknown rule %q; known rules: %s", s.Rule, strings.Join(report.SortedRuleIDs(), ", "))
	case s.Reason == "":
		s.Problem = fmt.Sprintf("tagcheck:ignore %s gives no reason; say why the finding is wrong or accepted, e.g. tagcheck:ignore %s lock handed to the caller", s.Rule, s.Rule)
	}
	return s
}

func knownRule(r string) bool {
	if r == "*" {
		return true
	}
	for _, id := range report.SortedRuleIDs() {
		if id == r || strings.HasPrefix(id, r+"/") {
			return true
		}
	}
	return false
}

// Matches reports whether s silences rule.
func (s Suppression) Matches(rule string) bool {
	if s.Problem != "" {
		return false
	}
	return s.Rule == "*" || s.Rule == rule || strings.HasPrefix(rule, s.Rule+"/")
}

// Covers reports whether s applies to the given line of its file.
func (s Suppression) Covers(line int) bool {
	return line == s.Line || (s.Alone && line == s.Line+1) || (s.Line < line && line <= s.Through)
}

// Finding returns the report of an invalid suppression.
func (s Suppression) Finding() report.Finding {
	return report.Finding{
		Rule: report.BadSuppression, File: s.File, Line: s.Line, Column: s.Column,
		Function: s.Function, Message: s.Problem,
	}
}

// Source returns the lines of a file: from the post-images of a patch run
// (Result.Lines), else read from disk (a scan names files as it read
// them). Unknown or unreadable files hold no line. Safe for concurrent
// use.
func Source(res *Result) func(file string) report.Lines {
	var mu sync.Mutex
	cache := map[string]report.Lines{}
	return func(file string) report.Lines {
		if res != nil {
			if ls, ok := res.Lines[file]; ok {
				return ls
			}
		}
		mu.Lock()
		defer mu.Unlock()
		if ls, ok := cache[file]; ok {
			return ls
		}
		ls := readLines(file)
		cache[file] = ls
		return ls
	}
}

// readLines reads a file a finding names. It was read for the check,
// under --max-file; it may have changed since, and is read bounded
// (--max-input's default) and never waited on.
func readLines(file string) report.Lines {
	data, err := limits.ReadRegular(file, "", limits.DefaultInput)
	if err != nil {
		return report.Lines{}
	}
	ls := strings.Split(string(data), "\n")
	if ls[len(ls)-1] == "" {
		ls = ls[:len(ls)-1]
	}
	for i, l := range ls {
		ls[i] = strings.TrimSuffix(l, "\r")
	}
	return report.AllLines(ls)
}

// Suppress removes the findings a valid tagcheck:ignore comment silences
// and adds a report.BadSuppression finding for every invalid one in the
// files of the run: those of extra (the files a patch showed) and those
// the findings name. The result is sorted.
func Suppress(fs []report.Finding, src func(string) report.Lines, extra []string) []report.Finding {
	files := slices.Clone(extra)
	for _, f := range fs {
		files = append(files, f.File)
	}
	slices.Sort(files)
	files = slices.Compact(files)
	byFile := map[string][]Suppression{}
	var out []report.Finding
	for _, file := range files {
		ss := ParseSuppressions(file, src(file))
		byFile[file] = ss
		for _, s := range ss {
			if s.Problem != "" {
				out = append(out, s.Finding())
			}
		}
	}
	for _, f := range fs {
		if f.Rule == report.BadSuppression || !suppressed(byFile[f.File], f) {
			out = append(out, f)
		}
	}
	report.Sort(out)
	return report.Dedup(out)
}

func suppressed(ss []Suppression, f report.Finding) bool {
	for _, s := range ss {
		if s.Covers(f.Line) && s.Matches(f.Rule) {
			return true
		}
	}
	return false
}

// Files returns the files a patch run showed (the keys of Lines), sorted.
func (r *Result) Files() []string {
	return slices.Sorted(maps.Keys(r.Lines))
}

// SuppressGo wraps a go/analysis Analyzer so that //tagcheck:ignore
// comments, and golangci-lint's //nolint naming tagcheck or the analyzer
// (nolint.go), silence its diagnostics. The rule of a diagnostic is the
// analyzer's name and its Category ("lockpair/unreleased"). With
// reportBad, invalid suppressions in the package are reported as
// diagnostics (wrap one analyzer with it, so each is reported once); a
// suppression naming another analyzer's rules is left to that one.
// The wrapper keeps the analyzer's name, flags, requirements and facts.
func SuppressGo(a *analysis.Analyzer, reportBad bool) *analysis.Analyzer {
	w := *a
	run := a.Run
	w.Run = func(pass *analysis.Pass) (any, error) {
		ss := goSuppressions(pass.Fset, pass.Files)
		report0 := pass.Report
		pass.Report = func(d analysis.Diagnostic) {
			rule := a.Name
			if d.Category != "" {
				rule += "/" + d.Category
			}
			p := pass.Fset.Position(d.Pos)
			for _, s := range ss[p.Filename] {
				if s.Covers(p.Line) && s.Matches(rule) {
					return
				}
			}
			report0(d)
		}
		if reportBad {
			for _, f := range pass.Files {
				name := pass.Fset.Position(f.Pos()).Filename
				for _, s := range ss[name] {
					if s.Problem != "" {
						report0(analysis.Diagnostic{Pos: s.pos, Category: "suppression", Message: report.BadSuppression + ": " + s.Problem})
					}
				}
			}
		}
		return run(pass)
	}
	return &w
}

type goSuppression struct {
	Suppression
	pos token.Pos
}

// goSuppressions collects //tagcheck:ignore comments by file name.
func goSuppressions(fset *token.FileSet, files []*ast.File) map[string][]goSuppression {
	out := map[string][]goSuppression{}
	for _, f := range files {
		tf := fset.File(f.Pos())
		if tf == nil {
			continue
		}
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				text := c.Text
				if ns := nolintSuppressions(fset, f, tf, c); ns != nil {
					p := fset.Position(c.Pos())
					out[p.Filename] = append(out[p.Filename], ns...)
					continue
				}
				if !strings.Contains(text, "tagcheck:ignore") {
					continue
				}
				var rest string
				switch {
				case strings.HasPrefix(text, "//"):
					rest = strings.TrimSpace(text[2:])
				case strings.HasPrefix(text, "/*"):
					rest = strings.TrimSpace(strings.TrimSuffix(text[2:], "*/"))
				}
				after, ok := strings.CutPrefix(rest, "tagcheck:ignore")
				if !ok {
					continue
				}
				s := parseDirective(after)
				p := fset.Position(c.Pos())
				s.File, s.Line, s.Column = p.Filename, p.Line, p.Column
				// Alone: no code token starts on this line before the comment.
				s.Alone = !codeBefore(f, tf, c.Pos())
				out[p.Filename] = append(out[p.Filename], goSuppression{s, c.Pos()})
			}
		}
	}
	return out
}

// codeBefore reports whether some syntax other than comments starts or
// ends on the comment's line before it.
func codeBefore(f *ast.File, tf *token.File, pos token.Pos) bool {
	ls := tf.LineStart(tf.Line(pos))
	found := false
	ast.Inspect(f, func(n ast.Node) bool {
		if found || n == nil {
			return false
		}
		if _, ok := n.(*ast.CommentGroup); ok {
			return false
		}
		if n.End() < ls || n.Pos() > pos {
			return false
		}
		if (n.Pos() >= ls && n.Pos() < pos) || (n.End() >= ls && n.End() <= pos) {
			found = true
			return false
		}
		return true
	})
	return found
}
