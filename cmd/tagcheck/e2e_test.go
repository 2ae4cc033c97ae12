package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tagcheck/tagcheck/internal/sarifcheck"
)

// End-to-end tests: the real binary, built once, on small C of our own in
// testdata/e2e, in temporary git repositories, and under the real
// pre-commit framework.

var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

func TestMain(m *testing.M) {
	// Every run of the binary that does not name a cache of its own
	// keeps its cache here, not in the user's cache directory.
	cache, err := os.MkdirTemp("", "tagcheck-e2e-cache-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Setenv("TAGCHECK_CACHE", cache)
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.RemoveAll(cache)
	os.Exit(code)
}

// tagcheckBin builds the binary once per test run.
func tagcheckBin(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "tagcheck-e2e-bin-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "tagcheck")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

func e2eData(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", "testdata", "e2e", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

type result struct {
	stdout, stderr string
	code           int
}

// tc runs the binary in dir with extra environment.
func tc(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(tagcheckBin(t), args...)
	cmd.Dir = dir
	// a cache of the test's own, unless env names one: a run leaves
	// nothing in the user's cache directory
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "TAGCHECK_CACHE="+t.TempDir())
	cmd.Env = append(cmd.Env, env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	r := result{o.String(), e.String(), 0}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("tagcheck %v: %v", args, err)
	}
	return r
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.code, r.stdout, r.stderr)
}

func needGit(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed; skipping the git end-to-end tests")
	}
}

// git runs git in dir with a fixed identity and dates.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), gitEnv()...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func gitEnv() []string {
	return []string{
		"GIT_AUTHOR_NAME=Ann Dev", "GIT_AUTHOR_EMAIL=ann@example.org",
		"GIT_COMMITTER_NAME=Ann Dev", "GIT_COMMITTER_EMAIL=ann@example.org",
		"GIT_AUTHOR_DATE=2026-11-20T10:00:00Z", "GIT_COMMITTER_DATE=2026-11-20T10:00:00Z",
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
	}
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// kernelRepo makes a git repository with three commits of
// drivers/foo/foo.c: the driver (clean), foo_set_mode (an old bug: a
// mutex held on an error return) and an early-exit rework (a new bug:
// spin_lock_irqsave released with spin_unlock).
func kernelRepo(t *testing.T) string {
	t.Helper()
	needGit(t)
	dir := t.TempDir()
	git(t, dir, "init", "-q", "-b", "master")
	f := filepath.Join(dir, "drivers", "foo", "foo.c")
	steps := []struct{ src, msg string }{
		{e2eData(t, "tree/drivers/foo/foo.c"), "foo: add driver"},
		{e2eData(t, "git/foo-v2.c"), "foo: add foo_set_mode"},
		{e2eData(t, "git/foo-v3.c"), "foo: bail out early when not ready"},
	}
	for _, s := range steps {
		copyFile(t, s.src, f)
		git(t, dir, "add", "drivers")
		git(t, dir, "commit", "-q", "-m", s.msg)
	}
	return dir
}

func wantCode(t *testing.T, r result, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("want exit %d, have\n%s", code, r)
	}
}

func oneLineError(t *testing.T, r result, mentions ...string) {
	t.Helper()
	wantCode(t, r, 2)
	first, _, _ := strings.Cut(r.stderr, "\n")
	for _, m := range mentions {
		if !strings.Contains(first, m) {
			t.Errorf("first stderr line %q does not mention %q\n%s", first, m, r)
		}
	}
	if !strings.HasPrefix(first, "tagcheck: ") && !strings.HasPrefix(first, "flag provided") {
		t.Errorf("error line %q", first)
	}
}

