package main

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/tagcheck/tagcheck/check"
	"github.com/tagcheck/tagcheck/patch"
	"github.com/tagcheck/tagcheck/report"
)

// Pre-images from the repository at hand. A patch git made names, on the
// "index" line of each file, the blob it applies to. When the repository
// of the working directory holds those blobs (a reviewer reading a
// series in their own checkout), `check PATCH` reads them and judges
// every changed function whole, as --git does, instead of only the
// three lines of context around each hunk: an early return between a
// lock just above a hunk and the unlock just below it is then in view.
//
// An abbreviated name may stand for another object of the repository,
// so a blob is used only when every hunk of its file applies to it. A
// patch one of whose pre-images is missing or does not apply is checked
// from the patch alone, and said so when the repository held the
// pre-images of the input's other files (when it held none, it is not
// the patch's repository, and nothing is said). --patch-only turns this
// off.

// preImageFile is one pre-image a patch needs.
type preImageFile struct {
	path string // in the repository (FilePatch.OldPath)
	name string // the object name of the index line
}

// preImageFiles lists the pre-images of the C files p changes that
// existed before it; ok is false when p changes none, or one without an
// index line.
func preImageFiles(p *patch.Patch) (files []preImageFile, ok bool) {
	for _, fp := range p.Files {
		if fp.IsBinary || fp.IsNew || fp.IsDeleted || fp.OldPath == "" || !isCPath(fp.Path) || len(fp.Hunks) == 0 {
			continue
		}
		if fp.OldBlob == "" || strings.ContainsAny(fp.OldPath, "\n") {
			return nil, false
		}
		files = append(files, preImageFile{path: fp.OldPath, name: fp.OldBlob})
	}
	return files, len(files) > 0
}

// objectRepo returns the repository of the working directory, or nil
// when git is not installed or the directory is in none: then there is
// nothing to read pre-images from, which is no error.
func objectRepo() *gitRepo {
	if _, err := exec.LookPath("git"); err != nil {
		return nil
	}
	wd, _ := os.Getwd()
	g := &gitRepo{dir: wd, flag: "pre-images of the patch's index lines"}
	if _, err := g.run(nil, "rev-parse", "--git-dir"); err != nil {
		return nil
	}
	return g
}

// checkObjects checks each patch whose pre-images the repository of the
// working directory holds against them, and the others from the patches
// alone, and merges the results. ok is false when no pre-image was
// found: the caller then checks the patches as it would have.
func checkObjects(patches []*patch.Patch, opt check.Options, tmp *scratch) (res *check.Result, ok bool, err error) {
	want := make([][]preImageFile, len(patches))
	var names []string
	for i, p := range patches {
		if files, ok := preImageFiles(p); ok {
			want[i] = files
			for _, f := range files {
				names = append(names, f.name)
			}
		}
	}
	if len(names) == 0 {
		return nil, false, nil
	}
	g := objectRepo()
	if g == nil {
		return nil, false, nil
	}
	blobs, err := g.blobs(names, opt.MaxFile)
	if err != nil {
		return nil, false, err
	}
	if len(blobs) == 0 {
		return nil, false, nil
	}
	merged := &check.Result{Lines: map[string]report.Lines{}, Suppressed: true}
	var alone []*patch.Patch
	for i, p := range patches {
		dir, why, err := writePreImages(p, want[i], blobs, opt.MaxFile, tmp)
		if err != nil {
			return nil, false, err
		}
		if dir == "" {
			if why != "" {
				merged.Notes = append(merged.Notes, fmt.Sprintf("%s:%d: %s: checked from the patch alone", p.Source, p.Line, why))
			}
			alone = append(alone, p)
			continue
		}
		merged.Notes = append(merged.Notes, fmt.Sprintf("%s:%d: changed functions checked whole, against the pre-image of %d file%s read from the git objects of %s (the patch's index lines); --patch-only checks the patch alone",
			p.Source, p.Line, len(want[i]), plural(len(want[i])), g.dir))
		r, err := checkAgainst([]*patch.Patch{p}, dir, opt)
		os.RemoveAll(dir)
		if err != nil {
			return nil, false, err
		}
		addResult(merged, r)
	}
	if len(alone) > 0 {
		r, err := check.Patches(alone, opt)
		if err != nil {
			return nil, false, err
		}
		addResult(merged, r)
	}
	report.Sort(merged.Findings)
	merged.Findings = report.Dedup(merged.Findings)
	return merged, true, nil
}

