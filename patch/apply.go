package patch

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ApplyToTree applies fp to the pre-image under root, in memory, as
// `patch -p1` would: offsets allowed (search outward from the header line),
// no fuzz. A hunk that does not apply is an error naming the file and the
// hunk: "fs/x.c: hunk #2 (@@ -10,7 +10,8 @@) does not apply at or near line 10".
//
// A whitespace-damaged patch (fp.Mangled) is matched with whitespace runs
// collapsed, as `patch -l` does; context lines then take the tree's text.
func ApplyToTree(root string, fp *FilePatch) (*PostImage, error) {
	if fp.IsBinary {
		return nil, fmt.Errorf("%s: binary patch cannot be applied", fp.Path)
	}
	var pre []string
	preNoEOL := false
	if !fp.IsNew {
		p, err := treePath(root, fp.OldPath)
		if err != nil {
			return nil, err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", fp.OldPath, err)
		}
		s := string(data)
		if s != "" {
			preNoEOL = !strings.HasSuffix(s, "\n")
			pre = strings.Split(strings.TrimSuffix(s, "\n"), "\n")
		}
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
	emitPre := func(i int) {
		pi.Lines = append(pi.Lines, pre[i])
		pi.Added = append(pi.Added, false)
		org = append(org, origin{pre: i})
	}
	pos, offset := 0, 0
	for k, h := range fp.Hunks {
		var old []string
		for _, l := range h.Lines {
			if l.Op != '+' {
				old = append(old, l.Text)
			}
		}
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
		for d := 0; d <= len(pre)+1; d++ {
			if match(want + d) {
				at = want + d
				break
			}
			if d > 0 && match(want-d) {
				at = want - d
				break
			}
			if want+d > len(pre) && want-d < pos {
				break
			}
		}
		if at < 0 {
			return nil, fmt.Errorf("%s: hunk #%d (%s) does not apply at or near line %d", fp.Path, k+1, hunkHead(h), max(h.OldStart, 1))
		}
		for i := pos; i < at; i++ {
			emitPre(i)
		}
		i := at
		for _, l := range h.Lines {
			switch l.Op {
			case '-':
				i++
			case '+':
				t := l.Text
				if fp.Mangled {
					// The mail ate the indentation: borrow it from
					// the tree line the change sits before.
					if i < len(pre) && i < at+len(old) {
						t = leadingSpace(pre[i]) + t
					} else if n := len(pi.Lines); n > 0 {
						t = leadingSpace(pi.Lines[n-1]) + t
					}
				}
				if crlf {
					t += "\r"
				}
				pi.Lines = append(pi.Lines, t)
				pi.Added = append(pi.Added, true)
				org = append(org, origin{pre: -1, noEOL: l.NoNewline})
			default:
				emitPre(i)
				i++
			}
		}
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
	pi.Seen = make([]bool, len(pi.Lines))
	for i := range pi.Seen {
		pi.Seen[i] = true
	}
	if fp.IsDeleted && len(pi.Lines) > 0 {
		return nil, fmt.Errorf("%s: deleting patch leaves %d lines behind", fp.Path, len(pi.Lines))
	}
	return pi, nil
}

// treePath joins a patch path to root, refusing paths that leave the tree.
func treePath(root, p string) (string, error) {
	c := filepath.Clean(filepath.FromSlash(p))
	if p == "" || filepath.IsAbs(c) || c == ".." || strings.HasPrefix(c, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s: path outside the tree", p)
	}
	return filepath.Join(root, c), nil
}

// collapse trims s and reduces each run of blanks to one space.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func leadingSpace(s string) string {
	return s[:len(s)-len(strings.TrimLeft(s, " \t"))]
}
