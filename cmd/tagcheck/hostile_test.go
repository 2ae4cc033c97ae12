package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Hostile inputs through the binary: each test makes its small input
// itself, and bounds the time and the peak memory of the run it makes
// (the bounds of issue 14), besides the exit code and the message.

// bound is what one run may cost: CPU time and peak resident memory of
// the child. CPU time (user and system) is what the input costs; wall
// time also counts the waits of a loaded machine (2.23 s once for a run
// of 0.2 s of CPU, at load 10 on 2 cores). A run still going after 10 ×
// time of wall time (a hang, or a wait CPU time would not see) is
// killed, and fails.
type bound struct {
	time time.Duration
	mb   int64
}

// measured is a run's result with what it cost.
type measured struct {
	result
	elapsed, cpu time.Duration
	rssMB        int64
}

// tcBounded runs the binary in dir with stdin (nil: none) and fails the
// test when the run exceeds b.
func tcBounded(t *testing.T, dir string, stdin io.Reader, b bound, args ...string) measured {
	t.Helper()
	cmd := exec.Command(tagcheckBin(t), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "TAGCHECK_CACHE="+t.TempDir())
	cmd.Stdin = stdin
	return runBounded(t, cmd, b)
}

// runBounded runs cmd (the binary with args) and fails the test when the
// run exceeds b, as tcBounded.
func runBounded(t *testing.T, cmd *exec.Cmd, b bound) measured {
	t.Helper()
	args := cmd.Args[1:]
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(10*b.time, func() { cmd.Process.Kill() })
	err := cmd.Wait()
	killed := !timer.Stop()
	m := measured{result: result{o.String(), e.String(), 0}, elapsed: time.Since(start)}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		m.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("tagcheck %v: %v", args, err)
	}
	m.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.rssMB = ru.Maxrss >> 10 // kilobytes on Linux
	}
	t.Logf("tagcheck %s: exit %d in %v (%v CPU), peak %d MB", shortArgs(args), m.code, m.elapsed.Round(time.Millisecond), m.cpu.Round(time.Millisecond), m.rssMB)
	if killed {
		t.Errorf("tagcheck %s still ran after %v (10 × its bound of %v CPU): killed", shortArgs(args), m.elapsed, b.time)
	}
	if m.cpu > b.time {
		t.Errorf("tagcheck %s took %v of CPU, over the bound of %v", shortArgs(args), m.cpu, b.time)
	}
	if m.rssMB > b.mb {
		t.Errorf("tagcheck %s peaked at %d MB, over the bound of %d MB", shortArgs(args), m.rssMB, b.mb)
	}
	return m
}

func shortArgs(args []string) string {
	s := strings.Join(args, " ")
	if len(s) > 120 {
		s = s[:120] + "..."
	}
	return s
}

// endless is an input that never ends.
type endless struct{ b byte }

func (e endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = e.b
	}
	return len(p), nil
}

// TestHostileInputCaps: an endless patch, stdin, rule pack or baseline is
// refused at the --max-input cap, in a second and under 200 MB, naming
// the input; the cap is a flag.
func TestHostileInputCaps(t *testing.T) {
	wd := e2eData(t, ".")
	fast := bound{time: time.Second, mb: 200}
	cases := []struct {
		name    string
		stdin   io.Reader
		args    []string
		mention string
	}{
		{"patch", nil, []string{"check", "/dev/zero"}, "/dev/zero: larger than the input limit of 64 MiB"},
		{"random patch", nil, []string{"check", "/dev/urandom"}, "/dev/urandom: larger than the input limit of 64 MiB"},
		{"stdin", endless{'+'}, []string{"check", "-"}, "<stdin>: larger than the input limit of 64 MiB"},
		{"rule pack", nil, []string{"check", "--rules", "/dev/zero", "buggy.patch"}, "rules: /dev/zero: larger than the input limit"},
		{"baseline", nil, []string{"check", "--baseline", "/dev/zero", "buggy.patch"}, "--baseline /dev/zero: larger than the input limit"},
		{"rules command", nil, []string{"rules", "--rules", "/dev/zero"}, "/dev/zero: larger than the input limit"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := tcBounded(t, wd, c.stdin, fast, c.args...)
			oneLineError(t, m.result, c.mention, "--max-input")
		})
	}
	t.Run("flag", func(t *testing.T) {
		m := tcBounded(t, wd, nil, fast, "check", "--max-input", "100", "buggy.patch")
		oneLineError(t, m.result, "buggy.patch: larger than the input limit of 100 bytes")
		m = tcBounded(t, wd, nil, fast, "check", "--max-input", "0", "buggy.patch")
		wantCode(t, m.result, 1)
		r := tc(t, wd, nil, "check", "--max-input", "lots", "buggy.patch")
		wantCode(t, r, 2)
		if first, _, _ := strings.Cut(r.stderr, "\n"); !strings.Contains(first, `"lots" for flag -max-input`) {
			t.Errorf("bad --max-input: %s", r)
		}
	})
}