// writePreImages writes the pre-images of p under a new directory and
// returns it, when the repository holds each of them and every hunk
// applies; otherwise dir is "" and why says what was missing ("" when p
// needs no pre-image or its pre-images were not looked for).
func writePreImages(p *patch.Patch, files []preImageFile, blobs map[string][]byte, maxFile int64, tmp *scratch) (dir, why string, err error) {
	if len(files) == 0 {
		return "", "", nil
	}
	for _, f := range files {
		if _, ok := blobs[f.name]; !ok {
			return "", fmt.Sprintf("%s: blob %s of its index line is not in the repository", f.path, f.name), nil
		}
	}
	if dir, err = tmp.mkdir(); err != nil {
		return "", "", err
	}
	for _, f := range files {
		dst, err := safeJoin(dir, f.path)
		if err != nil {
			os.RemoveAll(dir)
			return "", err.Error(), nil
		}
		if err := tmp.writeFile(dst, blobs[f.name]); err != nil {
			os.RemoveAll(dir)
			return "", "", err
		}
	}
	for _, fp := range p.Files {
		if fp.IsBinary || fp.IsNew || fp.IsDeleted || fp.OldPath == "" || !isCPath(fp.Path) || len(fp.Hunks) == 0 {
			continue
		}
		if _, err := patch.ApplyToTree(dir, fp, maxFile); err != nil {
			os.RemoveAll(dir)
			return "", fmt.Sprintf("%s: the hunks do not apply to blob %s of its index line", fp.OldPath, fp.OldBlob), nil
		}
	}
	return dir, "", nil
}

// maxObjectBytes bounds what blobs keeps in memory: a stranger's patch
// names what objects it likes, and a repository may hold large ones.
const maxObjectBytes = 256 << 20

// blobs reads the objects names stand for, by name: the blobs of at most
// maxFile bytes each (0: any size) that the repository holds, up to
// maxObjectBytes in all. A name that is missing, ambiguous, no blob or
// past the bound is left out.
func (g *gitRepo) blobs(names []string, maxFile int64) (map[string][]byte, error) {
	var req strings.Builder
	seen := map[string]bool{}
	var asked []string
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			asked = append(asked, n)
			req.WriteString(n + "\n")
		}
	}
	out := map[string][]byte{}
	budget := int64(maxObjectBytes)
	err := g.catFile(req.String(), func(r *bufio.Reader) error {
		for _, n := range asked {
			max := budget
			if maxFile > 0 {
				max = min(max, maxFile)
			}
			data, err := readObject(r, max)
			if err != nil {
				return g.errorf("git cat-file %s: %v", n, err)
			}
			if data != nil {
				out[n] = data
				budget -= int64(len(data))
			}
		}
		return nil
	})
	return out, err
}

// readObject reads one answer of `git cat-file --batch`: the object when
// it is a blob of at most max bytes, else nil.
func readObject(r *bufio.Reader, max int64) ([]byte, error) {
	hdr, err := r.ReadString('\n')
	if err != nil {
		return nil, fmt.Errorf("short output")
	}
	t := strings.TrimSpace(hdr)
	if strings.HasSuffix(t, " missing") || strings.HasSuffix(t, " ambiguous") {
		return nil, nil // NAME may hold blanks: "BASE:my file.c missing"
	}
	f := strings.Fields(t)
	if len(f) != 3 {
		return nil, fmt.Errorf("bad header %q", t)
	}
	n, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil || n < 0 {
		return nil, fmt.Errorf("bad header %q", t)
	}
	if f[1] != "blob" || n > max {
		if _, err := r.Discard(int(n) + 1); err != nil {
			return nil, fmt.Errorf("short object")
		}
		return nil, nil
	}
	data := make([]byte, n)
	if _, err := io.ReadFull(r, data); err != nil {
		return nil, fmt.Errorf("short object")
	}
	if _, err := r.Discard(1); err != nil { // the newline after the object
		return nil, fmt.Errorf("short object")
	}
	return data, nil
}

// catFile runs `git cat-file --batch` on req and hands its output to
// read as it comes, not read whole first.
func (g *gitRepo) catFile(req string, read func(*bufio.Reader) error) error {
	cmd := exec.Command("git", "cat-file", "--batch")
	cmd.Env = append(os.Environ(), "GIT_PAGER=cat", "LC_ALL=C")
	cmd.Stdin = strings.NewReader(req)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return g.errorf("git cat-file: %v", err)
	}
	if err := cmd.Start(); err != nil {
		return g.errorf("git cat-file: %v", err)
	}
	rerr := read(bufio.NewReaderSize(stdout, 64<<10))
	if rerr != nil {
		cmd.Process.Kill()
	}
	io.Copy(io.Discard, stdout)
	werr := cmd.Wait()
	if rerr != nil {
		return rerr
	}
	if werr != nil {
		msg, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n")
		return g.errorf("git cat-file: %s", strings.TrimPrefix(cmp.Or(msg, werr.Error()), "fatal: "))
	}
	return nil
}
