package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tagcheck/tagcheck/internal/ctest"
	"github.com/tagcheck/tagcheck/report"
)

// TestE2EPatchModeContext checks patches as mail brings them: each case
// of testdata/e2e/patchmode is a commit (NAME.before to NAME.c) turned
// into a patch by plain `git format-patch` (3 lines of context, so the
// function is seen only in part) and read by `tagcheck check -` without a
// tree. The same patch with its @@ lines stripped of the function name
// (as diff -u and many mailers write them) must give the same findings.
// The findings are those NAME.c's want comments name, "want" and
// "want(patch)"; a want comment on a line the commit does not change must
// be in NAME.before too, or the line would count as changed.
//
// Each patch is also checked in its repository, which holds its
// pre-image: the function is then judged whole, and the findings are
// those of "want" and "want(whole)" (a lock left held is reported at the
// exit instead of where the patch stops showing the path; a lock whose
// address is stored is no handover the whole function can see).
func TestE2EPatchModeContext(t *testing.T) {
	needGit(t)
	ctest.RunIn(t, e2eData(t, "patchmode"), "patch", func(t *testing.T, path string, after []byte) []report.Finding {
		before, err := os.ReadFile(strings.TrimSuffix(path, ".c") + ".before")
		if err != nil {
			t.Fatal(err)
		}
		repo, patch := formatPatch(t, filepath.Base(path), before, after)
		wants, err := ctest.ParseWantsIn(path, after, "whole")
		if err != nil {
			t.Fatal(err)
		}
		whole := checkIn(t, repo, patch)
		if ms := ctest.Mismatches(wants, whole.Findings); len(ms) > 0 || !slices.ContainsFunc(whole.Notes, func(n string) bool { return strings.Contains(n, "checked whole") }) {
			t.Errorf("in its repository (pre-image from the git objects): %s%s", strings.Join(ms, "; "), ctest.Dump(whole.Findings))
		}
		named := checkStdin(t, patch)
		bare := checkStdin(t, bareHunks(patch))
		if len(bare.Findings) != len(named.Findings) {
			t.Errorf("with bare @@ lines: %d findings, with function names: %d%s", len(bare.Findings), len(named.Findings), ctest.Dump(bare.Findings))
		}
		for i := range min(len(bare.Findings), len(named.Findings)) {
			b, n := bare.Findings[i], named.Findings[i]
			if b.Rule != n.Rule || b.Line != n.Line {
				t.Errorf("with bare @@ lines: %s at line %d, with function names: %s at line %d", b.Rule, b.Line, n.Rule, n.Line)
			}
		}
		for _, out := range []checkOutput{named, bare} {
			checkUnjudged(t, out, unjudged[strings.TrimSuffix(filepath.Base(path), ".c")])
		}
		return named.Findings
	})
}

// unjudged is, per case, where the locks the change touches but no path
// in view can judge are taken: each must be named in stats.unjudged and
// in a "not checked" note.
var unjudged = map[string][]int{
	"mutex_err_ok":      {18}, // released on the new path; the old one goes out of view
	"mutex_context_ok":  {18},
	"rcu_null_ok":       {19},
	"task_lock_null_ok": {13},
	"handover_ok":       {20},
	"lock_moved_ok":     {20}, // the acquire the patch moves below the check
	"jump_away_unseen":  {23}, // no longer jumps to out, out of view
	"break_away_unseen": {24}, // no longer breaks out of the switch
}

func checkUnjudged(t *testing.T, out checkOutput, want []int) {
	t.Helper()
	var got []int
	for _, u := range out.Stats.Unjudged {
		got = append(got, u.Line)
		note := fmt.Sprintf("not checked: %s:%d: ", u.File, u.Line)
		if !slices.ContainsFunc(out.Notes, func(n string) bool { return strings.HasPrefix(n, note) }) {
			t.Errorf("stats.unjudged has %s:%d (%s) but no note says %q", u.File, u.Line, u.Why, note)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("stats.unjudged at lines %v, want %v: %+v", got, want, out.Stats.Unjudged)
	}
}

// formatPatch commits before and then after as drivers/pm/NAME in a new
// repository and returns it and `git format-patch --stdout` of the second
// commit.
func formatPatch(t *testing.T, name string, before, after []byte) (string, []byte) {
	t.Helper()
	dir := t.TempDir()
	git(t, dir, "init", "-q")
	file := filepath.Join(dir, "drivers", "pm", name)
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	for i, src := range [][]byte{before, after} {
		if err := os.WriteFile(file, src, 0o644); err != nil {
			t.Fatal(err)
		}
		git(t, dir, "add", ".")
		git(t, dir, "commit", "-q", "-m", []string{"pm: add " + name, "pm: change " + name}[i])
	}
	return dir, []byte(git(t, dir, "format-patch", "--stdout", "HEAD~1..HEAD"))
}

var hunkSection = regexp.MustCompile(`(?m)^(@@ -[0-9,]+ \+[0-9,]+ @@).*$`)

// bareHunks drops the section text after each @@ line's ranges.
func bareHunks(patch []byte) []byte {
	return hunkSection.ReplaceAll(patch, []byte("$1"))
}

// checkOutput is the part of the JSON contract these tests read.
type checkOutput struct {
	Findings []report.Finding `json:"findings"`
	Stats    report.Stats     `json:"stats"`
	Notes    []string         `json:"notes"`
}

// checkIn runs `tagcheck check --format json -` on patch in dir: the
// pre-images come from the git objects of its repository.
func checkIn(t *testing.T, dir string, patch []byte) checkOutput {
	t.Helper()
	return runCheckJSON(t, dir, patch)
}

// checkStdin runs `tagcheck check --patch-only --format json -` on
// patch: these tests read the patch alone, and the tagcheck repository
// they run in holds their pre-images (testdata/e2e/patchmode/*.before).
func checkStdin(t *testing.T, patch []byte) checkOutput {
	t.Helper()
	return runCheckJSON(t, "", patch, "--patch-only")
}

// runCheckJSON runs `tagcheck check [flags] --format json -` on patch in
// dir ("": here) and reads its output.
func runCheckJSON(t *testing.T, dir string, patch []byte, flags ...string) checkOutput {
	t.Helper()
	cmd := exec.Command(tagcheckBin(t), append(append([]string{"check"}, flags...), "--format", "json", "-")...)
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(patch)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
			t.Fatalf("tagcheck check -: %v\n%s\npatch:\n%s", err, e.String(), patch)
		}
	}
	var out checkOutput
	if err := json.Unmarshal(o.Bytes(), &out); err != nil {
		t.Fatalf("tagcheck check -: output is not JSON: %v\n%s", err, o.String())
	}
	return out
}