// TestHostileHookInstall: a symbolic link at the hook's place is never
// written through (dangling or not, --force or not); --force keeps a
// foreign hook as pre-commit.tagcheck-backup and says so; uninstall puts
// it back and leaves foreign hooks alone.
func TestHostileHookInstall(t *testing.T) {
	quick := bound{time: 5 * time.Second, mb: 200}
	repo := kernelRepo(t)
	hooks := filepath.Join(repo, ".git", "hooks")
	hook := filepath.Join(hooks, "pre-commit")
	os.MkdirAll(hooks, 0o755)

	outside := filepath.Join(t.TempDir(), "victim")
	if err := os.Symlink(outside, hook); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"hook", "install"}, {"hook", "install", "--force"}} {
		m := tcBounded(t, repo, nil, quick, args...)
		oneLineError(t, m.result, ".git/hooks/pre-commit is a symbolic link")
		if _, err := os.Lstat(outside); err == nil {
			t.Fatalf("%v wrote through the dangling link to %s", args, outside)
		}
	}
	os.Remove(hook)

	foreign := "#!/bin/sh\necho my own checks\n"
	os.WriteFile(hook, []byte(foreign), 0o755)
	oneLineError(t, tcBounded(t, repo, nil, quick, "hook", "install").result, "already exists", "--force")
	m := tcBounded(t, repo, nil, quick, "hook", "install", "--force")
	wantCode(t, m.result, 0)
	backup := hook + ".tagcheck-backup"
	if !strings.Contains(m.stdout, "kept the old hook as .git/hooks/pre-commit.tagcheck-backup") {
		t.Errorf("install --force does not say where the old hook went:\n%s", m)
	}
	if got := string(must(os.ReadFile(backup))); got != foreign {
		t.Errorf("backup holds %q, want the old hook", got)
	}
	if !strings.Contains(string(must(os.ReadFile(hook))), hookMarker) {
		t.Errorf("tagcheck's hook not installed")
	}
	// Reinstalling over our own hook keeps the backup of the foreign one.
	wantCode(t, tcBounded(t, repo, nil, quick, "hook", "install", "--force").result, 0)
	if got := string(must(os.ReadFile(backup))); got != foreign {
		t.Errorf("a second install --force replaced the backup with %q", got)
	}

	m = tcBounded(t, repo, nil, quick, "hook", "uninstall")
	wantCode(t, m.result, 0)
	if !strings.Contains(m.stdout, "restored .git/hooks/pre-commit") {
		t.Errorf("uninstall:\n%s", m)
	}
	if got := string(must(os.ReadFile(hook))); got != foreign {
		t.Errorf("uninstall left %q, want the old hook back", got)
	}
	if _, err := os.Lstat(backup); err == nil {
		t.Errorf("uninstall left the backup behind")
	}
	oneLineError(t, tcBounded(t, repo, nil, quick, "hook", "uninstall").result, ".git/hooks/pre-commit was not installed by tagcheck")
	if got := string(must(os.ReadFile(hook))); got != foreign {
		t.Errorf("uninstall of a foreign hook changed it to %q", got)
	}
}

