package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/tagcheck/tagcheck/check"
	"github.com/tagcheck/tagcheck/patch"
	"github.com/tagcheck/tagcheck/report"
)

// Git input: `check --git REV`, `check --git A..B` and `check --staged`.
// Each commit is checked as the patch from its first parent, against the
// pre-image read from git objects (only the files the commit touches are
// written out, to a temporary directory — a kernel checkout is never
// materialized); the staged change is the index against HEAD.

// gitUnit is one thing to check: a commit, or the staged change.
type gitUnit struct {
	name    string // "1a2b3c4d5e6f" or "staged"
	subject string
	base    string // the pre-image commit, or the empty tree
	patches []*patch.Patch
}

// gitRepo runs git in the working directory.
type gitRepo struct {
	dir  string // working directory, for messages
	flag string // "--git REV" or "--staged", for messages
}

// errGit is a git failure turned into one line.
func (g *gitRepo) errorf(format string, args ...any) error {
	return fmt.Errorf("%s: %s", g.flag, fmt.Sprintf(format, args...))
}

// run runs git with args and returns its standard output. stdin, when
// not nil, is fed to it.
func (g *gitRepo) run(stdin []byte, args ...string) ([]byte, error) {
	full := append([]string{"-c", "core.quotepath=false", "-c", "diff.noprefix=false", "-c", "color.ui=never"}, args...)
	cmd := exec.Command("git", full...)
	cmd.Env = append(os.Environ(), "GIT_PAGER=cat", "LC_ALL=C")
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return nil, g.errorf("git is not installed (not found in PATH)")
		}
		msg := strings.TrimSpace(stderr.String())
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		msg = strings.TrimPrefix(msg, "fatal: ")
		if msg == "" {
			msg = err.Error()
		}
		return nil, g.errorf("git %s: %s", args[0], msg)
	}
	return stdout.Bytes(), nil
}

// open checks that the working directory is inside a work tree.
func openGit(flagText string) (*gitRepo, error) {
	wd, _ := os.Getwd()
	g := &gitRepo{dir: wd, flag: flagText}
	if _, err := exec.LookPath("git"); err != nil {
		return nil, g.errorf("git is not installed (not found in PATH)")
	}
	if _, err := g.run(nil, "rev-parse", "--git-dir"); err != nil {
		return nil, g.errorf("%s is not inside a git repository", wd)
	}
	return g, nil
}

