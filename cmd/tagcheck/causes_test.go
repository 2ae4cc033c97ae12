package main

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagcheck/tagcheck/internal/ctest"
	"github.com/tagcheck/tagcheck/report"
)

// TestE2ECauses runs `tagcheck check --tree fixed bug.patch` on the small
// trees of testdata/e2e/causes: in each, the function the patch breaks
// and the function whose contract decides the verdict (a wrapper, a
// callee between two releases, a helper that turns interrupts on) sit in
// different files, and only the first is touched. The findings must be
// exactly the want comments of bug/, and the fixed tree must scan clean.
func TestE2ECauses(t *testing.T) {
	dirs, err := filepath.Glob(e2eData(t, "causes/*/bug.patch"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, patch := range dirs {
		dir := filepath.Dir(patch)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			r := tc(t, dir, nil, "check", "--format", "json", "--tree", "fixed", "bug.patch")
			got := findingsByFile(t, r)
			for file, src := range treeSources(t, filepath.Join(dir, "bug")) {
				ctest.Check(t, file, src, got[file])
				delete(got, file)
			}
			for file, fs := range got {
				t.Errorf("findings in %s, which has no want comments:%s", file, ctest.Dump(fs))
			}
			if clean := tc(t, dir, nil, "scan", "fixed"); clean.code != 0 {
				t.Errorf("fixed tree is not clean:\n%s", clean)
			}
		})
	}
}

func findingsByFile(t *testing.T, r result) map[string][]report.Finding {
	t.Helper()
	if r.code > 1 {
		t.Fatalf("tagcheck failed:\n%s", r)
	}
	var doc struct {
		Findings []report.Finding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r)
	}
	out := map[string][]report.Finding{}
	for _, f := range doc.Findings {
		out[f.File] = append(out[f.File], f)
	}
	return out
}

// treeSources reads the C files of a tree, keyed by their path in it.
func treeSources(t *testing.T, root string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".c") && !strings.HasSuffix(path, ".h") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		out[filepath.ToSlash(rel)] = src
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestE2ELearnedAcrossTree: `tagcheck rules --learned` with the tree
// prints the contracts of the functions a patch calls that are defined
// in files it does not touch.
func TestE2ELearnedAcrossTree(t *testing.T) {
	dir := e2eData(t, "causes/wrapper_other_dir")
	r := tc(t, dir, nil, "rules", "--tree", "fixed", "--learned", "bug.patch")
	if r.code != 0 {
		t.Fatalf("rules --learned failed:\n%s", r)
	}
	for _, want := range []string{"name: get_foo_desc", "'&$ret->sem'", "when: nonzero", "learned: fixed/lib/desc.c:8", "name: put_foo_desc"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("rules --learned lacks %q:\n%s", want, r.stdout)
		}
	}
}