// TestHostileWriteBaseline: --write-baseline replaces the file by rename
// (the old bytes are never truncated in place), refuses to overwrite an
// input of the run, and never writes through a symbolic link.
func TestHostileWriteBaseline(t *testing.T) {
	quick := bound{time: 5 * time.Second, mb: 200}
	wd := e2eData(t, ".")
	tmp := t.TempDir()
	patch := filepath.Join(tmp, "buggy.patch")
	copyFile(t, filepath.Join(wd, "buggy.patch"), patch)
	orig := must(os.ReadFile(patch))

	m := tcBounded(t, tmp, nil, quick, "check", "--write-baseline", patch, patch)
	oneLineError(t, m.result, "--write-baseline "+patch, "input of this run")
	if !bytes.Equal(must(os.ReadFile(patch)), orig) {
		t.Fatalf("--write-baseline overwrote the input patch")
	}
	pack := filepath.Join(tmp, "pack.yaml")
	os.WriteFile(pack, []byte("name: mine\nnoreturn: [my_panic]\n"), 0o644)
	oneLineError(t, tcBounded(t, tmp, nil, quick, "check", "--rules", pack, "--write-baseline", pack, patch).result, "input of this run")

	base := filepath.Join(tmp, "base.json")
	old := []byte("the old baseline\n")
	os.WriteFile(base, old, 0o644)
	keep := filepath.Join(tmp, "base.json.link")
	if err := os.Link(base, keep); err != nil {
		t.Fatal(err)
	}
	wantCode(t, tcBounded(t, tmp, nil, quick, "check", "--write-baseline", base, patch).result, 0)
	if !bytes.Equal(must(os.ReadFile(keep)), old) {
		t.Errorf("the old baseline was rewritten in place, not replaced by a rename")
	}
	if !bytes.Contains(must(os.ReadFile(base)), []byte(`"tool": "tagcheck"`)) {
		t.Errorf("new baseline not written")
	}
	if ents, _ := filepath.Glob(filepath.Join(tmp, ".base.json.tmp-*")); len(ents) > 0 {
		t.Errorf("temporary files left: %v", ents)
	}

	link := filepath.Join(tmp, "link.json")
	victim := filepath.Join(t.TempDir(), "victim.json")
	os.Symlink(victim, link)
	oneLineError(t, tcBounded(t, tmp, nil, quick, "check", "--write-baseline", link, patch).result, link, "symbolic link")
	if _, err := os.Lstat(victim); err == nil {
		t.Errorf("--write-baseline wrote through a symbolic link")
	}
}

// deepLines are 120 KB lines of the shapes that made expression lowering
// quadratic: every level copied its source text.
func deepLines() map[string]string {
	return map[string]string{
		"assign": "void f(int x)\n{\n\tint a;\n\n\ta = " + strings.Repeat("x = ", 30000) + "1;\n}\n",
		"plus":   "int f(void)\n{\n\tint a;\n\n\treturn " + strings.Repeat("1+", 60000) + "1;\n}\n",
		"call":   "int f(void)\n{\n\tint a;\n\n\treturn " + strings.Repeat("g(", 40000) + "1" + strings.Repeat(")", 40000) + ";\n}\n",
	}
}

// newFilePatch is a patch adding path with src.
func newFilePatch(path, src string) string {
	lines := strings.SplitAfter(src, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	var b strings.Builder
	b.WriteString("diff --git a/" + path + " b/" + path + "\nnew file mode 100644\n--- /dev/null\n+++ b/" + path + "\n")
	b.WriteString("@@ -0,0 +1," + strconv.Itoa(len(lines)) + " @@\n")
	for _, l := range lines {
		b.WriteString("+" + l)
	}
	return b.String()
}

// TestHostileDeepExpression: a 120 KB expression line is lowered in
// under 2 s and 200 MB, as a scanned file and as a patch; past the
// nesting cap the function is degraded with a note naming file and line.
func TestHostileDeepExpression(t *testing.T) {
	dir := t.TempDir()
	b := bound{time: 2 * time.Second, mb: 200}
	for name, src := range deepLines() {
		t.Run(name, func(t *testing.T) {
			c := filepath.Join(dir, name+".c")
			os.WriteFile(c, []byte(src), 0o644)
			p := filepath.Join(dir, name+".patch")
			os.WriteFile(p, []byte(newFilePatch("drivers/x/"+name+".c", src)), 0o644)
			for _, run := range []struct {
				args []string
				note string
			}{
				// f takes no lock: a plain scan leaves it out unparsed.
				{[]string{"scan", "--stats", "--all-functions", c}, c + ":5: f: an expression is nested more than 512 deep"},
				{[]string{"check", "--stats", p}, "drivers/x/" + name + ".c:5: f: an expression is nested more than 512 deep"},
			} {
				m := tcBounded(t, dir, nil, b, run.args...)
				wantCode(t, m.result, 0)
				if !strings.Contains(m.stderr, "tagcheck: note: "+run.note) || !strings.Contains(m.stderr, "1 degraded") {
					t.Errorf("no degraded note:\n%s", m)
				}
			}
		})
	}
}

// buggyC is a small function with a lock-pairing bug.
const buggyC = `void foo(struct foo *dev)
{
	spin_lock(&dev->lock);
	if (dev->broken)
		return;
	spin_unlock(&dev->lock);
}
`

// TestHostileScanGoesOn: a file with a NUL byte, one over --max-file and
// an unreadable directory do not stop a scan: the rest is checked and
// reported, the over-size file is a note counted as skipped, the others
// are errors (exit 2 at the end, after the findings).
func TestHostileScanGoesOn(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "a"), 0o755)
	os.WriteFile(filepath.Join(dir, "a", "bug.c"), []byte(buggyC), 0o644)
	os.WriteFile(filepath.Join(dir, "a", "nul.c"), []byte("int a;\x00\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "a", "big.c"), bytes.Repeat([]byte("int x;\n"), 1000), 0o644)
	b := bound{time: 5 * time.Second, mb: 200}
	m := tcBounded(t, dir, nil, b, "scan", "--stats", "--max-file", "4K", "a")
	wantCode(t, m.result, 2)
	if !strings.Contains(m.stdout, "a/bug.c:5:3: lockpair/unreleased") {
		t.Errorf("findings of the readable file not printed:\n%s", m)
	}
	for _, want := range []string{
		"tagcheck: note: a/big.c: not checked: larger than the --max-file limit of 4 KiB\n",
		"tagcheck: a/nul.c: binary data (NUL byte), not C source\n",
		"1 files, 7 lines, 1 functions, 0 degraded, 0 with unseen gaps, 2 skipped\n",
		"tagcheck: 1 file could not be checked; the findings reported are those of the rest\n",
	} {
		if !strings.Contains(m.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, m)
		}
	}
	// JSON carries the errors beside the findings.
	m = tcBounded(t, dir, nil, b, "scan", "--format", "json", "--max-file", "4K", "a")
	wantCode(t, m.result, 2)
	if !strings.Contains(m.stdout, `"errors": [`) || !strings.Contains(m.stdout, `"files_skipped": 2`) || !strings.Contains(m.stdout, `"lockpair/unreleased"`) {
		t.Errorf("json:\n%s", m)
	}
	// A baseline of a partial result is refused.
	oneLineError(t, tcBounded(t, dir, nil, b, "scan", "--write-baseline", filepath.Join(dir, "base.json"), "a").result, "a/nul.c")
	if _, err := os.Stat(filepath.Join(dir, "base.json")); err == nil {
		t.Errorf("a baseline was written from a partial scan")
	}
	// An explicit argument that is not a file or a directory is refused.
	oneLineError(t, tcBounded(t, dir, nil, b, "scan", "/dev/zero").result, "/dev/zero", "not a regular file")
}

