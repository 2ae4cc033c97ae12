package patch

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tagcheck/tagcheck/internal/limits"
	"github.com/tagcheck/tagcheck/report"
)

// ApplyToTree applies fp to the pre-image under root, in memory, as
// `patch -p1` would: offsets allowed (search outward from the header line),
// no fuzz. A hunk that does not apply is an error naming the file and the
// hunk: "fs/x.c: hunk #2 (@@ -10,7 +10,8 @@) does not apply at or near line 10".
//
// A whitespace-damaged patch (fp.Mangled) is matched with whitespace runs
// collapsed, as `patch -l` does; context lines then take the tree's text.
//
// The file in the tree must be a regular file of at most maxFile bytes
// (maxFile <= 0: any size); over it, the error is a
// *limits.TooLargeError naming fp.OldPath.
func ApplyToTree(root string, fp *FilePatch, maxFile int64) (*PostImage, error) {
	if fp.IsBinary {
		return nil, fmt.Errorf("%s: binary patch cannot be applied", fp.Path)
	}
	pre, preNoEOL, err := readPreImage(root, fp, maxFile)
	if err != nil {
		return nil, err
	}
	crlf := len(pre) > 0 && strings.HasSuffix(pre[0], "\r")
	eq := func(tree, patch string) bool {
		if tree == patch {
			return true
		}
		tree = strings.TrimSuffix(tree, "\r")
		if tree == patch {
			return true
		}
		return fp.Mangled && collapse(tree) == collapse(patch)
	}

	pi := &PostImage{Path: fp.Path, Whole: true, Indented: true}
	type origin struct {
		pre   int  // index in pre, or -1 for an added line
		noEOL bool // an added line marked "\ No newline"
	}
	var org []origin
	var lines []string
	emitPre := func(i int) {
		lines = append(lines, pre[i])
		org = append(org, origin{pre: i})
	}
	pos, offset := 0, 0
	var idx *lineIndex // built when a hunk is not where its header says
	for k, h := range fp.Hunks {
		old := oldSide(h)
		want := h.OldStart - 1 + offset
		if len(old) == 0 {
			want = h.OldStart + offset
		}
		at := -1
		match := func(c int) bool {
			if c < pos || c+len(old) > len(pre) {
				return false
			}
			for i, t := range old {
				if !eq(pre[c+i], t) {
					return false
				}
			}
			return true
		}
		switch {
		case match(want):
			at = want
		case len(old) == 0:
			// Pure insertion: the nearest place in range.
			at = min(max(want, pos), len(pre))
		default:
			if idx == nil {
				idx = indexLines(pre, fp.Mangled)
			}
			if at, err = idx.place(pre, old, want, pos, eq); err != nil {
				return nil, fmt.Errorf("%s: hunk #%d (%s): %v", fp.Path, k+1, hunkHead(h), err)
			}
		}
		if at < 0 {
			return nil, fmt.Errorf("%s: hunk #%d (%s) does not apply at or near line %d", fp.Path, k+1, hunkHead(h), max(h.OldStart, 1))
		}
		for i := pos; i < at; i++ {
			emitPre(i)
		}
		i := at
		var run deletionRun
		for _, l := range h.Lines {
			switch l.Op {
			case '-':
				run.minus(l.Text, len(lines))
				i++
			case '+':
				run.plus(l.Text, len(lines))
				t := l.Text
				if fp.Mangled {
					// The mail ate the indentation: borrow it from
					// the tree line the change sits before.
					if i < len(pre) && i < at+len(old) {
						t = leadingSpace(pre[i]) + t
					} else if n := len(lines); n > 0 {
						t = leadingSpace(lines[n-1]) + t
					}
				}
				if crlf {
					t += "\r"
				}
				lines = append(lines, t)
				pi.added = append(pi.added, len(lines))
				org = append(org, origin{pre: -1, noEOL: l.NoNewline})
			default:
				run.flush(pi)
				emitPre(i)
				i++
			}
		}
		run.flush(pi)
		pos = at + len(old)
		offset = at - (h.OldStart - 1)
		if len(old) == 0 {
			offset = at - h.OldStart
		}
	}
	for i := pos; i < len(pre); i++ {
		emitPre(i)
	}
	if n := len(org); n > 0 {
		last := org[n-1]
		pi.NoEOL = last.noEOL || last.pre >= 0 && last.pre == len(pre)-1 && preNoEOL
	}
	pi.Text, pi.Len = report.AllLines(lines), len(lines)
	pi.resolveJumps()
	if fp.IsDeleted && len(lines) > 0 {
		return nil, fmt.Errorf("%s: deleting patch leaves %d lines behind", fp.Path, len(lines))
	}
	return pi, nil
}

