package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Hostile inputs in Go mode (tagcheck go), through the binary, as in
// hostile_test.go.

// goBound is what one run of tagcheck go on a module of two small
// packages may cost, go vet and the compiler included (children of the
// run, they are in its rusage): far above a warm cache's 0.2 s and
// 22 MB, room for a cold one.
var goBound = bound{time: 120 * time.Second, mb: 1500}

// TestHostileGoBuildFailureNotHidden: in Go mode, diagnostics in one
// package (exit 3) must not hide a package that did not build (exit 1).
func TestHostileGoBuildFailureNotHidden(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n\ngo 1.22\n"), 0o644)
	os.MkdirAll(filepath.Join(dir, "a"), 0o755)
	os.MkdirAll(filepath.Join(dir, "b"), 0o755)
	os.WriteFile(filepath.Join(dir, "a", "a.go"), []byte(strings.Replace(goLockBug, "package store", "package a", 1)), 0o644)
	os.WriteFile(filepath.Join(dir, "b", "b.go"), []byte("package b\n\nfunc F() int { return undefinedName }\n"), 0o644)
	cmd := exec.Command(tagcheckBin(t), "go", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local")
	// go vet and the compiler are children of the run: their CPU time
	// and memory are in its rusage.
	m := runBounded(t, cmd, goBound)
	wantCode(t, m.result, 1)
	if !strings.Contains(m.stderr, "lockpair/mismatched-release") || !strings.Contains(m.stderr, "undefinedName") {
		t.Errorf("want a's finding and b's build error:\n%s", m)
	}
}

// TestHostileGoFixOutsideModule: -fix never rewrites a file reached
// through a symbolic link that leads out of the module; a file inside it
// is fixed.
func TestHostileGoFixOutsideModule(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	mod := filepath.Join(dir, "m")
	elsewhere := filepath.Join(dir, "elsewhere")
	os.MkdirAll(filepath.Join(mod, "a"), 0o755)
	os.MkdirAll(filepath.Join(mod, "b"), 0o755)
	os.MkdirAll(elsewhere, 0o755)
	os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module example.com/m\n\ngo 1.22\n"), 0o644)
	outside := []byte(strings.Replace(goLockBug, "package store", "package a", 1))
	os.WriteFile(filepath.Join(elsewhere, "a.go"), outside, 0o644)
	if err := os.Symlink(filepath.Join(elsewhere, "a.go"), filepath.Join(mod, "a", "a.go")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(mod, "b", "b.go"), []byte(strings.Replace(goLockBug, "package store", "package b", 1)), 0o644)
	cmd := exec.Command(tagcheckBin(t), "go", "-fix", "./...")
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local")
	wantCode(t, runBounded(t, cmd, goBound).result, 0)
	if got := must(os.ReadFile(filepath.Join(elsewhere, "a.go"))); !bytes.Equal(got, outside) {
		t.Errorf("-fix rewrote a file outside the module through a symbolic link:\n%s", got)
	}
	if got := must(os.ReadFile(filepath.Join(mod, "b", "b.go"))); !bytes.Contains(got, []byte("s.mu.RUnlock()")) {
		t.Errorf("-fix did not fix the file inside the module:\n%s", got)
	}
}

// goVetModule writes a module of two packages: one with a lock-pairing
// bug, one clean.
func goVetModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n\ngo 1.22\n"), 0o644)
	os.MkdirAll(filepath.Join(dir, "a"), 0o755)
	os.MkdirAll(filepath.Join(dir, "b"), 0o755)
	os.WriteFile(filepath.Join(dir, "a", "a.go"), []byte(strings.Replace(goLockBug, "package store", "package a", 1)), 0o644)
	os.WriteFile(filepath.Join(dir, "b", "b.go"), []byte("package b\n\nfunc B() int { return 1 }\n"), 0o644)
	return dir
}

func goVet(t *testing.T, dir, cache string) result {
	t.Helper()
	cmd := exec.Command(tagcheckBin(t), "go", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "GOCACHE="+cache, "GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local")
	return runBounded(t, cmd, goBound).result
}