// TestHostileScanUnreadable: a file that cannot be read does not stop a
// scan (it stopped it at the function index, before any parse): the
// findings of the rest are printed, the file is named after them, and the
// run exits 2. Root reads any file, so as root the scan runs as nobody.
func TestHostileScanUnreadable(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "a"), 0o755)
	os.WriteFile(filepath.Join(dir, "a", "bug.c"), []byte(buggyC), 0o644)
	os.WriteFile(filepath.Join(dir, "a", "locked.c"), []byte(buggyC), 0o000)
	cmd := exec.Command(tagcheckBin(t), "scan", "--no-cache", "a")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	if os.Geteuid() == 0 {
		for _, d := range []string{filepath.Dir(tagcheckBin(t)), filepath.Dir(dir), dir} {
			os.Chmod(d, 0o755)
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	m := runBounded(t, cmd, bound{time: 5 * time.Second, mb: 200})
	wantCode(t, m.result, 2)
	if !strings.HasPrefix(m.stdout, "a/bug.c:5:3: lockpair/unreleased") {
		t.Errorf("findings of the readable file not printed:\n%s", m)
	}
	for _, want := range []string{
		"a/locked.c: permission denied\n",
		"tagcheck: 1 file could not be checked; the findings reported are those of the rest\n",
	} {
		if !strings.Contains(m.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, m)
		}
	}
}

// TestHostileScanSymlinkRoot: a directory named through a symbolic link
// is followed, as grep -r follows its arguments.
func TestHostileScanSymlinkRoot(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "real"), 0o755)
	os.WriteFile(filepath.Join(dir, "real", "bug.c"), []byte(buggyC), 0o644)
	os.Symlink("real", filepath.Join(dir, "link"))
	m := tcBounded(t, dir, nil, bound{time: 5 * time.Second, mb: 200}, "scan", "--stats", "link")
	wantCode(t, m.result, 1)
	if !strings.HasPrefix(m.stdout, "link/bug.c:5:3: lockpair/unreleased") || !strings.Contains(m.stderr, "stats: 1 files") {
		t.Errorf("scan of a symlinked directory:\n%s", m)
	}
}

// nestedMIME is a mail whose patch sits depth multipart levels deep.
func nestedMIME(patch string, depth int) string {
	var b strings.Builder
	b.WriteString("From: Ann Dev <ann@example.org>\nSubject: [PATCH] foo: release early\n")
	for i := range depth {
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n", i, i)
	}
	b.WriteString("Content-Type: text/x-patch\n\n" + patch)
	for i := depth - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "--b%d--\n", i)
	}
	return b.String()
}

