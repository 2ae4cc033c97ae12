package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
)

// TestE2ECommandLine drives the binary the way the new user did.
func TestE2ECommandLine(t *testing.T) {
	wd := e2eData(t, ".")

	// A mistyped command: the closest name, exit 2, not a go vet error.
	r := tc(t, wd, nil, "chek", "buggy.patch")
	oneLineError(t, r, `unknown command "chek"`, `did you mean "check"?`)
	oneLineError(t, tc(t, wd, nil, "sacn", "tree"), `did you mean "scan"?`)
	r = tc(t, wd, nil, "frobnicate")
	oneLineError(t, r, `unknown command "frobnicate"`)
	if strings.Contains(r.stderr, "did you mean") {
		t.Errorf("no command is near frobnicate:\n%s", r)
	}
	// A patch or a C file without a command says which command.
	oneLineError(t, tc(t, wd, nil, "buggy.patch"), "tagcheck check buggy.patch")
	oneLineError(t, tc(t, wd, nil, "tree/drivers/foo/foo.c"), "tagcheck scan tree/drivers/foo/foo.c")

	// check given a C source file: use scan.
	oneLineError(t, tc(t, wd, nil, "check", "tree/drivers/foo/foo.c"), "not a patch", "tagcheck scan tree/drivers/foo/foo.c")

	// Flags after the files, and "--" ending the flags.
	before := tc(t, wd, nil, "check", "--format", "json", "buggy.patch")
	after := tc(t, wd, nil, "check", "buggy.patch", "--format", "json")
	wantCode(t, after, 1)
	if before.stdout != after.stdout || !strings.HasPrefix(after.stdout, "{") {
		t.Errorf("--format after the file:\n%s\nbefore it:\n%s", after, before)
	}
	oneLineError(t, tc(t, wd, nil, "check", "buggy.patch", "--", "--format"), "--format", "cannot read")
	wantCode(t, tc(t, wd, nil, "scan", "git", "--format=sarif"), 1)

	// Help: exit 0 on stdout, for every command; a bad flag: exit 2.
	for _, args := range [][]string{{"-h"}, {"--help"}, {"help"}, {"check", "-h"}, {"scan", "--help"}, {"rules", "-h"}, {"hook", "-h"}, {"hook", "install", "-h"}, {"version", "-h"}} {
		r := tc(t, wd, nil, args...)
		if r.code != 0 || !strings.Contains(r.stdout, "usage") || r.stderr != "" {
			t.Errorf("tagcheck %s: want usage on stdout and exit 0:\n%s", strings.Join(args, " "), r)
		}
	}
	r = tc(t, wd, nil, "help")
	for _, want := range []string{"0 no findings, 1 findings, 2 bad input", "3 findings"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("help lacks the exit codes (%q):\n%s", want, r.stdout)
		}
	}
	oneLineError(t, tc(t, wd, nil, "check", "--nosuch", "buggy.patch"), "-nosuch")
	wantCode(t, tc(t, wd, nil), 2)

	// Version: one line, the same for both spellings.
	v1, v2 := tc(t, wd, nil, "version"), tc(t, wd, nil, "--version")
	wantCode(t, v1, 0)
	if v1.stdout != v2.stdout || strings.Count(v1.stdout, "\n") != 1 || !strings.HasPrefix(v1.stdout, "tagcheck ") {
		t.Errorf("version:\n%s\n--version:\n%s", v1, v2)
	}

	// -q: no notes; -v: notes in JSON too, and the stats line.
	partial := "clean.patch"
	r = tc(t, wd, nil, "check", partial)
	if !strings.Contains(r.stderr, "tagcheck: note:") {
		t.Fatalf("%s gives no note to test -q with:\n%s", partial, r)
	}
	if q := tc(t, wd, nil, "check", "-q", partial); q.stderr != "" || q.stdout != r.stdout || q.code != r.code {
		t.Errorf("-q:\n%s", q)
	}
	if v := tc(t, wd, nil, "check", "--format", "json", "-v", partial); !strings.Contains(v.stderr, "note:") || !strings.Contains(v.stderr, "stats:") {
		t.Errorf("-v:\n%s", v)
	}
	oneLineError(t, tc(t, wd, nil, "check", "-q", "-v", partial), "-q and -v")
}

// TestE2EColor checks --color against NO_COLOR, TERM=dumb and a pipe;
// the terminal case runs under script(1), which gives the binary a pty.
func TestE2EColor(t *testing.T) {
	wd := e2eData(t, ".")
	const bold = "\x1b[1m"
	cases := []struct {
		env  []string
		args []string
		want bool
	}{
		{nil, []string{"--color=always"}, true},
		{[]string{"NO_COLOR=1"}, []string{"--color=always"}, true}, // an explicit flag wins
		{[]string{"TERM=dumb"}, []string{"--color=always"}, true},
		{nil, []string{"--color=never"}, false},
		{nil, nil, false}, // auto, on a pipe
	}
	for _, c := range cases {
		r := tc(t, wd, append([]string{"NO_COLOR="}, c.env...), append([]string{"check", "buggy.patch"}, c.args...)...)
		if got := strings.Contains(r.stdout, bold); got != c.want {
			t.Errorf("env %v args %v: colour %v, want %v\n%s", c.env, c.args, got, c.want, r)
		}
	}
	oneLineError(t, tc(t, wd, nil, "check", "--color=sometimes", "buggy.patch"), "sometimes")

	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script(1) is not installed (util-linux); skipping the terminal cases")
	}
	onTTY := func(env ...string) string {
		cmd := exec.Command(script, "-q", "-e", "-c", tagcheckBin(t)+" check buggy.patch", "/dev/null")
		cmd.Dir = wd
		cmd.Env = append(os.Environ(), "NO_COLOR=", "TERM=xterm")
		cmd.Env = append(cmd.Env, env...)
		out, _ := cmd.Output()
		return string(out)
	}
	if out := onTTY(); !strings.Contains(out, bold) {
		t.Errorf("a terminal gets no colour:\n%q", out)
	}
	for _, env := range []string{"NO_COLOR=1", "TERM=dumb"} {
		if out := onTTY(env); strings.Contains(out, bold) || !strings.Contains(out, "lockpair/mismatched-release") {
			t.Errorf("%s on a terminal:\n%q", env, out)
		}
	}
}

