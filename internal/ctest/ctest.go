// Package ctest runs C test cases whose expected findings are written in
// the case itself, in the manner of golang.org/x/tools/go/analysis/analysistest:
//
//	spin_lock(&r->lock); /* want "lockpair/double-acquire: spin_lock(&r->lock) acquires" */
//
// A want comment sits on the line a finding is reported at and holds one
// Go-quoted string per finding on that line:
//
//	x = f(p); /* want "taggedptr/racy-rmw: xchg() sets" "taggedptr/foreign-write: xchg()" */
//
// Each string is a literal prefix of the finding's "RULE: MESSAGE" (no
// regular expression: C text is full of parentheses and stars). A prefix is
// the stricter of the two forms the earlier per-directory .want files used
// (lockpair's message prefixes and taggedptr's substrings), so moving them
// inline weakened none. The strings of one line match its findings one to
// one and in any order; a finding no string matches and a string that
// matches no finding both fail the case, so a check that reports too much
// fails as surely as one that reports too little.
package ctest

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/tagcheck/tagcheck/report"
)

// Want is one expected finding: the prefix of "RULE: MESSAGE" at a line.
type Want struct {
	Line   int
	Prefix string
}

// wantComment finds a want comment, "want" or "want(MODE)"; its body is
// parsed by parseStrings.
var wantComment = regexp.MustCompile(`/\*\s*want(?:\((\w+)\))?\s(.*?)\*/`)

// ParseWants reads the want comments of a C source. A malformed comment is
// an error naming the file and line.
func ParseWants(name string, src []byte) ([]Want, error) {
	return ParseWantsIn(name, src, "")
}

// ParseWantsIn is ParseWants for a case run in more than one way: a
// "want(MODE)" comment holds findings only the run named mode gives (a
// check with the patch's own evidence, beside a scan without it), and is
// read only when mode is that name.
func ParseWantsIn(name string, src []byte, mode string) ([]Want, error) {
	var out []Want
	for i, line := range strings.Split(string(src), "\n") {
		for _, m := range wantComment.FindAllStringSubmatch(line, -1) {
			if m[1] != "" && m[1] != mode {
				continue
			}
			ss, err := parseStrings(m[2])
			if err != nil {
				return nil, fmt.Errorf("%s:%d: want comment: %w", name, i+1, err)
			}
			for _, s := range ss {
				out = append(out, Want{Line: i + 1, Prefix: s})
			}
		}
	}
	return out, nil
}

// parseStrings splits a want comment's body into its quoted strings.
func parseStrings(body string) ([]string, error) {
	var out []string
	for body = strings.TrimSpace(body); body != ""; body = strings.TrimSpace(body) {
		q, err := strconv.QuotedPrefix(body)
		if err != nil {
			return nil, fmt.Errorf("%q is not a quoted string", body)
		}
		s, _ := strconv.Unquote(q)
		if s == "" {
			return nil, fmt.Errorf("empty string")
		}
		out = append(out, s)
		body = body[len(q):]
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no expected finding")
	}
	return out, nil
}

// Text is what a want string is a prefix of.
func Text(f report.Finding) string { return f.Rule + ": " + f.Message }

// Mismatches matches findings against wants line by line and describes
// every finding no want matches and every want no finding matches. Longer
// prefixes are matched first: two prefixes that both match one text are
// nested, so taking the more specific first never steals the only finding
// the shorter one could have had.
func Mismatches(wants []Want, got []report.Finding) []string {
	wants = append([]Want(nil), wants...)
	sort.SliceStable(wants, func(i, j int) bool {
		if wants[i].Line != wants[j].Line {
			return wants[i].Line < wants[j].Line
		}
		return len(wants[i].Prefix) > len(wants[j].Prefix)
	})
	used := make([]bool, len(got))
	var out []string
	for _, w := range wants {
		if i := firstMatch(w, got, used); i >= 0 {
			used[i] = true
			continue
		}
		out = append(out, fmt.Sprintf("line %d: no finding matches %q", w.Line, w.Prefix))
	}
	for i, f := range got {
		if !used[i] {
			out = append(out, fmt.Sprintf("line %d: unexpected finding %q", f.Line, Text(f)))
		}
	}
	return out
}

func firstMatch(w Want, got []report.Finding, used []bool) int {
	for i, f := range got {
		if !used[i] && f.Line == w.Line && strings.HasPrefix(Text(f), w.Prefix) {
			return i
		}
	}
	return -1
}

// Check compares the findings of the case at path with its want comments.
func Check(t testing.TB, path string, src []byte, got []report.Finding) {
	t.Helper()
	CheckIn(t, "", path, src, got)
}

// CheckIn is Check for the run named mode (see ParseWantsIn).
func CheckIn(t testing.TB, mode, path string, src []byte, got []report.Finding) {
	t.Helper()
	wants, err := ParseWantsIn(path, src, mode)
	if err != nil {
		t.Fatal(err)
	}
	bad := Mismatches(wants, got)
	for _, m := range bad {
		t.Errorf("%s: %s", filepath.Base(path), m)
	}
	if len(bad) > 0 {
		t.Log("all findings:" + Dump(got))
	}
}

// Dump formats findings with their related locations, one per line.
func Dump(got []report.Finding) string {
	var b strings.Builder
	for _, f := range got {
		fmt.Fprintf(&b, "\n  %d:%d %s", f.Line, f.Column, Text(f))
		for _, r := range f.Related {
			fmt.Fprintf(&b, "\n      %d:%d %s", r.Line, r.Column, r.Message)
		}
	}
	return b.String()
}

// Run runs every dir/*.c as a subtest named after the file: check returns
// the case's findings, which must be exactly the ones its comments want.
func Run(t *testing.T, dir string, check func(t *testing.T, path string, src []byte) []report.Finding) {
	t.Helper()
	RunIn(t, dir, "", check)
}

// RunIn is Run for the run named mode (see ParseWantsIn).
func RunIn(t *testing.T, dir, mode string, check func(t *testing.T, path string, src []byte) []report.Finding) {
	t.Helper()
	cases, err := filepath.Glob(filepath.Join(dir, "*.c"))
	if err != nil || len(cases) == 0 {
		t.Fatalf("no C cases in %s: %v", dir, err)
	}
	for _, path := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".c"), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			CheckIn(t, mode, path, src, check(t, path, src))
		})
	}
}