// readPreImage reads the file fp changes from the tree, as lines; a new
// file has none.
func readPreImage(root string, fp *FilePatch, maxFile int64) (pre []string, noEOL bool, err error) {
	if fp.IsNew {
		return nil, false, nil
	}
	p, err := treePath(root, fp.OldPath)
	if err != nil {
		return nil, false, err
	}
	data, err := limits.ReadRegular(p, "--max-file", maxFile)
	if tooLarge := (*limits.TooLargeError)(nil); errors.As(err, &tooLarge) {
		tooLarge.Name = fp.OldPath
		return nil, false, tooLarge
	}
	if err != nil {
		return nil, false, fmt.Errorf("%s: %v", fp.OldPath, err)
	}
	s := string(data)
	if s != "" {
		noEOL = !strings.HasSuffix(s, "\n")
		pre = strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	}
	return pre, noEOL, nil
}

// oldSide is the text a hunk expects in the tree: its context and
// removed lines.
func oldSide(h *Hunk) []string {
	var old []string
	for _, l := range h.Lines {
		if l.Op != '+' {
			old = append(old, l.Text)
		}
	}
	return old
}

// treePath joins a patch path to root, refusing paths that leave the
// tree, by name or through a symbolic link inside it (a tree of unknown
// code must not make tagcheck read, and report on, a file elsewhere).
func treePath(root, p string) (string, error) {
	c := filepath.Clean(filepath.FromSlash(p))
	if p == "" || filepath.IsAbs(c) || c == ".." || strings.HasPrefix(c, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s: path outside the tree", p)
	}
	full := filepath.Join(root, c)
	real, err := filepath.EvalSymlinks(full)
	if err != nil {
		return full, nil // missing: reading it says so
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", fmt.Errorf("%s: %v", root, err)
	}
	if rel, err := filepath.Rel(realRoot, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s: a symbolic link in the tree leads outside it (to %s); refusing to read it", p, real)
	}
	return full, nil
}

// lineIndex finds where a hunk's old lines may sit in a file without
// trying every offset: the hunk's rarest line (its anchor) fixes the
// candidates, so placing a 30 KB hunk in a 1M-line file costs the
// anchor's occurrences, not the product of the sizes.
type lineIndex struct {
	at      map[string][]int // key of a line -> its indexes, ascending
	mangled bool
	budget  int // line comparisons left for verifying candidates
}

// maxPlaceCompares bounds the comparisons spent placing the hunks of one
// file: a hunk made only of lines that recur everywhere, near-matching at
// every candidate, is refused rather than costing minutes.
const maxPlaceCompares = 1 << 24

func indexLines(pre []string, mangled bool) *lineIndex {
	x := &lineIndex{at: map[string][]int{}, mangled: mangled, budget: maxPlaceCompares}
	for i, l := range pre {
		k := x.key(l)
		x.at[k] = append(x.at[k], i)
	}
	return x
}

// key is what eq compares, loosened so that lines eq accepts share it.
func (x *lineIndex) key(s string) string {
	if x.mangled {
		return collapse(s)
	}
	return strings.TrimRight(s, "\r")
}

// place returns the start in pre at or after pos nearest want (want+d
// before want-d, as patch searches) where old matches by eq, or -1.
func (x *lineIndex) place(pre, old []string, want, pos int, eq func(tree, patch string) bool) (int, error) {
	anchor, occ := 0, -1
	for i, l := range old {
		if n := len(x.at[x.key(l)]); occ < 0 || n < occ {
			anchor, occ = i, n
		}
	}
	var cands []int
	for _, p := range x.at[x.key(old[anchor])] {
		if c := p - anchor; c >= pos {
			cands = append(cands, c)
		}
	}
	slices.SortFunc(cands, func(a, b int) int {
		da, db := abs(a-want), abs(b-want)
		if da != db {
			return da - db
		}
		return b - a // want+d before want-d
	})
	for _, c := range cands {
		if c+len(old) > len(pre) {
			continue
		}
		i := 0
		for i < len(old) && eq(pre[c+i], old[i]) {
			i++
		}
		if i == len(old) {
			return c, nil
		}
		if x.budget -= i + 1; x.budget < 0 {
			return -1, fmt.Errorf("too costly to place: its lines recur throughout the file (over %d line comparisons)", maxPlaceCompares)
		}
	}
	return -1, nil
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// collapse trims s and reduces each run of blanks to one space.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func leadingSpace(s string) string {
	return s[:len(s)-len(strings.TrimLeft(s, " \t"))]
}
