package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestE2EConfig: .tagcheck.yaml is found from the working directory
// upwards, each setting is applied, and a flag wins over it.
func TestE2EConfig(t *testing.T) {
	proj := t.TempDir()
	for _, f := range []string{"foo-v2.c", "foo-v3.c"} {
		copyFile(t, e2eData(t, "git/"+f), filepath.Join(proj, "src", "drivers", f))
	}
	sub := filepath.Join(proj, "src")
	scan := func(args ...string) result {
		return tc(t, sub, nil, append(append([]string{"scan", "--terse"}, args...), "drivers")...)
	}
	rules := func(r result) string {
		var out []string
		for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
			if f := strings.SplitN(l, ": ", 3); len(f) == 3 {
				out = append(out, filepath.Base(strings.SplitN(f[0], ":", 2)[0])+" "+f[1])
			}
		}
		return strings.Join(out, ", ")
	}
	all := "foo-v2.c lockpair/unreleased, foo-v3.c lockpair/mismatched-release, foo-v3.c lockpair/unreleased"
	if got := rules(scan()); got != all {
		t.Fatalf("without a configuration: %s", got)
	}
	write := func(text string) {
		os.WriteFile(filepath.Join(proj, ".tagcheck.yaml"), []byte(text), 0o644)
	}

	// disable and exclude, from the directory above.
	write("disable: [lockpair/unreleased]\n")
	if got := rules(scan()); got != "foo-v3.c lockpair/mismatched-release" {
		t.Errorf("disable: %s", got)
	}
	if got := rules(scan("--disable", "lockpair/mismatched-release")); got != "foo-v2.c lockpair/unreleased, foo-v3.c lockpair/unreleased" {
		t.Errorf("--disable must replace the configuration's: %s", got)
	}
	if got := rules(scan("--no-config")); got != all {
		t.Errorf("--no-config: %s", got)
	}
	write("exclude: [src/drivers/foo-v3.c]\n")
	if got := rules(scan()); got != "foo-v2.c lockpair/unreleased" {
		t.Errorf("exclude a file: %s", got)
	}
	write("exclude: [src/**]\n")
	if r := scan(); r.code != 0 || r.stdout != "" {
		t.Errorf("exclude a directory:\n%s", r)
	}
	write("exclude: ['foo-v2.*']\n")
	if got := rules(scan()); got != "foo-v3.c lockpair/mismatched-release, foo-v3.c lockpair/unreleased" {
		t.Errorf("exclude by base name: %s", got)
	}

	// baseline: the configuration's, relative to it; --baseline and
	// --write-baseline win.
	write("baseline: tc-baseline.json\n")
	oneLineError(t, scan(), "tc-baseline.json")
	wantCode(t, tc(t, sub, nil, "scan", "--write-baseline", "../tc-baseline.json", "drivers/foo-v2.c"), 0)
	if got := rules(scan()); got != "foo-v3.c lockpair/mismatched-release, foo-v3.c lockpair/unreleased" {
		t.Errorf("configured baseline: %s", got)
	}
	empty := filepath.Join(proj, "empty.json")
	os.WriteFile(filepath.Join(proj, "none.c"), nil, 0o644)
	wantCode(t, tc(t, sub, nil, "scan", "--write-baseline", empty, "../none.c"), 0)
	if got := rules(scan("--baseline", empty)); got != all {
		t.Errorf("--baseline must win: %s", got)
	}

	// rules: a pack that makes a release helper known.
	write("rules: [packs/foo.yaml]\n")
	os.MkdirAll(filepath.Join(proj, "packs"), 0o755)
	os.WriteFile(filepath.Join(proj, "packs", "foo.yaml"), []byte("name: foo\nnoreturn: [foo_die]\n"), 0o644)
	r := tc(t, sub, nil, "config")
	wantCode(t, r, 0)
	for _, want := range []string{filepath.Join(proj, ".tagcheck.yaml"), filepath.Join(proj, "packs", "foo.yaml")} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("tagcheck config lacks %q:\n%s", want, r)
		}
	}
	if r := tc(t, sub, nil, "rules"); !strings.Contains(r.stdout, "name: 'in force: [") || !strings.Contains(r.stdout, " foo]") {
		t.Errorf("tagcheck rules does not load the configured pack:\n%s", r)
	}
	if r := tc(t, sub, nil, "rules", "--no-config"); strings.Contains(r.stdout, " foo]") {
		t.Errorf("tagcheck rules --no-config:\n%s", r)
	}

	// Mistakes name the file and the line.
	write("rules: []\ndisabled: [lockpair]\n")
	oneLineError(t, scan(), ".tagcheck.yaml:2:", `unknown key "disabled"`)
	write("disable:\n  - lockpair/unreleasd\n")
	oneLineError(t, scan(), ".tagcheck.yaml:2", "lockpair/unreleasd")
	oneLineError(t, scan("--disable", "nosuch"), "nosuch")

	// No configuration anywhere above: tagcheck config says so.
	if r := tc(t, t.TempDir(), nil, "config"); r.code != 0 || !strings.Contains(r.stdout, "no .tagcheck.yaml") {
		t.Errorf("config without a file:\n%s", r)
	}
}
