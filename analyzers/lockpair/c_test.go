package lockpair_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/tagcheck/tagcheck/analyzers/lockpair"
	"github.com/tagcheck/tagcheck/cparse"
	"github.com/tagcheck/tagcheck/report"
	"github.com/tagcheck/tagcheck/rules"
)

// TestCCases runs every testdata/c/lockpair/NAME.c and compares the
// findings with NAME.want: one line per finding, "LINE RULE MESSAGE-PREFIX".
// Each file holds a bug shape and its correct twin, so a check that
// reports too much fails as surely as one that reports too little.
func TestCCases(t *testing.T) {
	cases, err := filepath.Glob("../../testdata/c/lockpair/*.c")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no C cases: %v", err)
	}
	for _, path := range cases {
		name := strings.TrimSuffix(filepath.Base(path), ".c")
		t.Run(name, func(t *testing.T) {
			got := checkCFile(t, path)
			want := readWant(t, strings.TrimSuffix(path, ".c")+".want")
			compareFindings(t, got, want)
		})
	}
}

func checkCFile(t *testing.T, path string) []report.Finding {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	cf, err := cparse.ParseC(filepath.Base(path), src, cparse.ParseOptions{NoReturn: rs.NoReturn})
	if err != nil {
		t.Fatal(err)
	}
	if cf.Degraded > 0 {
		t.Fatalf("%s: %d functions did not parse cleanly", path, cf.Degraded)
	}
	lockpair.Learn(cf.Funcs, rs, rules.C)
	var out []report.Finding
	for _, f := range cf.Funcs {
		out = append(out, lockpair.CheckFunc(f, rs, lockpair.Options{Lang: rules.C}).Findings...)
	}
	report.Sort(out)
	return out
}

type wantLine struct {
	line   int
	rule   string
	prefix string
}

func readWant(t *testing.T, path string) []wantLine {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []wantLine
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		txt := strings.TrimSpace(sc.Text())
		if txt == "" || strings.HasPrefix(txt, "#") {
			continue
		}
		parts := strings.SplitN(txt, " ", 3)
		line, err := strconv.Atoi(parts[0])
		if err != nil || len(parts) < 2 {
			t.Fatalf("%s:%d: want LINE RULE [MESSAGE-PREFIX]", path, n)
		}
		w := wantLine{line: line, rule: parts[1]}
		if len(parts) == 3 {
			w.prefix = parts[2]
		}
		out = append(out, w)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].line < out[j].line })
	return out
}

func compareFindings(t *testing.T, got []report.Finding, want []wantLine) {
	t.Helper()
	dump := func() string {
		var b strings.Builder
		for _, f := range got {
			fmt.Fprintf(&b, "\n  %d %s %s", f.Line, f.Rule, f.Message)
			for _, r := range f.Related {
				fmt.Fprintf(&b, "\n      %d:%d %s", r.Line, r.Column, r.Message)
			}
		}
		return b.String()
	}
	if len(got) != len(want) {
		t.Fatalf("got %d findings, want %d:%s", len(got), len(want), dump())
	}
	for i, w := range want {
		g := got[i]
		if g.Line != w.line || g.Rule != w.rule || !strings.HasPrefix(g.Message, w.prefix) {
			t.Errorf("finding %d: got %d %s %q\n want %d %s %q...", i, g.Line, g.Rule, g.Message, w.line, w.rule, w.prefix)
		}
	}
	if t.Failed() {
		t.Log(dump())
	}
}
