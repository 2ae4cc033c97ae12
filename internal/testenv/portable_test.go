package testenv

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestPortable: the packages that need no C compiler build for macOS,
// where Go teams run tagcheck too. The survey once read the
// change time of a file by Linux's field name only, and tagcheck did not
// build on a Mac. (The tree-sitter front end needs a C compiler for the
// target, which this check cannot assume.)
func TestPortable(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-builds: skipped in short mode")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	root := RepoRoot(t)
	list := exec.Command(gobin, "list", "-f", `{{if not .Standard}}{{.ImportPath}} {{join .Deps " "}}{{end}}`, "./...")
	list.Dir = root
	out, err := list.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pure []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		if len(fields) > 0 && !strings.Contains(line, "go-tree-sitter") {
			pure = append(pure, fields[0])
		}
	}
	if len(pure) < 5 {
		t.Fatalf("only %d packages without the C front end: %v", len(pure), pure)
	}
	for _, goos := range []string{"darwin"} {
		build := exec.Command(gobin, append([]string{"build"}, pure...)...)
		build.Dir = root
		build.Env = append(os.Environ(), "GOOS="+goos, "GOARCH=arm64", "CGO_ENABLED=0")
		if out, err := build.CombinedOutput(); err != nil {
			t.Errorf("GOOS=%s go build: %v\n%s", goos, err, out)
		}
	}
}
