package check

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tagcheck/tagcheck/internal/ctest"
	"github.com/tagcheck/tagcheck/patch"
	"github.com/tagcheck/tagcheck/report"
	"github.com/tagcheck/tagcheck/rules"
)

// realBugMisses are the corpus cases the engine does not find yet, each
// with the cause of the issue that hides it. A case listed here must
// still miss (so that finding it updates this list and bench/realbugs.md);
// every other case must be found exactly as its want comments say.
var realBugMisses = map[string]string{}

// TestRealBugs runs the corpus of reduced upstream lock-pairing fixes in
// testdata/c/realbugs (bench/realbugs.md lists their sources): each case
// is a small tree before the fix (bug/, with inline want comments) and
// after it (fixed/), and bug.patch is the change that brought the bug
// back. The bug must be found by `scan` of bug/ and by `check --tree
// fixed/ bug.patch`; the fixed tree must scan clean.
func TestRealBugs(t *testing.T) {
	cases, err := filepath.Glob("../testdata/c/realbugs/*/bug.patch")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, patch := range cases {
		dir := filepath.Dir(patch)
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			scanned := scanFindings(t, filepath.Join(dir, "bug"), rs)
			patched := patchFindings(t, patch, filepath.Join(dir, "fixed"), rs)
			bad := append(compareByFile(corpusWants(t, filepath.Join(dir, "bug"), ""), scanned, "scan"),
				compareByFile(corpusWants(t, filepath.Join(dir, "bug"), "check"), patched, "check --tree")...)
			if clean := scanFindings(t, filepath.Join(dir, "fixed"), rs); len(clean) > 0 {
				t.Errorf("fixed twin has findings:%s", dumpAll(clean))
			}
			why, known := realBugMisses[name]
			switch {
			case known && len(bad) == 0:
				t.Errorf("found now; remove it from realBugMisses (%s) and update bench/realbugs.md", why)
			case !known && len(bad) > 0:
				for _, b := range bad {
					t.Error(b)
				}
			case !known:
				found++
			}
		})
	}
	t.Logf("corpus recall: %d of %d found in both modes", found, len(cases))
}

// corpusWants reads the want comments of every file of a tree, keyed by
// the path inside it: those of every run, and those of mode
// ("want(check)": what only the check of the patch finds, with the
// releases it deletes as evidence).
func corpusWants(t *testing.T, root, mode string) map[string][]ctest.Want {
	t.Helper()
	out := map[string][]ctest.Want{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		ws, err := ctest.ParseWantsIn(path, src, mode)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		out[rel] = ws
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func scanFindings(t *testing.T, root string, rs *rules.Set) map[string][]report.Finding {
	t.Helper()
	res, err := Scan([]string{root}, Options{Rules: rs, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]report.Finding{}
	for _, f := range res.Findings {
		rel, _ := filepath.Rel(root, f.File)
		out[rel] = append(out[rel], f)
	}
	return out
}

func patchFindings(t *testing.T, patchFile, tree string, rs *rules.Set) map[string][]report.Finding {
	t.Helper()
	data, err := os.ReadFile(patchFile)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := patch.ParsePatches(patchFile, data)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Patches(ps, Options{Rules: rs, Tree: tree, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]report.Finding{}
	for _, f := range res.Findings {
		out[f.File] = append(out[f.File], f)
	}
	return out
}

// compareByFile matches findings with wants file by file; a file with
// findings and no wants fails too.
func compareByFile(wants map[string][]ctest.Want, got map[string][]report.Finding, mode string) []string {
	files := map[string]bool{}
	for f := range wants {
		files[f] = true
	}
	for f := range got {
		files[f] = true
	}
	var names []string
	for f := range files {
		names = append(names, f)
	}
	sort.Strings(names)
	var out []string
	for _, f := range names {
		for _, m := range ctest.Mismatches(wants[f], got[f]) {
			out = append(out, mode+": "+f+": "+m)
		}
	}
	return out
}

func dumpAll(got map[string][]report.Finding) string {
	var b strings.Builder
	for f, fs := range got {
		b.WriteString("\n" + f + ":" + ctest.Dump(fs))
	}
	return b.String()
}

// TestTagScope scans a directory where one file's static helper tags a
// generic field (list_head.next) for its own instances: its own raw
// reader is reported, the other file's readers of the same type are not.
// Likewise page.mapping, tagged by a setter of movable.c that zpool.c
// calls on its pages: zpool.c's raw reader is reported, cache.c's not.
func TestTagScope(t *testing.T) {
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	root := "../testdata/c/tagscope"
	for _, bad := range compareByFile(corpusWants(t, root, ""), scanFindings(t, root, rs), "scan") {
		t.Error(bad)
	}
}
