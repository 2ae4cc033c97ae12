package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tagcheck/tagcheck/check"
	"github.com/tagcheck/tagcheck/report"
)

// Go mode in tagcheck's own formats: `tagcheck go --format json|sarif`
// and --baseline/--write-baseline turn go vet's diagnostics into
// report.Findings, so a Go finding is written, fingerprinted and
// baselined exactly as a C one is (check/baseline.go, report/).

// goFinding is a diagnostic of go vet's JSON as a finding, with the
// diagnostic it came from.
type goFinding struct {
	report.Finding
	diag *jsonDiag
}

// findings returns the diagnostics of res (after filter) as findings in
// report.Sort's order, each once, with file names relative to dir when
// they lie under it — so that a baseline or a SARIF log does not depend
// on where the checkout is.
func (res *vetResults) findings(dir string) []goFinding {
	funcs := enclosingFuncs{}
	var out []goFinding
	for _, id := range res.ids() {
		units := res.byPkg[id]
		for _, name := range sortedNames(units) {
			r := units[name]
			for i := range r.diags {
				d := &r.diags[i]
				f := findingOf(name, d, dir)
				file, line, _ := splitPosn(d.Posn)
				f.Function = funcs.at(file, line)
				out = append(out, goFinding{f, d})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b goFinding) int { return report.Compare(a.Finding, b.Finding) })
	// A package and its test variant report the same diagnostic.
	return slices.CompactFunc(out, func(a, b goFinding) bool { return report.Same(a.Finding, b.Finding) })
}

// retain keeps, of the diagnostics, those of kept (a subsequence of gfs
// in the same order) and their repeats in test variants; analyzer errors
// stay.
func (res *vetResults) retain(gfs []goFinding, kept []report.Finding) {
	type key struct{ posn, msg string }
	keep := map[key]bool{}
	k := 0
	for _, g := range gfs {
		if k < len(kept) && report.Same(g.Finding, kept[k]) {
			keep[key{g.diag.Posn, g.diag.Message}] = true
			k++
		}
	}
	for _, units := range res.byPkg {
		for _, r := range units {
			var ds []jsonDiag
			for _, d := range r.diags {
				if keep[key{d.Posn, d.Message}] {
					ds = append(ds, d)
				}
			}
			r.diags = ds
		}
	}
}

// findingOf converts one diagnostic of analyzer name. Its rule is the
// prefix the analyzers put on every message ("lockpair/unreleased: ..."),
// else the analyzer and the category.
func findingOf(name string, d *jsonDiag, dir string) report.Finding {
	file, line, col := posnParts(d.Posn)
	f := report.Finding{File: relTo(dir, file), Line: line, Column: col, Rule: name, Message: d.Message}
	if d.Category != "" {
		f.Rule = name + "/" + d.Category
	}
	if rule, msg, ok := strings.Cut(d.Message, ": "); ok && isRuleID(rule) {
		f.Rule, f.Message = rule, msg
	}
	for _, r := range d.Related {
		rf, rl, rc := posnParts(r.Posn)
		f.Related = append(f.Related, report.Related{File: relTo(dir, rf), Line: rl, Column: rc, Message: r.Message})
	}
	f.Fix = fixOf(d, dir)
	return f
}

func isRuleID(s string) bool {
	if s == report.BadSuppression {
		return true
	}
	for _, id := range report.SortedRuleIDs() {
		if id == s {
			return true
		}
	}
	return false
}

// fixOf is the diagnostic's first suggested fix as a one-line
// replacement, when it is one edit within one line.
func fixOf(d *jsonDiag, dir string) *report.Fix {
	if len(d.SuggestedFixes) == 0 || len(d.SuggestedFixes[0].Edits) != 1 {
		return nil
	}
	e := d.SuggestedFixes[0].Edits[0]
	data, err := os.ReadFile(e.Filename)
	if err != nil || e.Start < 0 || e.End > len(data) || e.Start > e.End {
		return nil
	}
	old := string(data[e.Start:e.End])
	if old == "" || strings.Contains(old, "\n") || strings.Contains(e.New, "\n") {
		return nil
	}
	line := 1 + strings.Count(string(data[:e.Start]), "\n")
	return &report.Fix{File: relTo(dir, e.Filename), Line: line, Old: old, New: e.New}
}

// posnParts splits "file:line:col".
func posnParts(p string) (file string, line, col int) {
	file, line, _ = splitPosn(p)
	if i := strings.LastIndexByte(p, ':'); i >= 0 {
		fmt.Sscan(p[i+1:], &col)
		if _, l, ok := splitPosn(p[:i]); !ok || l != line {
			col = 0 // "file:line" only
		}
	}
	return file, line, col
}

// relTo names file relative to dir when it lies under it.
func relTo(dir, file string) string {
	if dir == "" || !filepath.IsAbs(file) {
		return file
	}
	rel, err := filepath.Rel(dir, file)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return file
	}
	return filepath.ToSlash(rel)
}

// enclosingFuncs names the function around a line, for baseline keys
// (which survive line shifts through the function and the code).
type enclosingFuncs map[string]*parsedGo

type parsedGo struct {
	fset *token.FileSet
	file *ast.File
}

func (e enclosingFuncs) at(file string, line int) string {
	p, ok := e[file]
	if !ok {
		fset := token.NewFileSet()
		f, _ := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		p = &parsedGo{fset, f}
		e[file] = p
	}
	if p.file == nil {
		return ""
	}
	for _, d := range p.file.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || p.fset.Position(fd.Pos()).Line > line || p.fset.Position(fd.End()).Line < line {
			continue
		}
		if fd.Recv != nil && len(fd.Recv.List) > 0 {
			return recvName(fd.Recv.List[0].Type) + "." + fd.Name.Name
		}
		return fd.Name.Name
	}
	return ""
}

func recvName(t ast.Expr) string {
	switch t := t.(type) {
	case *ast.StarExpr:
		return recvName(t.X)
	case *ast.IndexExpr:
		return recvName(t.X)
	case *ast.IndexListExpr:
		return recvName(t.X)
	case *ast.Ident:
		return t.Name
	}
	return ""
}

// goReport applies --baseline or --write-baseline to the diagnostics
// of res and writes them in tagcheck's JSON or SARIF when asked. done is
// false when the text printer is still to print what is left in res.
func (o *goOptions) goReport(res *vetResults, stdout, stderr io.Writer) (code int, done bool) {
	wd, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(stderr, "tagcheck: go: %v\n", err)
		return 2, true
	}
	gfs := res.findings(wd)
	fs := make([]report.Finding, len(gfs))
	for i := range gfs {
		fs[i] = gfs[i].Finding
	}
	src := check.Source(nil)
	fs, code, done = applyBaseline(fs, src, o.out, stderr)
	if done {
		return code, true
	}
	switch o.out.format {
	case "json":
		err = report.WriteJSON(stdout, report.Output{Findings: fs})
	case "sarif":
		err = report.WriteSARIFWith(stdout, fs, report.SARIFOptions{ToolVersion: version(), Source: src, Fingerprints: check.Fingerprints(fs, src)})
	default:
		res.retain(gfs, fs)
		return 0, false
	}
	if err != nil {
		fmt.Fprintf(stderr, "tagcheck: go: %v\n", err)
		return 1, true
	}
	if len(fs) > 0 {
		return 3, true
	}
	return 0, true
}
