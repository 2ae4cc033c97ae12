package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// objectsRepo makes a repository of drv.c (testdata/e2e/objects): the
// base commit, then on master the commit that returns early with the
// mutex held (a lock seven lines above the hunk, the unlock five below:
// outside the three lines of context either way), and on branch "good"
// its twin that unlocks first. It returns the repository and the two
// commits' patches as git format-patch writes them.
func objectsRepo(t *testing.T) (repo, bad, good string) {
	t.Helper()
	needGit(t)
	repo = t.TempDir()
	git(t, repo, "init", "-q", "-b", "master")
	f := filepath.Join(repo, "drv.c")
	commit := func(src, msg string) {
		copyFile(t, e2eData(t, "objects/"+src), f)
		git(t, repo, "add", "drv.c")
		git(t, repo, "commit", "-q", "-m", msg)
	}
	commit("drv-v1.c", "drv: add driver")
	git(t, repo, "branch", "good")
	commit("drv-v2-bad.c", "drv: refuse large modes")
	git(t, repo, "checkout", "-q", "good")
	commit("drv-v2-good.c", "drv: refuse large modes")
	git(t, repo, "checkout", "-q", "master")
	out := t.TempDir()
	bad = filepath.Join(out, "bad.patch")
	good = filepath.Join(out, "good.patch")
	os.WriteFile(bad, []byte(git(t, repo, "format-patch", "-1", "--stdout", "master")), 0o644)
	os.WriteFile(good, []byte(git(t, repo, "format-patch", "-1", "--stdout", "good")), 0o644)
	return repo, bad, good
}

func TestE2EPreImageFromObjects(t *testing.T) {
	repo, bad, good := objectsRepo(t)

	// In the repository: the function is judged whole.
	r := tc(t, repo, nil, "check", bad)
	wantCode(t, r, 1)
	if !strings.HasPrefix(r.stdout, "drv.c:15:3: lockpair/unreleased: d->lock acquired by mutex_lock(&d->lock) at line 10") {
		t.Errorf("the early return must be reported:\n%s", r)
	}
	if !strings.Contains(r.stderr, "against the pre-image of 1 file read from the git objects of") || strings.Contains(r.stderr, "shows only part") {
		t.Errorf("the note must say where the pre-image came from:\n%s", r)
	}
	// The twin that unlocks before returning is clean.
	r = tc(t, repo, nil, "check", good)
	wantCode(t, r, 0)
	if r.stdout != "" {
		t.Errorf("the correct twin:\n%s", r)
	}
	// --patch-only, and outside any repository: the patch alone, which
	// shows only part of drv_reset.
	for _, run := range []result{tc(t, repo, nil, "check", "--patch-only", bad), tc(t, t.TempDir(), nil, "check", bad)} {
		wantCode(t, run, 0)
		if !strings.Contains(run.stderr, "drv_reset: the patch shows only part of this function") || strings.Contains(run.stderr, "git objects") {
			t.Errorf("patch alone:\n%s", run)
		}
	}
	// The same answer byte for byte, in every format.
	for _, f := range []string{"text", "json", "sarif"} {
		a := tc(t, repo, nil, "check", "--format", f, bad)
		b := tc(t, repo, []string{"GOMAXPROCS=1"}, "check", "--format", f, bad)
		if a.stdout != b.stdout || a.code != 1 {
			t.Errorf("--format %s: runs differ or exit %d", f, a.code)
		}
	}
}

func TestE2EPreImageMissingOrWrong(t *testing.T) {
	repo, bad, _ := objectsRepo(t)
	// A series of the bad commit and one after it, read in a repository
	// that has only the base: the first patch is judged whole, the
	// second (whose pre-image is the bad commit's drv.c) from the patch.
	copyFile(t, e2eData(t, "objects/drv-v2-bad.c"), filepath.Join(repo, "drv.c"))
	data := must(os.ReadFile(filepath.Join(repo, "drv.c")))
	os.WriteFile(filepath.Join(repo, "drv.c"), []byte(strings.Replace(string(data), "\td->state &= 7;\n", "\td->state &= 15;\n", 1)), 0o644)
	git(t, repo, "commit", "-q", "-am", "drv: widen the state")
	series := filepath.Join(t.TempDir(), "series.mbox")
	os.WriteFile(series, []byte(git(t, repo, "format-patch", "--stdout", "HEAD~2..HEAD")), 0o644)
	base := t.TempDir()
	git(t, base, "init", "-q", "-b", "master")
	copyFile(t, e2eData(t, "objects/drv-v1.c"), filepath.Join(base, "drv.c"))
	git(t, base, "add", "drv.c")
	git(t, base, "commit", "-q", "-m", "drv: add driver")
	r := tc(t, base, nil, "check", series)
	wantCode(t, r, 1)
	if strings.Count(r.stdout, "lockpair/unreleased") != 1 || !strings.Contains(r.stderr, "checked whole, against the pre-image of 1 file") ||
		!strings.Contains(r.stderr, "of its index line is not in the repository: checked from the patch alone") {
		t.Errorf("series in a repository of the base only:\n%s", r)
	}

	// An index line whose abbreviated name stands, in this repository,
	// for another blob: the hunks do not apply to it, and the patch is
	// checked alone.
	os.WriteFile(filepath.Join(repo, "README"), []byte("drv\n"), 0o644)
	git(t, repo, "add", "README")
	git(t, repo, "commit", "-q", "-m", "readme")
	other := strings.TrimSpace(git(t, repo, "rev-parse", "--short=12", "HEAD:README"))
	text := string(must(os.ReadFile(bad)))
	i := strings.Index(text, "\nindex ") + len("\nindex ")
	j := i + strings.Index(text[i:], "..")
	wrong := filepath.Join(t.TempDir(), "wrong.patch")
	os.WriteFile(wrong, []byte(text[:i]+other+text[j:]), 0o644)
	r = tc(t, repo, nil, "check", wrong)
	wantCode(t, r, 0)
	if !strings.Contains(r.stderr, "drv.c: the hunks do not apply to blob "+other) || !strings.Contains(r.stderr, "shows only part") {
		t.Errorf("a blob the hunks do not apply to:\n%s", r)
	}
}

// TestReadObject reads answers of git cat-file --batch as they come: a
// blob, a blob over the size bound, another kind of object, and names
// git did not resolve, with blanks in them; a header that is none of
// these is an error.
func TestReadObject(t *testing.T) {
	out := "1111111111111111111111111111111111111111 blob 3\nabc\n" +
		"2222222222222222222222222222222222222222 blob 5\nlarge\n" +
		"3333333333333333333333333333333333333333 tree 2\nxx\n" +
		"HEAD:my file.c missing\n" +
		"abcdef0 ambiguous\n"
	r := bufio.NewReader(strings.NewReader(out))
	for i, want := range []string{"abc", "", "", "", ""} {
		got, err := readObject(r, 4)
		if err != nil || string(got) != want || (want == "") != (got == nil) {
			t.Fatalf("answer %d: %q, %v; want %q", i, got, err, want)
		}
	}
	for _, bad := range []string{"x blob\n", "x blob -1\n", "x blob 9\nabc"} {
		if _, err := readObject(bufio.NewReader(strings.NewReader(bad)), 100); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