func TestE2EExitCodes(t *testing.T) {
	wd := e2eData(t, ".")
	// 0: a clean patch, 1: a buggy one.
	r := tc(t, wd, nil, "check", "clean.patch")
	wantCode(t, r, 0)
	if r.stdout != "" {
		t.Errorf("clean patch printed %q", r.stdout)
	}
	r = tc(t, wd, nil, "check", "buggy.patch")
	wantCode(t, r, 1)
	if !strings.HasPrefix(r.stdout, "drivers/foo/foo.c:23:3: lockpair/mismatched-release: spin_unlock(&dev->lock) releases dev->lock but not the interrupt state saved in flags taken by spin_lock_irqsave(&dev->lock, flags)") {
		t.Errorf("buggy patch:\n%s", r)
	}
	// The same with the tree: whole functions.
	r = tc(t, wd, nil, "check", "--tree", "tree", "buggy.patch")
	wantCode(t, r, 1)

	// 2: bad input, each a line naming the place.
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "firmware.bin")
	os.WriteFile(bin, []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00"), 0o644)
	oneLineError(t, tc(t, wd, nil, "check", bin), "firmware.bin", "binary")
	oneLineError(t, tc(t, wd, nil, "check", filepath.Join(tmp, "missing.patch")), "missing.patch")
	oneLineError(t, tc(t, wd, nil, "check", "--nosuch", "buggy.patch"), "-nosuch")
	oneLineError(t, tc(t, wd, nil, "check", "--format", "xml", "buggy.patch"), "--format", "xml")
	oneLineError(t, tc(t, wd, nil, "scan", filepath.Join(tmp, "nodir")), "nodir")
	oneLineError(t, tc(t, wd, nil, "check", "--baseline", filepath.Join(tmp, "nobase.json"), "buggy.patch"), "nobase.json")
}

// TestE2EFormatsDeterministic runs every output format twice and under
// GOMAXPROCS=1, for patch, tree and scan input, and wants the same bytes.
func TestE2EFormatsDeterministic(t *testing.T) {
	wd := e2eData(t, ".")
	inputs := [][]string{
		{"check", "buggy.patch"},
		{"check", "--tree", "tree", "buggy.patch"},
		{"check", "badsuppress.patch"},
		{"scan", "git"},
	}
	for _, in := range inputs {
		for _, format := range []string{"text", "json", "sarif"} {
			args := append([]string{in[0], "--format", format}, in[1:]...)
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				a := tc(t, wd, nil, args...)
				b := tc(t, wd, nil, args...)
				c := tc(t, wd, []string{"GOMAXPROCS=1"}, args...)
				wantCode(t, a, 1)
				if a.stdout != b.stdout || a.stdout != c.stdout {
					t.Fatalf("output differs between runs:\n%s\n%s\n%s", a.stdout, b.stdout, c.stdout)
				}
				switch format {
				case "json":
					checkJSONContract(t, a.stdout)
				case "sarif":
					checkSARIFOut(t, a.stdout)
				case "text":
					if !strings.Contains(a.stdout, ": lockpair/") && !strings.Contains(a.stdout, ": tagcheck/suppression") {
						t.Errorf("text output:\n%s", a.stdout)
					}
				}
			})
		}
	}
}

