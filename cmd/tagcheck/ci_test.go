package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/tagcheck/tagcheck/internal/sarifcheck"
)

// TestCIWorkflow runs the check step of the GitHub Actions example
// (docs/ci/github-actions.yml) as written, with bash, on a repository
// whose pull request adds two bugs, and validates the SARIF it uploads
// against the SARIF 2.1.0 schema's constraints.
func TestCIWorkflow(t *testing.T) {
	needGit(t)
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "ci", "github-actions.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		On   map[string]any `yaml:"on"`
		Jobs map[string]struct {
			Steps []struct {
				ID   string            `yaml:"id"`
				If   string            `yaml:"if"`
				Uses string            `yaml:"uses"`
				Run  string            `yaml:"run"`
				With map[string]string `yaml:"with"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatalf("the workflow is not YAML: %v", err)
	}
	if _, ok := wf.On["pull_request"]; !ok {
		t.Errorf("the workflow does not run on pull requests: %v", wf.On)
	}
	var script string
	var uploads, fails bool
	for _, s := range wf.Jobs["tagcheck"].Steps {
		switch {
		case s.ID == "tagcheck":
			script = s.Run
		case strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@"):
			uploads = s.With["sarif_file"] == "tagcheck.sarif" && strings.Contains(s.If, "always()")
		case strings.Contains(s.If, "steps.tagcheck.outputs.status == '1'"):
			fails = strings.Contains(s.Run, "exit 1")
		}
	}
	if script == "" || !uploads || !fails {
		t.Fatalf("the workflow lacks the check step (%v), the upload of tagcheck.sarif whatever happened (%v) or the failure on findings (%v)", script != "", uploads, fails)
	}

	repo := kernelRepo(t)
	base := strings.TrimSpace(git(t, repo, "rev-parse", "HEAD~2"))
	head := strings.TrimSpace(git(t, repo, "rev-parse", "HEAD"))
	run := func(base, head string) (status string, sarif []byte) {
		t.Helper()
		s := strings.ReplaceAll(script, "${{ github.event.pull_request.base.sha }}", base)
		s = strings.ReplaceAll(s, "${{ github.event.pull_request.head.sha }}", head)
		if strings.Contains(s, "${{") {
			t.Fatalf("unknown expression in the check step:\n%s", s)
		}
		out := filepath.Join(t.TempDir(), "github-output")
		cmd := exec.Command("bash", "-e", "-c", s)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GITHUB_OUTPUT="+out, "NO_COLOR=1",
			"PATH="+filepath.Dir(tagcheckBin(t))+string(os.PathListSeparator)+os.Getenv("PATH"))
		msg, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("the check step failed: %v\n%s", err, msg)
		}
		o, _ := os.ReadFile(out)
		sarif, _ = os.ReadFile(filepath.Join(repo, "tagcheck.sarif"))
		os.Remove(filepath.Join(repo, "tagcheck.sarif"))
		return strings.TrimSpace(string(o)), sarif
	}

	status, sarif := run(base, head)
	if status != "status=1" {
		t.Errorf("step output %q, want status=1", status)
	}
	for _, err := range sarifcheck.Validate(sarif) {
		t.Errorf("the uploaded SARIF is not valid: %v", err)
	}
	for _, want := range []string{`"ruleId": "lockpair/unreleased"`, `"ruleId": "lockpair/mismatched-release"`, `"uri": "drivers/foo/foo.c"`} {
		if !strings.Contains(string(sarif), want) {
			t.Errorf("SARIF lacks %s:\n%s", want, sarif)
		}
	}
	// A pull request without findings: status 0, a valid empty log.
	git(t, repo, "checkout", "-q", "-b", "clean", base)
	f := filepath.Join(repo, "drivers", "foo", "foo.c")
	src, _ := os.ReadFile(f)
	os.WriteFile(f, append([]byte("/* a comment */\n"), src...), 0o644)
	git(t, repo, "commit", "-q", "-a", "-m", "foo: a comment")
	status, sarif = run(base, strings.TrimSpace(git(t, repo, "rev-parse", "HEAD")))
	if status != "status=0" {
		t.Errorf("clean pull request: step output %q", status)
	}
	if errs := sarifcheck.Validate(sarif); len(errs) > 0 || !strings.Contains(string(sarif), `"results": []`) {
		t.Errorf("clean pull request: SARIF %v\n%s", errs, sarif)
	}
}
