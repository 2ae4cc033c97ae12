package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tagcheck/tagcheck/internal/safefile"
)

// tagcheck hook install [--force]   write .git/hooks/pre-commit
// tagcheck hook uninstall           remove it, restoring the hook it replaced
// tagcheck hook go-staged [FLAGS]   Go analyzers on the packages of the staged .go files

func runHook(args []string, stdout, stderr io.Writer) int {
	usage := "usage: tagcheck hook install [--force] | tagcheck hook uninstall | tagcheck hook go-staged [analysis flags]"
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	switch args[0] {
	case "install":
		return runHookInstall(args[1:], stdout, stderr)
	case "uninstall":
		return runHookUninstall(args[1:], stdout, stderr)
	case "go-staged":
		return runHookGoStaged(args[1:], stdout, stderr)
	case "-h", "--help", "-help", "help":
		fmt.Fprintln(stdout, usage)
		return 0
	}
	return fail(stderr, usageError{fmt.Sprintf("hook: unknown action %q; %s", args[0], usage)})
}

// hookMarker identifies a hook tagcheck wrote.
const hookMarker = "# installed by: tagcheck hook install"

func hookScript(exe string) string {
	return `#!/bin/sh
` + hookMarker + `
# Refuses a commit whose staged C change has tagcheck findings.
# Skip it once with: git commit --no-verify
tc=` + shellQuote(exe) + `
if ! [ -x "$tc" ]; then tc=tagcheck; fi
exec "$tc" check --staged
`
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func runHookInstall(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("hook install", stderr, "tagcheck hook install [--force]")
	force := fs.Bool("force", false, "replace an existing pre-commit hook, keeping it as pre-commit"+hookBackupSuffix)
	if code, ok := parseNoArgs(fs, args, stdout, stderr); !ok {
		return code
	}
	path, old, err := currentHook("hook install")
	if err != nil {
		return fail(stderr, err)
	}
	backup := ""
	if old != nil {
		ours := strings.Contains(string(old), hookMarker)
		if !*force {
			what := "a pre-commit hook"
			if ours {
				what = "a tagcheck pre-commit hook"
			}
			return fail(stderr, fmt.Errorf("hook install: %s already exists at %s; use --force to replace it (it is kept as %s)", what, path, path+hookBackupSuffix))
		}
		if !ours {
			backup = path + hookBackupSuffix
			if _, err := os.Lstat(backup); err == nil {
				return fail(stderr, fmt.Errorf("hook install: %s already exists; move it away before replacing %s", backup, path))
			}
		}
	}
	exe, err := os.Executable()
	if err != nil || strings.Contains(exe, string(filepath.Separator)+"go-build") {
		exe = "tagcheck" // `go run`: rely on PATH
	} else if abs, err := filepath.Abs(exe); err == nil {
		exe = abs
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fail(stderr, fmt.Errorf("hook install: %w", err))
	}
	if backup != "" {
		// A second name for the old file: the hook is never missing, and
		// a failed write below leaves both in place.
		if err := os.Link(path, backup); err != nil {
			if err := safefile.WriteFile(backup, old, 0o755, nil); err != nil {
				return fail(stderr, fmt.Errorf("hook install: keeping the old hook: %w", err))
			}
		}
		fmt.Fprintf(stdout, "tagcheck: kept the old hook as %s\n", backup)
	}
	// The hook must be executable whatever the old one's mode was.
	if err := safefile.WriteFile(path, []byte(hookScript(exe)), 0o755, nil); err != nil {
		return fail(stderr, fmt.Errorf("hook install: %w", err))
	}
	if err := os.Chmod(path, 0o755); err != nil {
		return fail(stderr, fmt.Errorf("hook install: %w", err))
	}
	fmt.Fprintf(stdout, "tagcheck: installed %s: commits now run tagcheck check --staged\n", path)
	return 0
}

// hookBackupSuffix names where install keeps a hook it replaces.
const hookBackupSuffix = ".tagcheck-backup"

// hookPath is where git looks for the pre-commit hook; --git-path
// honours core.hooksPath and linked worktrees.
func hookPath(action string) (string, error) {
	g, err := openGit(action)
	if err != nil {
		return "", err
	}
	out, err := g.run(nil, "rev-parse", "--git-path", "hooks")
	if err != nil {
		return "", err
	}
	return filepath.Join(strings.TrimSpace(string(out)), "pre-commit"), nil
}

// currentHook is where the pre-commit hook goes and what is there now
// (nil: nothing), for action.
func currentHook(action string) (path string, hook []byte, err error) {
	path, err = hookPath(action)
	if err != nil {
		return "", nil, err
	}
	hook, err = readHook(path)
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", action, err)
	}
	return path, hook, nil
}