// TestHostileMIMEAndLineEnds: a patch nested in more MIME levels than
// are read is an error naming the line, not "no diff found"; a patch with
// classic Mac (CR-only) line ends is read.
func TestHostileMIMEAndLineEnds(t *testing.T) {
	wd := e2eData(t, ".")
	patch := string(must(os.ReadFile(filepath.Join(wd, "buggy.patch"))))
	dir := t.TempDir()
	b := bound{time: 2 * time.Second, mb: 200}

	shallow := filepath.Join(dir, "shallow.eml")
	os.WriteFile(shallow, []byte(nestedMIME(patch, 8)), 0o644)
	m := tcBounded(t, dir, nil, b, "check", shallow)
	wantCode(t, m.result, 1)

	deep := filepath.Join(dir, "deep.eml")
	os.WriteFile(deep, []byte(nestedMIME(patch, 9)), 0o644)
	m = tcBounded(t, dir, nil, b, "check", deep)
	oneLineError(t, m.result, deep+":29: MIME multipart parts nested more than 8 deep")

	cr := filepath.Join(dir, "cr.patch")
	os.WriteFile(cr, []byte(strings.ReplaceAll(patch, "\n", "\r")), 0o644)
	m = tcBounded(t, dir, nil, b, "check", cr)
	wantCode(t, m.result, 1)
	if !strings.HasPrefix(m.stdout, "drivers/foo/foo.c:23:3: lockpair/mismatched-release") {
		t.Errorf("CR-only patch:\n%s", m)
	}
}

// TestHostileRulePack: a rule pack whose second document (---) has a
// mistake is refused naming file, line and field; an empty one says it
// is empty; a good second document is read.
func TestHostileRulePack(t *testing.T) {
	wd := e2eData(t, ".")
	dir := t.TempDir()
	b := bound{time: 2 * time.Second, mb: 200}
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o644)
		return p
	}
	bad := write("bad.yaml", "name: one\npairs:\n  - {acquire: [a_lock], release: [a_unlock]}\n---\nname: two\npairs:\n  - {acquire: [b_lock], relase: [b_unlock]}\n")
	oneLineError(t, tcBounded(t, wd, nil, b, "check", "--rules", bad, "buggy.patch").result, bad+`:7: pairs[0]: unknown field "relase"`)
	empty := write("empty.yaml", "")
	oneLineError(t, tcBounded(t, wd, nil, b, "check", "--rules", empty, "buggy.patch").result, empty+": empty rule pack")
	typed := write("typed.yaml", "pairs:\n  - acquire: a_lock\n    release: [a_unlock]\n")
	oneLineError(t, tcBounded(t, wd, nil, b, "check", "--rules", typed, "buggy.patch").result, typed+`:2: pairs[0].acquire: want a list, have a string "a_lock"`)

	good := write("good.yaml", "name: one\npairs:\n  - {acquire: [a_lock], release: [a_unlock]}\n---\nname: two\npairs:\n  - {acquire: [b_lock], release: [b_unlock]}\n")
	m := tcBounded(t, wd, nil, b, "rules", "--rules", good)
	wantCode(t, m.result, 0)
	if !strings.Contains(m.stdout, "b_lock") || !strings.Contains(m.stdout, "a_lock") {
		t.Errorf("a document of a two-document pack was dropped:\n%s", m)
	}
}

// TestHostileFileNames: a file name that is not UTF-8, or holds a
// newline, is quoted in text output (it cannot forge a line), kept as
// bytes in JSON (file_raw) and in a baseline, which then matches again.
func TestHostileFileNames(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "d"), 0o755)
	for _, name := range []string{"caf\xe9.c", "a\nb.c"} {
		if err := os.WriteFile(filepath.Join(dir, "d", name), []byte(buggyC), 0o644); err != nil {
			t.Skipf("the file system refuses the name %q: %v", name, err)
		}
	}
	b := bound{time: 5 * time.Second, mb: 200}
	m := tcBounded(t, dir, nil, b, "scan", "d")
	wantCode(t, m.result, 1)
	for _, want := range []string{"\"d/a\\nb.c\":5:3: lockpair/unreleased: ", "\"d/caf\\xe9.c\":5:3: lockpair/unreleased: "} {
		if !strings.Contains(m.stdout, "\n"+want) && !strings.HasPrefix(m.stdout, want) {
			t.Errorf("text output lacks %q:\n%s", want, m)
		}
	}
	for _, l := range strings.Split(m.stdout, "\n") {
		if strings.HasPrefix(l, "b.c") {
			t.Errorf("a newline in a file name forged the line %q", l)
		}
	}
	m = tcBounded(t, dir, nil, b, "scan", "--format", "json", "d")
	if !strings.Contains(m.stdout, `"file_raw": "ZC9jYWbpLmM="`) {
		t.Errorf("JSON does not keep the bytes of d/caf\\xe9.c:\n%s", m.stdout)
	}
	base := filepath.Join(dir, "base.json")
	wantCode(t, tcBounded(t, dir, nil, b, "scan", "--write-baseline", base, "d").result, 0)
	m = tcBounded(t, dir, nil, b, "scan", "--baseline", base, "d")
	wantCode(t, m.result, 0)
	if m.stdout != "" {
		t.Errorf("baselined findings reported again:\n%s", m)
	}
}

