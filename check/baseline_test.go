package check

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagcheck/tagcheck/report"
)

func TestBaselineSurvivesUnrelatedEdits(t *testing.T) {
	before := map[string][]string{"a.c": {
		"int f(void)",
		"{",
		"\tspin_lock(&l);",
		"\tif (x)",
		"\t\treturn -EIO;",
		"\tspin_unlock(&l);",
		"\treturn 0;",
		"}",
	}}
	old := []report.Finding{{Rule: report.Unreleased, File: "a.c", Line: 5, Column: 3, Function: "f", Message: "spin_lock(&l) at line 3 still held"}}
	b := NewBaseline(old, func(f string) report.Lines { return report.AllLines(before[f]) })

	// Two lines added above, the indentation changed; a new identical
	// exit in the same function, and a finding in another function.
	after := map[string][]string{"a.c": {
		"/* comment */",
		"",
		"int f(void)",
		"{",
		"\tspin_lock(&l);",
		"\tif (x)",
		"\t    return   -EIO;",
		"\tif (y)",
		"\t\treturn -EIO;",
		"\tspin_unlock(&l);",
		"\treturn 0;",
		"}",
		"int g(void) { spin_lock(&l); return -EIO; }",
	}}
	now := []report.Finding{
		{Rule: report.Unreleased, File: "a.c", Line: 7, Column: 6, Function: "f", Message: "spin_lock(&l) at line 5 still held"},
		{Rule: report.Unreleased, File: "a.c", Line: 9, Column: 3, Function: "f", Message: "spin_lock(&l) at line 5 still held"},
		{Rule: report.Unreleased, File: "a.c", Line: 13, Column: 30, Function: "g", Message: "spin_lock(&l) at line 13 still held"},
	}
	got := b.Filter(now, func(f string) report.Lines { return report.AllLines(after[f]) })
	if len(got) != 2 || got[0].Line != 9 || got[1].Function != "g" {
		t.Fatalf("new findings = %+v, want the second exit of f and g's", got)
	}
}

func TestBaselineFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "baseline.json")
	fs := []report.Finding{
		{Rule: report.UntaggedDeref, File: "b.c", Line: 3, Function: "g", Message: "raw 3"},
		{Rule: report.Unreleased, File: "a.c", Line: 9, Function: "f", Message: "held at 9", Code: "  return   -EIO; "},
		{Rule: report.Unreleased, File: "a.c", Line: 12, Function: "f", Message: "held at 12", Code: "return -EIO;"},
	}
	if err := WriteBaseline(p, fs, nil, nil); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(p)
	// Deterministic: the same findings in another order give the same bytes.
	p2 := filepath.Join(dir, "b2.json")
	if err := WriteBaseline(p2, []report.Finding{fs[2], fs[0], fs[1]}, nil, nil); err != nil {
		t.Fatal(err)
	}
	data2, _ := os.ReadFile(p2)
	if !bytes.Equal(data, data2) {
		t.Errorf("baseline depends on input order:\n%s\n%s", data, data2)
	}
	for _, want := range []string{`"tool": "tagcheck"`, `"code": "return -EIO;"`, `"occurrence": 1`, `"code": "message: raw #"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("baseline lacks %s:\n%s", want, data)
		}
	}
	if strings.Contains(string(data), `"line"`) {
		t.Errorf("baseline must not hold line numbers:\n%s", data)
	}
	b, err := ReadBaseline(p, 1<<20, "")
	if err != nil {
		t.Fatal(err)
	}
	if left := b.Filter(fs, nil); len(left) != 0 {
		t.Errorf("every recorded finding must be hidden, left %+v", left)
	}
	// Errors name the file.
	os.WriteFile(p, []byte(`{"findings": 3}`), 0o644)
	if _, err := ReadBaseline(p, 1<<20, ""); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("bad baseline error = %v", err)
	}
	if _, err := ReadBaseline(filepath.Join(dir, "missing.json"), 1<<20, ""); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("missing baseline error = %v", err)
	}
}

// FuzzBaselineRoundTrip: whatever bytes a file name, function or line of
// code holds (Latin-1, broken UTF-8, newlines), a baseline written with
// it reads back to the same entry, so the finding stays baselined.
func FuzzBaselineRoundTrip(f *testing.F) {
	f.Add("lockpair/unreleased", "drivers/foo/foo.c", "foo_set_mode", "return -EINVAL;", 0)
	f.Add("lockpair/unreleased", "caf\xe9/a\nb.c", "f\xff", "/* gr\xfc\xdf */ spin_lock(&x->lock);", 2)
	f.Add("taggedptr/racy-rmw", "\"<>&\\u2028", "", "message: # held", 1)
	f.Fuzz(func(t *testing.T, rule, file, function, code string, occ int) {
		in := &Baseline{Tool: "tagcheck", Version: BaselineVersion, Findings: []BaselineEntry{{Rule: rule, File: file, Function: function, Code: code, Occurrence: occ}}}
		data, err := in.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		out, err := parseBaseline("b.json", data)
		if err != nil {
			t.Fatalf("%v\n%s", err, data)
		}
		if len(out.Findings) != 1 || out.Findings[0] != in.Findings[0] {
			t.Fatalf("round trip changed the entry:\n in %+v\nout %+v", in.Findings, out.Findings)
		}
		again, _ := out.Marshal()
		if !bytes.Equal(again, data) {
			t.Fatalf("second write differs:\n%s\n%s", data, again)
		}
	})
}

// FuzzReadBaseline: any bytes as a baseline either read, and then write
// back to a baseline that reads the same, or give one line naming the
// file; never a panic.
func FuzzReadBaseline(f *testing.F) {
	f.Add([]byte(`{"tool": "tagcheck", "version": 1, "findings": [{"rule": "r", "file": "a.c", "function": "f", "code": "x;", "occurrence": 0}]}`))
	f.Add([]byte(`{"tool": "tagcheck", "version": 1, "findings": [{"rule": "r", "file": "?", "file_raw": "Y2Fm6Q==", "function": "f", "code": "x;", "occurrence": 0}]}`))
	f.Add([]byte(`{"tool": "tagcheck", "version": 1, "findings": "no"}`))
	f.Add([]byte(`{"tool": "tagcheck"} {}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := parseBaseline("b.json", data)
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "--baseline b.json") || strings.Contains(msg, "\n") || strings.Contains(msg, "check.") {
				t.Fatalf("error: %q", msg)
			}
			return
		}
		out, err := b.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		b2, err := parseBaseline("b.json", out)
		if err != nil {
			t.Fatalf("a baseline written from a read one does not read: %v\n%s", err, out)
		}
		if len(b2.Findings) != len(b.Findings) {
			t.Fatalf("entries lost")
		}
		for i := range b.Findings {
			if b.Findings[i] != b2.Findings[i] {
				t.Fatalf("entry %d changed: %+v -> %+v", i, b.Findings[i], b2.Findings[i])
			}
		}
	})
}