// readHook returns the hook at path, nil when there is none. A symbolic
// link is refused, dangling or not: writing through it would change a
// file elsewhere.
func readHook(path string) ([]byte, error) {
	st, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if st.Mode()&fs.ModeSymlink != 0 {
		target, _ := os.Readlink(path)
		return nil, fmt.Errorf("%s is a symbolic link (to %s); refusing to write through it: remove the link or install by hand", path, target)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	return os.ReadFile(path)
}

// runHookUninstall removes the hook install wrote and puts back the one
// it kept, if any. A hook tagcheck did not write is left alone.
func runHookUninstall(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("hook uninstall", stderr, "tagcheck hook uninstall")
	if code, ok := parseNoArgs(fs, args, stdout, stderr); !ok {
		return code
	}
	path, cur, err := currentHook("hook uninstall")
	if err != nil {
		return fail(stderr, err)
	}
	if cur == nil {
		fmt.Fprintf(stdout, "tagcheck: no pre-commit hook at %s; nothing to uninstall\n", path)
		return 0
	}
	if !strings.Contains(string(cur), hookMarker) {
		return fail(stderr, fmt.Errorf("hook uninstall: %s was not installed by tagcheck; leaving it", path))
	}
	backup := path + hookBackupSuffix
	if st, err := os.Lstat(backup); err == nil && st.Mode().IsRegular() {
		if err := os.Rename(backup, path); err != nil {
			return fail(stderr, fmt.Errorf("hook uninstall: %w", err))
		}
		fmt.Fprintf(stdout, "tagcheck: removed the tagcheck hook; restored %s from %s\n", path, backup)
		return 0
	}
	if err := os.Remove(path); err != nil {
		return fail(stderr, fmt.Errorf("hook uninstall: %w", err))
	}
	fmt.Fprintf(stdout, "tagcheck: removed %s\n", path)
	return 0
}

// runHookGoStaged runs the Go analyzers (the multichecker, as `tagcheck
// go` does) on the packages whose .go files are staged, so that a
// pre-commit hook checks what the commit touches. Flags before the
// packages are the multichecker's. No staged Go file: exit 0.
func runHookGoStaged(args []string, stdout, stderr io.Writer) int {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			return fail(stderr, usageError{fmt.Sprintf("hook go-staged: packages come from the staged files; unexpected argument %q", a)})
		}
	}
	g, err := openGit("hook go-staged")
	if err != nil {
		return fail(stderr, err)
	}
	pkgs, err := g.stagedGoPackages()
	if err != nil {
		return fail(stderr, err)
	}
	if len(pkgs) == 0 {
		return 0
	}
	argv0 := "tagcheck"
	if len(os.Args) > 0 {
		argv0 = os.Args[0]
	}
	runGo(append(append([]string{argv0}, args...), pkgs...))
	return 0 // not reached: the driver exits
}

// stagedGoPackages returns the package directories ("./dir", relative
// to the working directory) of the staged, not deleted, .go files,
// leaving out directories the go command ignores (testdata, _x, .x).
func (g *gitRepo) stagedGoPackages() ([]string, error) {
	top, err := g.run(nil, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, err
	}
	root := strings.TrimSpace(string(top))
	out, err := g.run(nil, "diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR", "--no-renames", "--", ":(top)")
	if err != nil {
		return nil, err
	}
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	var pkgs []string
	for _, f := range strings.Split(string(out), "\x00") {
		if f == "" || !strings.HasSuffix(f, ".go") || ignoredByGo(f) {
			continue
		}
		dir := filepath.Join(root, filepath.FromSlash(filepath.ToSlash(filepath.Dir(f))))
		rel, err := filepath.Rel(wd, dir)
		if err != nil {
			rel = dir
		}
		rel = filepath.ToSlash(rel)
		if !strings.HasPrefix(rel, "../") && rel != ".." && !filepath.IsAbs(rel) {
			rel = "./" + strings.TrimPrefix(rel, "./")
		}
		if rel == "./." {
			rel = "."
		}
		pkgs = append(pkgs, rel)
	}
	slices.Sort(pkgs)
	return slices.Compact(pkgs), nil
}

func ignoredByGo(path string) bool {
	parts := strings.Split(path, "/")
	for _, p := range parts[:len(parts)-1] {
		if p == "testdata" || strings.HasPrefix(p, "_") || strings.HasPrefix(p, ".") {
			return true
		}
	}
	return false
}