// manyCommits makes a repository whose history has n commits, each
// changing a C function, with one git fast-import.
func manyCommits(t *testing.T, n int) string {
	t.Helper()
	needGit(t)
	dir := t.TempDir()
	git(t, dir, "init", "-q", "-b", "master")
	var in bytes.Buffer
	for i := range n {
		src := fmt.Sprintf("int f(struct foo *dev)\n{\n\tspin_lock(&dev->lock);\n\tdev->n = %d;\n\tspin_unlock(&dev->lock);\n\treturn 0;\n}\n", i)
		fmt.Fprintf(&in, "commit refs/heads/master\nmark :%d\ncommitter Ann Dev <ann@example.org> %d +0000\ndata 4\nc%03d\n", i+1, 1700000000+i, i)
		if i > 0 {
			fmt.Fprintf(&in, "from :%d\n", i)
		}
		fmt.Fprintf(&in, "M 100644 inline drivers/foo/foo.c\ndata %d\n%s\n", len(src), src)
	}
	cmd := exec.Command("git", "fast-import", "--quiet")
	cmd.Dir, cmd.Stdin = dir, &in
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git fast-import: %v\n%s", err, out)
	}
	git(t, dir, "reset", "-q", "--hard", "master")
	return dir
}

// TestHostileGitInterrupt: Ctrl-C during check --git removes the
// temporary pre-image directory (it holds source files) and exits 130
// within a second.
func TestHostileGitInterrupt(t *testing.T) {
	repo := manyCommits(t, 40)
	tmp := t.TempDir()
	cmd := exec.Command(tagcheckBin(t), "check", "--git", "HEAD~39..HEAD")
	cmd.Dir = repo
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "NO_COLOR=1")
	var e bytes.Buffer
	cmd.Stderr = &e
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if ents, _ := filepath.Glob(filepath.Join(tmp, "tagcheck-git-*", "pre-*", "drivers")); len(ents) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no pre-image directory appeared in %s", tmp)
		}
		time.Sleep(time.Millisecond)
	}
	sent := time.Now()
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	took := time.Since(sent)
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Errorf("want exit 130 after SIGINT, have %v\n%s", err, e.String())
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "tagcheck-git-*")); len(left) > 0 {
		t.Errorf("left behind after SIGINT: %v", left)
	}
	if !strings.Contains(e.String(), "tagcheck: interrupted (interrupt)") {
		t.Errorf("stderr: %s", e.String())
	}
	var rssMB int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rssMB = ru.Maxrss >> 10 // kilobytes on Linux
	}
	t.Logf("exit %v %v after SIGINT, peak %d MB", err, took.Round(time.Millisecond), rssMB)
	if took > time.Second {
		t.Errorf("took %v to stop after SIGINT", took)
	}
	if rssMB > 200 {
		t.Errorf("peaked at %d MB, over the bound of 200 MB", rssMB)
	}
}

// TestHostileTreeHunkSearch: placing a 10,000-line hunk whose header
// lies, in a 200,000-line file, costs the occurrences of its rarest line
// (it was quadratic: minutes); a hunk made only of lines that recur
// everywhere is refused at a bound instead.
func TestHostileTreeHunkSearch(t *testing.T) {
	dir := t.TempDir()
	tree := filepath.Join(dir, "tree")
	os.MkdirAll(tree, 0o755)
	hunk := func(name string, old []string) string {
		p := filepath.Join(dir, name)
		var b strings.Builder
		fmt.Fprintf(&b, "diff --git a/big.c b/big.c\n--- a/big.c\n+++ b/big.c\n@@ -2,%d +2,%d @@\n", len(old), len(old)+1)
		for _, l := range old {
			b.WriteString(" " + l + "\n")
		}
		b.WriteString("+int added;\n")
		os.WriteFile(p, []byte(b.String()), 0o644)
		return p
	}
	b := bound{time: 2 * time.Second, mb: 200}

	// A comment parses fast: the cost measured is the search.
	os.WriteFile(filepath.Join(tree, "big.c"), []byte("/*\n"+strings.Repeat(" * x\n", 200000)+" */\n"), 0o644)
	old := append(slices.Repeat([]string{" * x"}, 10000), " */")
	m := tcBounded(t, dir, nil, b, "check", "--tree", tree, hunk("anchored.patch", old))
	wantCode(t, m.result, 0)

	os.WriteFile(filepath.Join(tree, "big.c"), []byte("/*\n"+strings.Repeat(" * x\n * z\n", 200000)+" */\n"), 0o644)
	old = append(slices.Repeat([]string{" * x", " * z"}, 10000), " * x", " * x")
	m = tcBounded(t, dir, nil, bound{time: 3 * time.Second, mb: 200}, "check", "--tree", tree, hunk("recurring.patch", old))
	oneLineError(t, m.result, "big.c: hunk #1 (@@ -2,20002 +2,20003 @@): too costly to place")
}