func checkJSONContract(t *testing.T, out string) {
	t.Helper()
	var doc struct {
		Findings []map[string]any `json:"findings"`
		Stats    map[string]any   `json:"stats"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(doc.Findings) == 0 {
		t.Fatalf("no findings:\n%s", out)
	}
	for _, f := range doc.Findings {
		for _, k := range []string{"rule", "file", "line", "column", "function", "message"} {
			if _, ok := f[k]; !ok {
				t.Errorf("finding lacks %q: %v", k, f)
			}
		}
		if fx, ok := f["fix"].(map[string]any); ok {
			for _, k := range []string{"file", "line", "old", "new"} {
				if _, ok := fx[k]; !ok {
					t.Errorf("fix lacks %q: %v", k, fx)
				}
			}
		}
	}
	for _, k := range []string{"files", "lines", "functions", "functions_degraded", "unseen_gaps", "unjudged"} {
		if _, ok := doc.Stats[k]; !ok {
			t.Errorf("stats lack %q", k)
		}
	}
}

func checkSARIFOut(t *testing.T, out string) {
	t.Helper()
	var doc struct {
		Schema  string `json:"$schema"`
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID string `json:"id"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Message   struct {
					Text string `json:"text"`
				} `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	for _, err := range sarifcheck.Validate([]byte(out)) {
		t.Errorf("not valid under the SARIF 2.1.0 schema: %v", err)
	}
	if doc.Version != "2.1.0" || !strings.Contains(doc.Schema, "sarif-schema-2.1.0") || len(doc.Runs) != 1 || doc.Runs[0].Tool.Driver.Name != "tagcheck" {
		t.Fatalf("SARIF header wrong:\n%s", out)
	}
	run := doc.Runs[0]
	if len(run.Results) == 0 {
		t.Fatal("no results")
	}
	for _, r := range run.Results {
		if r.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("ruleIndex %d does not name %s", r.RuleIndex, r.RuleID)
		}
		if r.Message.Text == "" || len(r.Locations) != 1 || r.Locations[0].PhysicalLocation.Region.StartLine < 1 {
			t.Errorf("result incomplete: %+v", r)
		}
		if u := r.Locations[0].PhysicalLocation.ArtifactLocation.URI; filepath.IsAbs(u) || strings.Contains(u, "://") {
			t.Errorf("uri %q is not relative", u)
		}
	}
}

func TestE2ESuppression(t *testing.T) {
	wd := e2eData(t, ".")
	r := tc(t, wd, nil, "check", "suppressed.patch")
	wantCode(t, r, 0)
	r = tc(t, wd, nil, "check", "badsuppress.patch")
	wantCode(t, r, 1)
	if !strings.Contains(r.stdout, "drivers/foo/foo.c:23:3: tagcheck/suppression: tagcheck:ignore lockpair/mismatched-release gives no reason") ||
		!strings.Contains(r.stdout, "drivers/foo/foo.c:24:3: lockpair/mismatched-release") {
		t.Errorf("a suppression without a reason must be reported and silence nothing:\n%s", r)
	}
}

func TestE2EGit(t *testing.T) {
	repo := kernelRepo(t)
	// The last commit: only its new bug (the old one is not on its lines).
	r := tc(t, repo, nil, "check", "--git", "HEAD")
	wantCode(t, r, 1)
	if !strings.HasPrefix(r.stdout, "drivers/foo/foo.c:28:3: lockpair/mismatched-release: spin_unlock(&dev->lock)") || strings.Contains(r.stdout, "unreleased") {
		t.Errorf("--git HEAD:\n%s", r)
	}
	r = tc(t, repo, nil, "check", "--git", "HEAD~1")
	wantCode(t, r, 1)
	if !strings.Contains(r.stdout, "lockpair/unreleased") || strings.Contains(r.stdout, "mismatched") {
		t.Errorf("--git HEAD~1:\n%s", r)
	}
	r = tc(t, repo, nil, "check", "--git", "HEAD~2")
	wantCode(t, r, 0)
	// A range: each commit against its own parent, oldest first.
	r = tc(t, repo, nil, "check", "--git", "HEAD~3..HEAD")
	if r.code == 2 {
		// HEAD~3 does not exist: a clear error.
		oneLineError(t, r, "--git HEAD~3..HEAD", "HEAD~3")
	}
	r = tc(t, repo, nil, "check", "--git", "HEAD~2..HEAD")
	wantCode(t, r, 1)
	iu, im := strings.Index(r.stdout, "lockpair/unreleased"), strings.Index(r.stdout, "lockpair/mismatched-release")
	if iu < 0 || im < 0 || iu > im {
		t.Errorf("range must report both commits, oldest first:\n%s", r)
	}
	if !strings.Contains(r.stderr, `"foo: add foo_set_mode": 1 finding`) || !strings.Contains(r.stderr, `"foo: bail out early when not ready": 1 finding`) {
		t.Errorf("range must say what each commit gave:\n%s", r)
	}
	// Byte-identical across runs, formats included.
	for _, f := range []string{"text", "json", "sarif"} {
		a := tc(t, repo, nil, "check", "--format", f, "--git", "HEAD~2..HEAD")
		b := tc(t, repo, []string{"GOMAXPROCS=1"}, "check", "--format", f, "--git", "HEAD~2..HEAD")
		if a.stdout != b.stdout || a.code != 1 {
			t.Errorf("--format %s: runs differ or exit %d", f, a.code)
		}
	}

	// A baseline written before the bad commit hides only the old finding.
	base := filepath.Join(t.TempDir(), "baseline.json")
	r = tc(t, repo, nil, "check", "--git", "HEAD~1", "--write-baseline", base)
	wantCode(t, r, 0)
	r = tc(t, repo, nil, "check", "--git", "HEAD~2..HEAD", "--baseline", base)
	wantCode(t, r, 1)
	if strings.Contains(r.stdout, "unreleased") || !strings.Contains(r.stdout, "mismatched-release") {
		t.Errorf("baseline must hide the old finding only:\n%s", r)
	}
	// The same for scans, across the line shift the bad commit makes.
	git(t, repo, "checkout", "-q", "HEAD~1")
	sbase := filepath.Join(t.TempDir(), "scan-baseline.json")
	wantCode(t, tc(t, repo, nil, "scan", "--write-baseline", sbase, "drivers"), 0)
	data1, _ := os.ReadFile(sbase)
	wantCode(t, tc(t, repo, nil, "scan", "--write-baseline", sbase, "drivers"), 0)
	if data2, _ := os.ReadFile(sbase); !bytes.Equal(data1, data2) {
		t.Error("baseline files differ between runs")
	}
	wantCode(t, tc(t, repo, nil, "scan", "--baseline", sbase, "drivers"), 0)
	git(t, repo, "checkout", "-q", "master")
	r = tc(t, repo, nil, "scan", "--baseline", sbase, "drivers")
	wantCode(t, r, 1)
	if strings.Count(r.stdout, ": lockpair/") != 1 || !strings.Contains(r.stdout, "drivers/foo/foo.c:28:3: lockpair/mismatched-release") {
		t.Errorf("scan with baseline:\n%s", r)
	}

	// --staged: the index against HEAD, the tree is HEAD.
	f := filepath.Join(repo, "drivers", "foo", "foo.c")
	copyFile(t, e2eData(t, "git/foo-v2.c"), f)
	git(t, repo, "add", "drivers")
	r = tc(t, repo, nil, "check", "--staged")
	wantCode(t, r, 0) // undoing the bad commit is clean
	copyFile(t, e2eData(t, "git/foo-v3.c"), f)
	os.WriteFile(f, bytes.Replace(must(os.ReadFile(f)), []byte("\tif (mode < 0)\n"), []byte("\tif (mode < 0 || mode > 3)\n"), 1), 0o644)
	git(t, repo, "add", "drivers")
	r = tc(t, repo, nil, "check", "--staged")
	wantCode(t, r, 1)
	if !strings.Contains(r.stdout, "lockpair/unreleased") {
		t.Errorf("--staged:\n%s", r)
	}

	// Errors: one line each, exit 2.
	oneLineError(t, tc(t, repo, nil, "check", "--git", "nosuch"), "--git nosuch", "unknown revision")
	oneLineError(t, tc(t, repo, nil, "check", "--git", "HEAD", "x.patch"), "--git HEAD", "x.patch")
	oneLineError(t, tc(t, repo, nil, "check", "--git", "HEAD", "--staged"), "--staged")
	oneLineError(t, tc(t, t.TempDir(), nil, "check", "--git", "HEAD"), "not inside a git repository")
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestE2EHookInstall(t *testing.T) {
	repo := kernelRepo(t)
	r := tc(t, repo, nil, "hook", "install")
	wantCode(t, r, 0)
	hook := filepath.Join(repo, ".git", "hooks", "pre-commit")
	if st, err := os.Stat(hook); err != nil || st.Mode()&0o111 == 0 {
		t.Fatalf("hook not installed executable: %v", err)
	}
	oneLineError(t, tc(t, repo, nil, "hook", "install"), "already exists", "--force")
	wantCode(t, tc(t, repo, nil, "hook", "install", "--force"), 0)

	// A commit of a lock-pairing bug is refused; a clean one goes in.
	f := filepath.Join(repo, "drivers", "foo", "foo.c")
	copyFile(t, e2eData(t, "tree/drivers/foo/foo.c"), f)
	os.WriteFile(f, bytes.Replace(must(os.ReadFile(f)), []byte("\t\tspin_unlock_irqrestore(&dev->lock, flags);\n\t\treturn -EIO;"), []byte("\t\tspin_unlock(&dev->lock);\n\t\treturn -EIO;"), 1), 0o644)
	git(t, repo, "add", "drivers")
	cmd := exec.Command("git", "commit", "-q", "-m", "bad")
	cmd.Dir = repo
	cmd.Env = append(os.Environ(), gitEnv()...)
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "lockpair/mismatched-release") {
		t.Fatalf("hook must refuse the commit with the finding: err=%v\n%s", err, out)
	}
	copyFile(t, e2eData(t, "tree/drivers/foo/foo.c"), f)
	git(t, repo, "add", "drivers")
	git(t, repo, "commit", "-q", "-m", "back to v1")
}

// TestE2EPreCommit drives the real pre-commit framework with this
// repository (its current working tree, committed into a scratch copy)
// as the hook repository.
func TestE2EPreCommit(t *testing.T) {
	needGit(t)
	if _, err := exec.LookPath("pre-commit"); err != nil {
		t.Skip("pre-commit is not installed (Debian package pre-commit); skipping the pre-commit framework test")
	}
	if testing.Short() {
		t.Skip("-short: the pre-commit test builds the module in a fresh GOPATH")
	}
	tagcheckBin(t) // fail early if it does not build
	clone := filepath.Join(t.TempDir(), "tagcheck")
	git(t, "", "clone", "-q", snapshotRepo(t), clone)
	rev := strings.TrimSpace(git(t, clone, "rev-parse", "HEAD"))

	// The configuration of docs/usage.md, as written, with the clone's
	// path and commit.
	config := docBlock(t, "pre-commit-clone")
	config = strings.Replace(config, "/home/ann/src/tagcheck", clone, 1)
	config = strings.Replace(config, "0123456789abcdef0123456789abcdef01234567", rev, 1)
	work := t.TempDir()
	git(t, work, "init", "-q", "-b", "master")
	os.WriteFile(filepath.Join(work, ".pre-commit-config.yaml"), []byte(config), 0o644)
	preCommitRefuses(t, work, nil)
}

// TestE2EPreCommitLocal: tagcheck installed from a clone with go install
// (the README's install), then the local hooks of docs/usage.md, as
// written, under the real pre-commit framework.
func TestE2EPreCommitLocal(t *testing.T) {
	needGit(t)
	if _, err := exec.LookPath("pre-commit"); err != nil {
		t.Skip("pre-commit is not installed (Debian package pre-commit); skipping the pre-commit framework test")
	}
	if testing.Short() {
		t.Skip("-short: the test installs tagcheck with go install")
	}
	clone := filepath.Join(t.TempDir(), "tagcheck")
	git(t, "", "clone", "-q", snapshotRepo(t), clone)
	rev := strings.TrimSpace(git(t, clone, "rev-parse", "HEAD"))
	gobin := t.TempDir()
	install := exec.Command("go", "install", "./cmd/tagcheck")
	install.Dir = clone
	install.Env = append(os.Environ(), "GOBIN="+gobin, "GOFLAGS=-buildvcs=true", "GOPROXY=off")
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("go install ./cmd/tagcheck in a clone: %v\n%s", err, out)
	}
	// The installed binary names the commit it was built from.
	v, err := exec.Command(filepath.Join(gobin, "tagcheck"), "version").Output()
	if err != nil || strings.Count(string(v), "\n") != 1 || !strings.Contains(string(v), rev[:12]) {
		t.Errorf("tagcheck version of the installed binary: %q (%v), want one line naming %s", v, err, rev[:12])
	}

	work := t.TempDir()
	git(t, work, "init", "-q", "-b", "master")
	os.WriteFile(filepath.Join(work, ".pre-commit-config.yaml"), []byte(docBlock(t, "pre-commit-local")), 0o644)
	preCommitRefuses(t, work, []string{"PATH=" + gobin + string(os.PathListSeparator) + os.Getenv("PATH")})
}

// preCommitRefuses installs pre-commit in work (a git repository with
// .pre-commit-config.yaml) and commits a C and a Go lock-pairing bug,
// which must be refused, and their fixes, which must pass.
func preCommitRefuses(t *testing.T, work string, extraEnv []string) {
	t.Helper()
	os.WriteFile(filepath.Join(work, "go.mod"), []byte("module example.com/work\n\ngo 1.22\n"), 0o644)
	f := filepath.Join(work, "drivers", "foo", "foo.c")
	copyFile(t, e2eData(t, "tree/drivers/foo/foo.c"), f)
	git(t, work, "add", ".")
	git(t, work, "commit", "-q", "-m", "base")

	gomodcache := strings.TrimSpace(string(must(exec.Command("go", "env", "GOMODCACHE").Output())))
	gocache := strings.TrimSpace(string(must(exec.Command("go", "env", "GOCACHE").Output())))
	env := append(gitEnv(),
		"PRE_COMMIT_HOME="+filepath.Join(t.TempDir(), "pre-commit-home"),
		"GOMODCACHE="+gomodcache, "GOCACHE="+gocache, "GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local",
		"NO_COLOR=1")
	env = append(env, extraEnv...)
	preCommit := func(args ...string) (string, error) {
		cmd := exec.Command("pre-commit", args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	commit := func(msg string) (string, error) {
		cmd := exec.Command("git", "commit", "-q", "-m", msg)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := preCommit("install"); err != nil {
		t.Fatalf("pre-commit install: %v\n%s", err, out)
	}
	start := time.Now()
	if out, err := preCommit("install-hooks"); err != nil {
		t.Fatalf("pre-commit install-hooks (go install ./... of the hook repository): %v\n%s", err, out)
	}
	t.Logf("hook environment built in %v", time.Since(start).Round(time.Second))

	// A staged lock-pairing bug is refused with the finding.
	src := must(os.ReadFile(f))
	bad := bytes.Replace(src, []byte("\t\tspin_unlock_irqrestore(&dev->lock, flags);\n\t\treturn -EIO;"), []byte("\t\tspin_unlock(&dev->lock);\n\t\treturn -EIO;"), 1)
	os.WriteFile(f, bad, 0o644)
	git(t, work, "add", "drivers")
	out, err := commit("foo: release early")
	if err == nil || !strings.Contains(out, "drivers/foo/foo.c:23:3: lockpair/mismatched-release") {
		t.Fatalf("pre-commit must refuse the bad commit with the finding: err=%v\n%s", err, out)
	}
	t.Logf("refused C commit:\n%s", out)
	// A clean change passes.
	clean := bytes.Replace(src, []byte("\tdev->count++;\n"), []byte("\tdev->count += 1;\n"), 1)
	os.WriteFile(f, clean, 0o644)
	git(t, work, "add", "drivers")
	if out, err := commit("foo: count differently"); err != nil {
		t.Fatalf("clean commit refused: %v\n%s", err, out)
	}

	// Go: the packages of the staged .go files.
	g := filepath.Join(work, "store", "store.go")
	os.MkdirAll(filepath.Dir(g), 0o755)
	os.WriteFile(g, []byte(goLockBug), 0o644)
	git(t, work, "add", "store")
	out, err = commit("store: add Get")
	if err == nil || !strings.Contains(out, "does not pair with s.mu.RLock()") {
		t.Fatalf("tagcheck-go must refuse the bad Go commit: err=%v\n%s", err, out)
	}
	t.Logf("refused Go commit:\n%s", out)
	os.WriteFile(g, []byte(strings.Replace(goLockBug, "\t\ts.mu.Unlock()\n", "\t\ts.mu.RUnlock()\n", 1)), 0o644)
	git(t, work, "add", "store")
	if out, err := commit("store: add Get"); err != nil {
		t.Fatalf("clean Go commit refused: %v\n%s", err, out)
	}
}

const goLockBug = `package store

import "sync"

type S struct {
	mu sync.RWMutex
	n  int
}

func (s *S) Get(bad bool) int {
	s.mu.RLock()
	if bad {
		s.mu.Unlock()
		return 0
	}
	n := s.n
	s.mu.RUnlock()
	return n
}
`

// docBlock returns the indented block that follows the comment
// <!-- NAME: ... --> in docs/usage.md, without its indentation.
func docBlock(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "usage.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(data), "<!-- "+name+":")
	if !ok {
		t.Fatalf("docs/usage.md has no block %q", name)
	}
	var b strings.Builder
	for i, l := range strings.Split(after, "\n")[1:] {
		if !strings.HasPrefix(l, "    ") && (l != "" || i == 0) {
			break
		}
		b.WriteString(strings.TrimPrefix(l, "    ") + "\n")
	}
	return strings.TrimSpace(b.String()) + "\n"
}

// snapshotRepo copies this module's working tree (tracked and untracked,
// not ignored) into a new git repository with one commit.
func snapshotRepo(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	cmd.Dir = root
	list, err := cmd.Output()
	if err != nil {
		t.Skipf("the module is not a git work tree (%v); skipping", err)
	}
	dst := t.TempDir()
	for _, p := range strings.Split(string(list), "\x00") {
		if p == "" {
			continue
		}
		src := filepath.Join(root, p)
		st, err := os.Lstat(src)
		if err != nil || !st.Mode().IsRegular() {
			continue // deleted in the work tree, or not a file
		}
		copyFile(t, src, filepath.Join(dst, p))
	}
	git(t, dst, "init", "-q", "-b", "master")
	git(t, dst, "add", ".")
	git(t, dst, "commit", "-q", "-m", "snapshot")
	return dst
}

func TestE2EGoMode(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n\ngo 1.22\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "m.go"), []byte(strings.Replace(goLockBug, "package store", "package m", 1)), 0o644)
	env := []string{"GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local"}
	r := tc(t, dir, env, "go", "./...")
	wantCode(t, r, 3)
	if !strings.Contains(r.stderr, "m.go:13:3: lockpair/mismatched-release") {
		t.Errorf("tagcheck go:\n%s", r)
	}
	// Silenced with a reason: clean.
	os.WriteFile(filepath.Join(dir, "m.go"), []byte(strings.Replace(strings.Replace(goLockBug, "package store", "package m", 1),
		"\t\ts.mu.Unlock()\n", "\t\t//tagcheck:ignore lockpair/mismatched-release test of a suppression\n\t\ts.mu.Unlock()\n", 1)), 0o644)
	wantCode(t, tc(t, dir, env, "go", "./..."), 0)
}

func TestProgress(t *testing.T) {
	var b bytes.Buffer
	newProgress(&b, false).Update(1, 2)
	if b.Len() != 0 {
		t.Fatal("a disabled progress line must print nothing")
	}
	p := newProgress(&b, true)
	now := time.Unix(0, 0)
	p.now = func() time.Time { return now }
	p.Update(0, 400)
	now = now.Add(time.Second)
	p.Update(200, 400)
	now = now.Add(10 * time.Millisecond)
	p.Update(201, 400) // within the interval: not drawn
	now = now.Add(time.Second)
	p.Update(400, 400)
	p.Done()
	got := b.String()
	for _, want := range []string{"\rtagcheck: 0/400 files (0%)", "\rtagcheck: 200/400 files (50%), 200 files/s", "\rtagcheck: 400/400 files (100%), 199 files/s"} {
		if !strings.Contains(got, want) {
			t.Errorf("progress output %q lacks %q", got, want)
		}
	}
	if strings.Contains(got, "201/400") {
		t.Errorf("redrawn within the interval: %q", got)
	}
	if !strings.HasSuffix(got, "\r") {
		t.Errorf("Done must clear the line: %q", got)
	}
}

func TestStagedGoPackages(t *testing.T) {
	needGit(t)
	dir := t.TempDir()
	git(t, dir, "init", "-q")
	for _, f := range []string{"a/a.go", "a/a_test.go", "b/c/c.go", "testdata/x/x.go", "_tools/t.go", "top.go", "README.md"} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755)
		os.WriteFile(filepath.Join(dir, f), []byte("package x\n"), 0o644)
	}
	git(t, dir, "add", ".")
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	if err := os.Chdir(filepath.Join(dir, "b")); err != nil {
		t.Fatal(err)
	}
	g, err := openGit("test")
	if err != nil {
		t.Fatal(err)
	}
	pkgs, err := g.stagedGoPackages()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(pkgs, " "), ".. ../a ./c"; got != want && runtime.GOOS != "windows" {
		t.Errorf("packages = %q, want %q", got, want)
	}
}

// TestE2EProfiles: --cpuprofile and --memprofile write profiles pprof
// reads (gzipped protocol buffers), and the findings are those of a run
// without them.
func TestE2EProfiles(t *testing.T) {
	wd := e2eData(t, ".")
	plain := tc(t, wd, nil, "scan", "--no-cache", "tree")
	tmp := t.TempDir()
	cpu, mem := filepath.Join(tmp, "cpu.prof"), filepath.Join(tmp, "mem.prof")
	r := tc(t, wd, nil, "scan", "--no-cache", "--cpuprofile", cpu, "--memprofile", mem, "tree")
	if r.stdout != plain.stdout || r.code != plain.code {
		t.Errorf("with profiles:\n%s\nwithout:\n%s", r, plain)
	}
	for _, p := range []string{cpu, mem} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
			t.Errorf("%s is not a gzipped profile: % x", filepath.Base(p), b[:min(len(b), 8)])
		}
	}
}
