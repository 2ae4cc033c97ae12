package ctest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tagcheck/tagcheck/report"
)

func TestParseWants(t *testing.T) {
	src := []byte(`int f(void)
{
	spin_lock(&a); /* want "lockpair/double-acquire: spin_lock(&a)" */
	x(); /* want "r/one: a \"quoted\" b" "r/two: c" */
	/* a comment that wants nothing */
}
`)
	got, err := ParseWants("f.c", src)
	if err != nil {
		t.Fatal(err)
	}
	want := `[{3 lockpair/double-acquire: spin_lock(&a)} {4 r/one: a "quoted" b} {4 r/two: c}]`
	if fmt.Sprint(got) != want {
		t.Errorf("got %v\nwant %s", got, want)
	}
	for _, bad := range []string{
		`x(); /* want */`,
		`x(); /* want "" */`,
		`x(); /* want "r: a" b */`,
		`x(); /* want "r: a */`,
	} {
		if _, err := ParseWants("b.c", []byte("\n"+bad)); err == nil || !strings.HasPrefix(err.Error(), "b.c:2: ") {
			t.Errorf("ParseWants(%q) = %v, want an error at b.c:2", bad, err)
		}
	}
}

func TestParseWantsIn(t *testing.T) {
	src := []byte("a(); /* want \"r/all: a\" */\nb(); /* want(check) \"r/check: b\" */\nc(); /* want(scan) \"r/scan: c\" */\n")
	for mode, want := range map[string]string{
		"":      "[{1 r/all: a}]",
		"check": "[{1 r/all: a} {2 r/check: b}]",
		"scan":  "[{1 r/all: a} {3 r/scan: c}]",
	} {
		got, err := ParseWantsIn("f.c", src, mode)
		if err != nil || fmt.Sprint(got) != want {
			t.Errorf("ParseWantsIn(%q) = %v, %v; want %s", mode, got, err, want)
		}
	}
}

func TestMismatches(t *testing.T) {
	f := func(line int, rule, msg string) report.Finding {
		return report.Finding{Rule: rule, Line: line, Message: msg}
	}
	for _, c := range []struct {
		name  string
		wants []Want
		got   []report.Finding
		bad   string
	}{
		{"exact", []Want{{3, "r/a: x held"}}, []report.Finding{f(3, "r/a", "x held at 2")}, "[]"},
		{"rule only", []Want{{3, "r/a"}}, []report.Finding{f(3, "r/a", "x")}, "[]"},
		{"no want", nil, []report.Finding{f(3, "r/a", "x")}, `[line 3: unexpected finding "r/a: x"]`},
		{"no finding", []Want{{3, "r/a: x"}}, nil, `[line 3: no finding matches "r/a: x"]`},
		{"wrong line", []Want{{4, "r/a: x"}}, []report.Finding{f(3, "r/a", "x")},
			`[line 4: no finding matches "r/a: x" line 3: unexpected finding "r/a: x"]`},
		{"wrong rule", []Want{{3, "r/b: x"}}, []report.Finding{f(3, "r/a", "x")},
			`[line 3: no finding matches "r/b: x" line 3: unexpected finding "r/a: x"]`},
		{"substring is not a prefix", []Want{{3, "r/a: held"}}, []report.Finding{f(3, "r/a", "x held")},
			`[line 3: no finding matches "r/a: held" line 3: unexpected finding "r/a: x held"]`},
		{"one want, two findings", []Want{{3, "r/a: x"}}, []report.Finding{f(3, "r/a", "x"), f(3, "r/a", "x y")},
			`[line 3: unexpected finding "r/a: x y"]`},
		// the short prefix must not take the only finding the long one matches
		{"nested prefixes", []Want{{3, "r/a: x"}, {3, "r/a: x y"}}, []report.Finding{f(3, "r/a", "x y"), f(3, "r/a", "x z")}, "[]"},
	} {
		if got := fmt.Sprint(Mismatches(c.wants, c.got)); got != c.bad {
			t.Errorf("%s: got %s\nwant %s", c.name, got, c.bad)
		}
	}
}