// TestHostileGoVetLostOutput: when go vet's cache holds a package's facts
// but not its printed results (what a concurrent run sees between the
// two stores, or after the cache trims one), tagcheck go says so and
// exits 1 instead of reporting the package clean.
func TestHostileGoVetLostOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the standard library into a fresh cache")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	dir, cache := goVetModule(t), t.TempDir()
	wantCode(t, goVet(t, dir, cache), 3)
	lost := 0
	filepath.WalkDir(cache, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, "-d") && bytes.Contains(must(os.ReadFile(p)), []byte("lockpair/mismatched-release")) {
			os.Remove(p)
			lost++
		}
		return nil
	})
	if lost == 0 {
		t.Fatal("no cached vet output found to remove")
	}
	r := goVet(t, dir, cache)
	wantCode(t, r, 1)
	if !strings.HasPrefix(r.stderr, "tagcheck: go: go vet gave results for 1 of 2 packages") {
		t.Errorf("no error for the lost results:\n%s", r)
	}
}

// TestGoConcurrentStress runs tagcheck go four times at once on one
// build cache, ten times (TAGCHECK_STRESS_ROUNDS), and wants the same
// findings from every process: the cache race above made one run in 24
// print a fraction of them, with no error. The standard library is built
// into the cache once; each round changes the module's files (a comment
// at their end), so that the four processes vet its packages afresh,
// concurrently, as on a fresh cache.
func TestGoConcurrentStress(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the standard library into a fresh cache, then 40 runs of go vet")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	rounds := 10
	if n, err := strconv.Atoi(os.Getenv("TAGCHECK_STRESS_ROUNDS")); err == nil {
		rounds = n
	}
	dir, cache := goVetModule(t), t.TempDir()
	wantCode(t, goVet(t, dir, cache), 3)
	for round := range rounds {
		for _, f := range []string{filepath.Join(dir, "a", "a.go"), filepath.Join(dir, "b", "b.go")} {
			src := must(os.ReadFile(f))
			os.WriteFile(f, fmt.Appendf(src, "// round %d\n", round), 0o644)
		}
		var wg sync.WaitGroup
		rs := make([]result, 4)
		for i := range rs {
			wg.Go(func() { rs[i] = goVet(t, dir, cache) })
		}
		wg.Wait()
		for i, r := range rs {
			if r.code != 3 || r.stderr != rs[0].stderr {
				t.Fatalf("round %d: process %d differs from process 0:\n%s\n--- process 0:\n%s", round, i, r, rs[0])
			}
		}
	}
}

// TestHostileGoSourceCap: tagcheck go refuses, before go vet reads it, a
// Go file over --max-file (8 MiB by default: a 40 MiB generated literal
// cost the vet tool 13 GB) and a Go "file" that is a device, naming the
// file, with exit 2.
func TestHostileGoSourceCap(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	b := bound{time: 10 * time.Second, mb: 200}
	dir := goVetModule(t)
	big := filepath.Join(dir, "b", "big.go")
	var src bytes.Buffer
	src.WriteString("package b\n\nvar Table = []int{\n")
	for src.Len() <= 9<<20 {
		src.WriteString("1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,\n")
	}
	src.WriteString("}\n")
	os.WriteFile(big, src.Bytes(), 0o644)
	m := tcBounded(t, dir, nil, b, "go", "./...")
	oneLineError(t, m.result, big+": larger than the Go source limit of 8 MiB", "--max-file")
	m = tcBounded(t, dir, nil, b, "go", "--max-file", "100", "./a")
	oneLineError(t, m.result, filepath.Join(dir, "a", "a.go")+": larger than the Go source limit of 100 bytes")

	os.Remove(big)
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "b", "zero.go")); err != nil {
		t.Fatal(err)
	}
	m = tcBounded(t, dir, nil, b, "go", "./...")
	oneLineError(t, m.result, "zero.go")
}