// emptyTree is the object name of the empty tree in this repository's
// hash (SHA-1 or SHA-256).
func (g *gitRepo) emptyTree() (string, error) {
	out, err := g.run([]byte{}, "hash-object", "-t", "tree", "--stdin")
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// commit resolves rev to a full commit name.
func (g *gitRepo) commit(rev string) (string, error) {
	if strings.HasPrefix(rev, "-") {
		return "", g.errorf("%q is not a revision", rev)
	}
	out, err := g.run(nil, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	if err != nil {
		return "", g.errorf("unknown revision %q in %s", rev, g.dir)
	}
	return strings.TrimSpace(string(out)), nil
}

// commits lists what --git names: one commit, or every non-merge commit
// of A..B oldest first.
func (g *gitRepo) commits(spec string) ([]string, error) {
	if strings.Contains(spec, "...") {
		return nil, g.errorf("symmetric ranges (A...B) are not supported; use A..B")
	}
	a, b, isRange := strings.Cut(spec, "..")
	if !isRange {
		c, err := g.commit(spec)
		if err != nil {
			return nil, err
		}
		return []string{c}, nil
	}
	if a == "" {
		a = "HEAD"
	}
	if b == "" {
		b = "HEAD"
	}
	ca, err := g.commit(a)
	if err != nil {
		return nil, err
	}
	cb, err := g.commit(b)
	if err != nil {
		return nil, err
	}
	out, err := g.run(nil, "rev-list", "--reverse", "--topo-order", "--no-merges", ca+".."+cb)
	if err != nil {
		return nil, err
	}
	return strings.Fields(string(out)), nil
}

// diffArgs are the options that make git's diff the plain unified diff
// cparse reads, whatever the user's configuration says.
var diffArgs = []string{"--no-color", "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/", "-M", "--unified=3"}

// commitUnit reads one commit: its patch from its first parent.
func (g *gitRepo) commitUnit(c string) (*gitUnit, error) {
	out, err := g.run(nil, "show", "-s", "--format=%P%x00%s", c)
	if err != nil {
		return nil, err
	}
	parents, subject, _ := strings.Cut(strings.TrimRight(string(out), "\n"), "\x00")
	u := &gitUnit{name: c[:min(12, len(c))], subject: subject}
	if ps := strings.Fields(parents); len(ps) > 0 {
		u.base = ps[0]
	} else if u.base, err = g.emptyTree(); err != nil {
		return nil, err
	}
	diff, err := g.run(nil, append(append([]string{"diff"}, diffArgs...), u.base, c, "--")...)
	if err != nil {
		return nil, err
	}
	u.patches, err = patch.ParsePatches("git:"+u.name, diff)
	if err != nil {
		return nil, err
	}
	for _, p := range u.patches {
		p.Subject = subject
	}
	return u, nil
}

// stagedUnit reads the index against HEAD (against the empty tree before
// the first commit).
func (g *gitRepo) stagedUnit() (*gitUnit, error) {
	u := &gitUnit{name: "staged", subject: "the staged change"}
	if out, err := g.run(nil, "rev-parse", "--verify", "--quiet", "HEAD^{commit}"); err == nil {
		u.base = strings.TrimSpace(string(out))
	} else if u.base, err = g.emptyTree(); err != nil {
		return nil, err
	}
	diff, err := g.run(nil, append(append([]string{"diff", "--cached"}, diffArgs...), u.base, "--")...)
	if err != nil {
		return nil, err
	}
	u.patches, err = patch.ParsePatches("git:staged", diff)
	if err != nil {
		return nil, err
	}
	return u, nil
}

// units reads what the flags name.
func (s *patchSource) units(args []string) ([]*gitUnit, *gitRepo, error) {
	if s.git != "" && s.staged {
		return nil, nil, usageError{"check: --git and --staged cannot be combined"}
	}
	flagText := "--staged"
	if s.git != "" {
		flagText = "--git " + s.git
	}
	if len(args) > 0 {
		return nil, nil, usageError{fmt.Sprintf("check: %s takes no PATCH arguments (have %q)", flagText, args[0])}
	}
	g, err := openGit(flagText)
	if err != nil {
		return nil, nil, err
	}
	if s.staged {
		u, err := g.stagedUnit()
		if err != nil {
			return nil, nil, err
		}
		return []*gitUnit{u}, g, nil
	}
	cs, err := g.commits(s.git)
	if err != nil {
		return nil, nil, err
	}
	var us []*gitUnit
	for _, c := range cs {
		u, err := g.commitUnit(c)
		if err != nil {
			return nil, nil, err
		}
		us = append(us, u)
	}
	return us, g, nil
}

// readGit returns the patches of every commit (or of the staged change)
// for the patch-only pipeline: tree is passed through, and without one
// the patches are checked as an e-mail would be. `tagcheck check` itself
// uses checkGit, which checks each commit against its own pre-image.
func readGit(s *patchSource, args []string, tree string, stderr io.Writer) ([]*patch.Patch, string, error) {
	us, _, err := s.units(args)
	if err != nil {
		return nil, "", err
	}
	var all []*patch.Patch
	for _, u := range us {
		all = append(all, u.patches...)
	}
	if len(all) == 0 {
		fmt.Fprintf(stderr, "tagcheck: nothing to check\n")
	}
	return all, tree, nil
}

// isCPath mirrors the pipeline's choice of files.
func isCPath(p string) bool {
	ext := filepath.Ext(p)
	return ext == ".c" || ext == ".h"
}

// preImage writes the pre-image of every C file the patches change (read
// from base with one git cat-file process) under a new temporary
// directory, and returns it; the caller removes it.
func (g *gitRepo) preImage(base string, patches []*patch.Patch, tmp *scratch) (string, error) {
	var paths []string
	seen := map[string]bool{}
	for _, p := range patches {
		for _, fp := range p.Files {
			if fp.IsNew || fp.IsBinary || fp.OldPath == "" || !isCPath(fp.Path) || seen[fp.OldPath] {
				continue
			}
			if strings.ContainsAny(fp.OldPath, "\n") {
				return "", g.errorf("%q: file name with a newline", fp.OldPath)
			}
			seen[fp.OldPath] = true
			paths = append(paths, fp.OldPath)
		}
	}
	dir, err := tmp.mkdir()
	if err != nil {
		return "", err
	}
	if len(paths) == 0 {
		return dir, nil
	}
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = base + ":" + p
	}
	blobs, err := g.blobs(names, 0)
	if err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	for i, p := range paths {
		data, ok := blobs[names[i]]
		if !ok {
			// Missing (e.g. a submodule) or not a file: ApplyToTree
			// will say so if a hunk needs it.
			continue
		}
		dst, err := safeJoin(dir, p)
		if err != nil {
			os.RemoveAll(dir)
			return "", g.errorf("%v", err)
		}
		if err := tmp.writeFile(dst, data); err != nil {
			os.RemoveAll(dir)
			return "", err
		}
	}
	return dir, nil
}

// safeJoin joins a repository path to root, refusing paths that leave it.
func safeJoin(root, p string) (string, error) {
	c := filepath.Clean(filepath.FromSlash(p))
	if p == "" || filepath.IsAbs(c) || c == ".." || strings.HasPrefix(c, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s: path outside the repository", p)
	}
	return filepath.Join(root, c), nil
}

// checkGit checks each commit of --git (or the staged change) against its
// own pre-image and merges the results in commit order, oldest first;
// each commit's findings are sorted, suppression comments are applied
// with that commit's post-image, and each finding's Code is filled for
// the baseline. With tree set, that directory is the pre-image of every
// commit instead.
func checkGit(s *patchSource, args []string, tree string, opt check.Options, stderr io.Writer) (*check.Result, error) {
	us, g, err := s.units(args)
	if err != nil {
		return nil, err
	}
	merged := &check.Result{Lines: map[string]report.Lines{}, Suppressed: true}
	tmp := newScratch(stderr)
	defer tmp.close()
	for _, u := range us {
		res, err := g.checkUnit(u, tree, opt, tmp)
		if err != nil {
			return nil, err
		}
		if len(us) > 1 {
			merged.Notes = append(merged.Notes, fmt.Sprintf("commit %s %q: %d finding%s", u.name, u.subject, len(res.Findings), plural(len(res.Findings))))
		}
		addResult(merged, res)
	}
	if len(us) == 0 {
		fmt.Fprintf(stderr, "tagcheck: %s: no commits to check\n", g.flag)
	}
	return merged, nil
}

// addResult adds res to merged, after applying its suppression comments
// with its own post-images and filling each finding's Code for the
// baseline from them.
func addResult(merged, res *check.Result) {
	if !res.Suppressed {
		src := check.Source(res)
		res.Findings = check.Suppress(res.Findings, src, res.Files())
		fillCode(res.Findings, src)
	}
	merged.Findings = append(merged.Findings, res.Findings...)
	merged.Notes = append(merged.Notes, res.Notes...)
	merged.Errors = append(merged.Errors, res.Errors...)
	merged.Stats.Skipped += res.Stats.Skipped
	merged.Stats.Files += res.Stats.Files
	merged.Stats.Lines += res.Stats.Lines
	merged.Stats.Functions += res.Stats.Functions
	merged.Stats.FunctionsDegraded += res.Stats.FunctionsDegraded
	merged.Stats.UnseenGaps += res.Stats.UnseenGaps
	merged.Stats.Unjudged = append(merged.Stats.Unjudged, res.Stats.Unjudged...)
	merged.Learned.Pairs = append(merged.Learned.Pairs, res.Learned.Pairs...)
	merged.Learned.Tagged = append(merged.Learned.Tagged, res.Learned.Tagged...)
	merged.Degraded = append(merged.Degraded, res.Degraded...)
	for f, ls := range res.Lines {
		merged.Lines[f] = ls // the latest post-image
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func (g *gitRepo) checkUnit(u *gitUnit, tree string, opt check.Options, tmp *scratch) (*check.Result, error) {
	var res *check.Result
	var err error
	if tree != "" {
		o := opt
		o.Tree = tree
		res, err = check.Patches(u.patches, o)
	} else {
		var dir string
		if dir, err = g.preImage(u.base, u.patches, tmp); err != nil {
			return nil, err
		}
		res, err = checkAgainst(u.patches, dir, opt)
		os.RemoveAll(dir)
	}
	if err != nil {
		return nil, fmt.Errorf("%s (%s): %w", u.name, u.subject, err)
	}
	return res, nil
}

// checkAgainst checks patches against the pre-images written under dir
// for this run alone: nothing of it is cached, and the findings name
// its files as the patches do, relative to it.
func checkAgainst(patches []*patch.Patch, dir string, opt check.Options) (*check.Result, error) {
	opt.Tree = dir
	opt.Cache = nil
	res, err := check.Patches(patches, opt)
	if err != nil {
		return nil, err
	}
	// Paths of findings in the temporary tree (readers of a newly
	// tagged field) are already relative to it; nothing else names it.
	for i := range res.Findings {
		res.Findings[i].File = strings.TrimPrefix(res.Findings[i].File, dir+string(filepath.Separator))
	}
	return res, nil
}

// fillCode sets each finding's Code from the lines it was found in, so a
// baseline keys it by the code of the right commit.
func fillCode(fs []report.Finding, src func(string) report.Lines) {
	for i := range fs {
		if fs[i].Code != "" {
			continue
		}
		if l, ok := src(fs[i].File).Line(fs[i].Line); ok {
			fs[i].Code = check.NormalizeCode(l)
		}
	}
}
