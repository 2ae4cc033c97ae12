package plugin_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golangci/plugin-module-register/register"

	_ "github.com/tagcheck/tagcheck/plugin"
)

// golangciVersion is the golangci-lint the end-to-end test builds.
const golangciVersion = "v2.15.0"

func TestRegistered(t *testing.T) {
	newPlugin, err := register.GetPlugin("tagcheck")
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(map[string]any{"lockpair-rules": []string{}})
	if err != nil {
		t.Fatal(err)
	}
	as, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range as {
		names = append(names, a.Name)
	}
	if got := strings.Join(names, " "); got != "lockpair taggedptr" || p.GetLoadMode() != register.LoadModeTypesInfo {
		t.Errorf("analyzers %q, load mode %q", got, p.GetLoadMode())
	}
	if _, err := newPlugin(map[string]any{"lockpair_rules": []string{"x"}}); err == nil {
		t.Error("an unknown setting must be refused")
	}
}

// TestGolangciCustom builds a custom golangci-lint with this module as a
// module plugin, with `golangci-lint custom` as its users do, and runs it
// on a small module with a lock-pairing bug. It takes minutes (golangci-
// lint is large), so it runs only with TAGCHECK_GOLANGCI=1 (.ci/run sets
// it); golangci-lint's source comes from the Go module proxy, and the
// clone `golangci-lint custom` makes of its GitHub repository is pointed
// at a git repository made from that source (git's url.insteadOf).
func TestGolangciCustom(t *testing.T) {
	if os.Getenv("TAGCHECK_GOLANGCI") == "" {
		t.Skip("set TAGCHECK_GOLANGCI=1 to build a custom golangci-lint with the tagcheck plugin (minutes; needs the Go module proxy)")
	}
	for _, tool := range []string{"go", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	run := func(dir string, env []string, name string, args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	// golangci-lint itself, and its source, from the module proxy.
	start := time.Now()
	gobin := filepath.Join(tmp, "gobin")
	if out, err := run(tmp, []string{"GOBIN=" + gobin, "GOFLAGS="}, "go", "install", "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@"+golangciVersion); err != nil {
		t.Skipf("cannot install golangci-lint %s from the module proxy (unreachable?): %v\n%s", golangciVersion, err, out)
	}
	out, err := run(tmp, []string{"GOFLAGS="}, "go", "mod", "download", "-json", "github.com/golangci/golangci-lint/v2@"+golangciVersion)
	if err != nil {
		t.Skipf("cannot download golangci-lint's source from the module proxy: %v\n%s", err, out)
	}
	var mod struct{ Dir string }
	if err := json.Unmarshal([]byte(out), &mod); err != nil || mod.Dir == "" {
		t.Fatalf("go mod download: %v\n%s", err, out)
	}
	t.Logf("golangci-lint %s installed and downloaded in %v", golangciVersion, time.Since(start).Round(time.Second))
	src := filepath.Join(tmp, "golangci-lint.git")
	if out, err := run(tmp, nil, "cp", "-r", mod.Dir, src); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	run(tmp, nil, "chmod", "-R", "u+w", src)
	gitEnv := []string{"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.org", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.org"}
	for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}, {"commit", "-q", "-m", golangciVersion}, {"tag", golangciVersion}} {
		if out, err := run(src, gitEnv, "git", args...); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}

	// golangci-lint custom, as documented in plugin.go.
	work := filepath.Join(tmp, "work")
	os.MkdirAll(work, 0o755)
	os.WriteFile(filepath.Join(work, ".custom-gcl.yml"), []byte(`version: `+golangciVersion+`
name: custom-gcl
destination: ./bin
plugins:
  - module: github.com/tagcheck/tagcheck
    import: github.com/tagcheck/tagcheck/plugin
    path: `+root+`
`), 0o644)
	redirect := []string{"GOFLAGS=", "GIT_CONFIG_COUNT=1",
		"GIT_CONFIG_KEY_0=url.file://" + src + ".insteadOf", "GIT_CONFIG_VALUE_0=https://github.com/golangci/golangci-lint.git"}
	start = time.Now()
	if out, err := run(work, redirect, filepath.Join(gobin, "golangci-lint"), "custom", "-v"); err != nil {
		t.Fatalf("golangci-lint custom: %v\n%s", err, out)
	}
	t.Logf("golangci-lint custom built the plugin in %v", time.Since(start).Round(time.Second))

	// A module with a known bug, and one that golangci-lint's nolint hides.
	os.WriteFile(filepath.Join(work, "go.mod"), []byte("module example.com/work\n\ngo 1.22\n"), 0o644)
	bug, err := os.ReadFile(filepath.Join(root, "cmd", "tagcheck", "testdata", "gomod", "store", "store.go"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(work, "store.go"), append(bug, []byte(`
func (s *S) Peek() int {
	s.mu.RLock()
	n := s.n
	s.mu.Unlock() //nolint:tagcheck // accepted in this test
	return n
}
`)...), 0o644)
	os.WriteFile(filepath.Join(work, ".golangci.yml"), []byte(`version: "2"
linters:
  default: none
  enable: [tagcheck]
  settings:
    custom:
      tagcheck:
        type: module
        description: lock pairing and tagged pointers
`), 0o644)
	out, err = run(work, []string{"GOFLAGS="}, filepath.Join(work, "bin", "custom-gcl"), "run", "./...")
	if err == nil || !strings.Contains(out, "store.go:15:3: lockpair: lockpair/mismatched-release: s.mu.Unlock() does not pair with s.mu.RLock() at line 13; use s.mu.RUnlock() (tagcheck)") {
		t.Fatalf("custom-gcl run must report the bug: %v\n%s", err, out)
	}
	if strings.Contains(out, "store.go:30") {
		t.Errorf("//nolint:tagcheck not honoured:\n%s", out)
	}
	t.Logf("custom-gcl run:\n%s", out)
}