// TestHostileTreeSymlink: a symbolic link inside --tree that leads out of
// it is refused, naming the file, never read and reported on.
func TestHostileTreeSymlink(t *testing.T) {
	wd := e2eData(t, ".")
	dir := t.TempDir()
	tree := filepath.Join(dir, "tree")
	copyFile(t, filepath.Join(wd, "tree", "drivers", "foo", "foo.c"), filepath.Join(dir, "elsewhere", "foo.c"))
	os.MkdirAll(filepath.Join(tree, "drivers", "foo"), 0o755)
	if err := os.Symlink(filepath.Join(dir, "elsewhere", "foo.c"), filepath.Join(tree, "drivers", "foo", "foo.c")); err != nil {
		t.Fatal(err)
	}
	m := tcBounded(t, wd, nil, bound{time: 2 * time.Second, mb: 200}, "check", "--tree", tree, "buggy.patch")
	oneLineError(t, m.result, "drivers/foo/foo.c: a symbolic link in the tree leads outside it")
	if m.stdout != "" {
		t.Errorf("reported on a file outside the tree:\n%s", m)
	}
	// A link that stays inside the tree is followed.
	os.Remove(filepath.Join(tree, "drivers", "foo", "foo.c"))
	copyFile(t, filepath.Join(wd, "tree", "drivers", "foo", "foo.c"), filepath.Join(tree, "real", "foo.c"))
	os.Symlink(filepath.Join("..", "..", "real", "foo.c"), filepath.Join(tree, "drivers", "foo", "foo.c"))
	wantCode(t, tcBounded(t, wd, nil, bound{time: 2 * time.Second, mb: 200}, "check", "--tree", tree, "buggy.patch").result, 1)
}

// TestHostileFarHunks: a 4 KB patch with hunks at line 4,194,300 of 25
// files is checked in the memory of its text (dense post-images took
// 140 MB and a second per file; 25 files, 3 GB), and its findings sit on
// their lines.
func TestHostileFarHunks(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	for i := range 25 {
		fmt.Fprintf(&b, "diff --git a/f%d.c b/f%d.c\n--- a/f%d.c\n+++ b/f%d.c\n@@ -4194300,2 +4194300,7 @@\n", i, i, i, i)
		for j, l := range strings.SplitAfter(strings.TrimSuffix(buggyC, "\n"), "\n") {
			op := "+"
			if j <= 1 || j == 6 {
				op = " " // the signature, "{" and "}" are context
			}
			b.WriteString(op + l)
		}
		b.WriteString("\n")
	}
	p := filepath.Join(dir, "far.patch")
	os.WriteFile(p, []byte(b.String()), 0o644)
	m := tcBounded(t, dir, nil, bound{time: 2 * time.Second, mb: 200}, "check", p)
	wantCode(t, m.result, 1)
	if n := strings.Count(m.stdout, "lockpair/unreleased"); n != 25 {
		t.Errorf("%d findings, want one per file:\n%s", n, m)
	}
	for _, want := range []string{"f0.c:4194304:3: lockpair/unreleased", "f24.c:4194304:3: lockpair/unreleased"} {
		if !strings.Contains(m.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, m)
		}
	}
}

// TestHostileManyLocks: a function taking 10,000 distinct locks, each
// under its own test, is given up on once its walk state passes the byte
// budget (it took 1.8 GB and over a minute within the count bound), with
// a note.
func TestHostileManyLocks(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("void f(struct x *a, int *c)\n{\n")
	for i := range 10000 {
		fmt.Fprintf(&b, "\tif (c[%d])\n\t\tspin_lock(&a->lock%d);\n", i, i)
	}
	b.WriteString("}\n")
	os.WriteFile(filepath.Join(dir, "many.c"), []byte(b.String()), 0o644)
	m := tcBounded(t, dir, nil, bound{time: 5 * time.Second, mb: 300}, "scan", "--no-cache", "--stats", "many.c")
	wantCode(t, m.result, 0)
	if want := "tagcheck: note: many.c:1: f: too much lock state; lock pairing not checked\n"; !strings.HasPrefix(m.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, m)
	}
}

