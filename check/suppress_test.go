package check

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/tagcheck/tagcheck/report"
)

func TestParseSuppressions(t *testing.T) {
	lines := []string{
		"\t/* tagcheck:ignore lockpair/unreleased handed to the caller */",         // 1: alone, valid
		"\tspin_unlock(&l); /* tagcheck:ignore lockpair released by the caller */", // 2: trailing, family
		"\t// tagcheck:ignore lockpair/unreleased",                                 // 3: no reason
		"\t/* tagcheck:ignore */",                                                  // 4: no rule
		"\t/* tagcheck:ignore lockpair/nonsense because */",                        // 5: unknown rule
		"\t * tagcheck:ignore lockpair/unreleased in a block comment, no marker",   // 6: not taken
		"x; //tagcheck:ignore * all of it, tested elsewhere",                       // 7: star
	}
	ss := ParseSuppressions("a.c", report.AllLines(lines))
	if len(ss) != 6 {
		t.Fatalf("got %d suppressions, want 6: %+v", len(ss), ss)
	}
	want := []struct {
		line    int
		rule    string
		reason  string
		alone   bool
		problem string
	}{
		{1, "lockpair/unreleased", "handed to the caller", true, ""},
		{2, "lockpair", "released by the caller", false, ""},
		{3, "lockpair/unreleased", "", true, "gives no reason"},
		{4, "", "", true, "names no rule"},
		{5, "lockpair/nonsense", "because", true, "unknown rule"},
		{7, "*", "all of it, tested elsewhere", false, ""},
	}
	for i, w := range want {
		s := ss[i]
		if s.Line != w.line || s.Rule != w.rule || s.Reason != w.reason || s.Alone != w.alone || !strings.Contains(s.Problem, w.problem) || (w.problem == "") != (s.Problem == "") {
			t.Errorf("suppression %d = %+v, want %+v", i, s, w)
		}
	}
}

func TestSuppress(t *testing.T) {
	src := map[string][]string{
		"a.c": {
			"void f(void)",     // 1
			"{",                // 2
			"\tspin_lock(&l);", // 3
			"\t/* tagcheck:ignore lockpair/unreleased released in g() */", // 4
			"\treturn;", // 5: silenced (line above)
			"\tfoo(); /* tagcheck:ignore taggedptr raw on purpose */", // 6: silenced (same line)
			"\tbar();", // 7: not silenced (trailing comment on 6 covers only 6)
			"\t/* tagcheck:ignore lockpair/unreleased */", // 8: no reason: silences nothing
			"\treturn;", // 9
			"}",
		},
	}
	get := func(f string) report.Lines { return report.AllLines(src[f]) }
	fs := []report.Finding{
		{Rule: report.Unreleased, File: "a.c", Line: 5, Column: 2, Function: "f", Message: "held"},
		{Rule: report.UntaggedDeref, File: "a.c", Line: 6, Column: 2, Function: "f", Message: "raw"},
		{Rule: report.UntaggedDeref, File: "a.c", Line: 7, Column: 2, Function: "f", Message: "raw"},
		{Rule: report.MismatchedRelease, File: "a.c", Line: 5, Column: 2, Function: "f", Message: "other rule"},
		{Rule: report.Unreleased, File: "a.c", Line: 9, Column: 2, Function: "f", Message: "held"},
	}
	got := Suppress(fs, get, []string{"a.c", "b.c"})
	var lines []string
	for _, f := range got {
		lines = append(lines, f.Rule+"@"+itoa(f.Line))
	}
	want := "lockpair/mismatched-release@5 taggedptr/untagged-deref@7 tagcheck/suppression@8 lockpair/unreleased@9"
	if strings.Join(lines, " ") != want {
		t.Errorf("after Suppress: %s\nwant %s", strings.Join(lines, " "), want)
	}
}

func itoa(n int) string {
	const d = "0123456789"
	if n < 10 {
		return d[n : n+1]
	}
	return itoa(n/10) + d[n%10:n%10+1]
}

func TestSuppressGo(t *testing.T) {
	const src = `package p

func f() {
	//tagcheck:ignore lockpair/unreleased unlocked by the caller, see g
	a()
	b() //tagcheck:ignore lockpair mismatched on purpose
	c()
	//tagcheck:ignore lockpair/unreleased
	d()
}

func a() {}
func b() {}
func c() {}
func d() {}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	// A fake analyzer that reports every call in f.
	fake := &analysis.Analyzer{Name: "lockpair", Doc: "fake", Run: func(pass *analysis.Pass) (any, error) {
		ast.Inspect(pass.Files[0], func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok {
				pass.Report(analysis.Diagnostic{Pos: c.Pos(), Category: "unreleased", Message: "call " + c.Fun.(*ast.Ident).Name})
			}
			return true
		})
		return nil, nil
	}}
	var got []string
	pass := &analysis.Pass{Fset: fset, Files: []*ast.File{f}, Report: func(d analysis.Diagnostic) {
		got = append(got, itoa(fset.Position(d.Pos).Line)+":"+d.Category)
	}}
	if _, err := SuppressGo(fake, true).Run(pass); err != nil {
		t.Fatal(err)
	}
	// a (line 5) is silenced by the comment above, b (6) by its trailing
	// family comment; c (7) is not (a trailing comment covers its own line
	// only); d (9): the comment without a reason silences nothing and is
	// reported itself.
	if want := "8:suppression 7:unreleased 9:unreleased"; strings.Join(got, " ") != want {
		t.Errorf("reported %q, want %q", strings.Join(got, " "), want)
	}
	if fake.Name != "lockpair" || SuppressGo(fake, false).Name != "lockpair" {
		t.Error("wrapper must keep the analyzer's name")
	}
}