func TestIsInteractiveDevNull(t *testing.T) {
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	if isInteractive(f, func(string) string { return "" }) {
		t.Error("/dev/null is a character device but not a terminal")
	}
}

func TestClosest(t *testing.T) {
	names := []string{"check", "scan", "rules", "go", "hook", "version", "help"}
	for in, want := range map[string]string{"chek": "check", "chekc": "check", "sacn": "scan", "rule": "rules", "verison": "version", "hlep": "help", "og": "go", "xyzzy": "", "do": "go", "checkout": ""} {
		got, _ := closest(in, names)
		if got != want {
			t.Errorf("closest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestVersionOf(t *testing.T) {
	rev := "0123456789abcdef0123456789abcdef01234567"
	for _, c := range []struct {
		main     string
		settings []debug.BuildSetting
		want     string
	}{
		{"v0.2.0", nil, "v0.2.0"},
		{"v0.0.0-20261206212900-0123456789ab", []debug.BuildSetting{{Key: "vcs.revision", Value: rev}}, "v0.0.0-20261206212900-0123456789ab"},
		{"(devel)", []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: "true"}}, "devel 0123456789ab+dirty"},
		{"(devel)", []debug.BuildSetting{{Key: "vcs.revision", Value: rev}}, "devel 0123456789ab"},
		{"", nil, "devel"},
	} {
		bi := &debug.BuildInfo{Main: debug.Module{Version: c.main}, Settings: c.settings}
		if got := versionOf(bi); got != c.want {
			t.Errorf("versionOf(%q, %v) = %q, want %q", c.main, c.settings, got, c.want)
		}
	}
}

// TestE2EListDegraded: scan --stats --list-degraded names each function
// not fully checked and why; without the flag nothing is listed.
func TestE2EListDegraded(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(dir+"/d.c", []byte("int ok(int a)\n{\n\treturn a;\n}\n\nint broken(int a)\n{\n\tint x = a +* ;\n\treturn x;\n}\n"), 0o644)
	r := tc(t, dir, nil, "scan", "--stats", "--list-degraded", "d.c")
	wantCode(t, r, 0)
	if !strings.Contains(r.stderr, "1 degraded") || !strings.Contains(r.stderr, "tagcheck: degraded: d.c:6: broken: unrecovered syntax error in the body at line 8") || strings.Contains(r.stderr, ": ok:") {
		t.Errorf("--list-degraded:\n%s", r)
	}
	if r := tc(t, dir, nil, "scan", "--stats", "d.c"); strings.Contains(r.stderr, "degraded:") {
		t.Errorf("listed without --list-degraded:\n%s", r)
	}
}

// TestE2ETreeProgress: check --tree shows how far the look for readers
// of a newly tagged field is, on a terminal only. The example's tree
// holds only the patch's files, which the look leaves out (they were
// checked whole): a reader elsewhere is added to a copy of it.
func TestE2ETreeProgress(t *testing.T) {
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script(1) is not installed (util-linux); skipping the terminal case")
	}
	ex, err := filepath.Abs(filepath.Join("..", "..", "examples", "ctx-reader"))
	if err != nil {
		t.Fatal(err)
	}
	patches, _ := filepath.Glob(filepath.Join(ex, "0001-*.patch"))
	if len(patches) != 1 {
		t.Fatalf("example patch: %v", patches)
	}
	tree := filepath.Join(t.TempDir(), "tree")
	if err := os.CopyFS(tree, os.DirFS(filepath.Join(ex, "tree"))); err != nil {
		t.Fatal(err)
	}
	reader := "#include <linux/fs_ctx.h>\n\nint ctx_id(struct task_struct *t)\n{\n\treturn t->fs_ctx->id;\n}\n"
	if err := os.WriteFile(filepath.Join(tree, "fs", "ctx_id.c"), []byte(reader), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"check", "--tree", tree, patches[0]}
	cmd := exec.Command(script, "-q", "-e", "-c", tagcheckBin(t)+" "+strings.Join(args, " "), "/dev/null")
	cmd.Env = append(os.Environ(), "TERM=xterm")
	out, _ := cmd.Output()
	if !regexp.MustCompile(`\rtagcheck: \d+/\d+ files \(\d+%\)`).Match(out) {
		t.Errorf("no progress on a terminal:\n%q", out)
	}
	r := tc(t, ex, nil, args...)
	if strings.Contains(r.stderr, "files (") {
		t.Errorf("progress on a pipe:\n%s", r)
	}
}