// TestHostileBigPostImage: a patched file whose text to parse is over
// --max-file (8 MiB) is skipped with a note and counted, as a scan skips
// it: a new file of 9 MiB in a patch (a 21 MB one took 72 s and 6.3 GB),
// and a 50 MB file of --tree; a FIFO in the tree is refused, naming it,
// instead of waiting forever for a writer.
func TestHostileBigPostImage(t *testing.T) {
	dir := t.TempDir()
	b := bound{time: 2 * time.Second, mb: 200}
	var src strings.Builder
	src.WriteString("void f(void)\n{\n")
	for src.Len() <= 9<<20 {
		src.WriteString("\tx = y + z;\n")
	}
	src.WriteString("}\n")
	big := filepath.Join(dir, "big.patch")
	os.WriteFile(big, []byte(newFilePatch("drivers/x/big.c", src.String())), 0o644)
	m := tcBounded(t, dir, nil, b, "check", "--stats", big)
	wantCode(t, m.result, 0)
	for _, want := range []string{
		"tagcheck: note: drivers/x/big.c: not checked: larger than the --max-file limit of 8 MiB\n",
		"0 files, 0 lines, 0 functions, 0 degraded, 0 with unseen gaps, 1 skipped\n",
	} {
		if !strings.Contains(m.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, m)
		}
	}

	tree := filepath.Join(dir, "tree")
	os.MkdirAll(tree, 0o755)
	p := filepath.Join(dir, "f.patch")
	os.WriteFile(p, []byte("--- a/f.c\n+++ b/f.c\n@@ -1,2 +1,3 @@\n a;\n+b;\n c;\n"), 0o644)
	if err := os.Truncate(filepath.Join(tree, "f.c"), 50<<20); err != nil {
		os.WriteFile(filepath.Join(tree, "f.c"), nil, 0o644)
		if err := os.Truncate(filepath.Join(tree, "f.c"), 50<<20); err != nil {
			t.Fatal(err)
		}
	}
	m = tcBounded(t, dir, nil, b, "check", "--stats", "--tree", tree, p)
	wantCode(t, m.result, 0)
	if want := "tagcheck: note: f.c: not checked: larger than the --max-file limit of 8 MiB\n"; !strings.Contains(m.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, m)
	}

	os.Remove(filepath.Join(tree, "f.c"))
	if err := syscall.Mkfifo(filepath.Join(tree, "f.c"), 0o644); err != nil {
		t.Skipf("no FIFO: %v", err)
	}
	m = tcBounded(t, dir, nil, bound{time: time.Second, mb: 200}, "check", "--tree", tree, p)
	oneLineError(t, m.result, "f.c: ", "f.c: not a regular file")
}

// TestHostileManyHunks: a 6.7 MB patch of 200,000 hunks in one file costs
// time and memory in proportion to it (1,000,000 hunks: 10 s and 1 GB,
// under the 64 MiB input cap; the issue measured 3.1 GB).
func TestHostileManyHunks(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("diff --git a/m.c b/m.c\n--- a/m.c\n+++ b/m.c\n")
	for i := range 200000 {
		fmt.Fprintf(&b, "@@ -%d,1 +%d,1 @@\n-a;\n+b;\n", 4*i+1, 4*i+1)
	}
	p := filepath.Join(dir, "hunks.patch")
	os.WriteFile(p, []byte(b.String()), 0o644)
	m := tcBounded(t, dir, nil, bound{time: 5 * time.Second, mb: 400}, "check", "--stats", p)
	wantCode(t, m.result, 0)
	if !strings.Contains(m.stderr, "stats: 1 files, 799997 lines") {
		t.Errorf("stats:\n%s", m)
	}
}

// TestHostileConfig: a configuration file that never ends is refused at
// the input limit (it was read until memory ran out), and one with a
// second YAML document, whose settings were silently dropped, is refused
// naming the line.
func TestHostileConfig(t *testing.T) {
	wd := e2eData(t, ".")
	m := tcBounded(t, wd, nil, bound{time: time.Second, mb: 200}, "check", "--config", "/dev/zero", "buggy.patch")
	oneLineError(t, m.result, "/dev/zero: larger than the input limit of 64 MiB")
	two := filepath.Join(t.TempDir(), "two.yaml")
	os.WriteFile(two, []byte("disable: [taggedptr]\n---\ndisable: [lockpair]\n"), 0o644)
	m = tcBounded(t, wd, nil, bound{time: time.Second, mb: 200}, "check", "--config", two, "buggy.patch")
	oneLineError(t, m.result, two+":2: a second YAML document (---); a configuration is one document")
}
