// Package testenv finds the inputs that live outside the repository (the
// shared seeds and fixtures, the Linux 6.1 tree) and skips a test with a
// clear message when they are absent, so the suite also passes on a bare
// clone.
package testenv

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// RepoRoot returns the directory holding the module's go.mod.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("getwd: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// Shared returns the path of a file under ../shared beside the repository
// (TAGCHECK_SHARED overrides), skipping the test when it is absent.
func Shared(t testing.TB, rel string) string {
	t.Helper()
	base := os.Getenv("TAGCHECK_SHARED")
	if base == "" {
		base = filepath.Join(RepoRoot(t), "..", "shared")
	}
	p := filepath.Join(base, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("skipping: %s is absent (the shared seeds and fixtures sit beside the repository; set TAGCHECK_SHARED to point elsewhere)", p)
	}
	return p
}

// KernelTree returns the root of the Linux 6.1 source tree
// (TAGCHECK_KERNEL, else ~/src/linux-source-6.1), skipping the test when it
// is absent. See ../shared/fixtures/README.md for how to get it.
func KernelTree(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("TAGCHECK_KERNEL")
	if dir == "" {
		home, _ := os.UserHomeDir()
		dir = filepath.Join(home, "src", "linux-source-6.1")
	}
	if _, err := os.Stat(filepath.Join(dir, "Makefile")); err != nil {
		t.Skipf("skipping: no Linux 6.1 tree at %s (apt-get install linux-source-6.1 and unpack it, or set TAGCHECK_KERNEL)", dir)
	}
	return dir
}

// WriteTree writes files (path relative to root, text) under root,
// making the directories, and returns their paths, sorted.
func WriteTree(t testing.TB, root string, files map[string]string) []string {
	t.Helper()
	var paths []string
	for name, src := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	slices.Sort(paths)
	return paths
}
