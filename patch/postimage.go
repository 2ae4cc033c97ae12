package patch

import "strings"

// PostImage is one file's text after the patch, in post-image line numbers.
type PostImage struct {
	Path  string
	Whole bool     // the entire file is known (tree mode, new files)
	Lines []string // Lines[i] is post-image line i+1; unseen lines are ""
	Seen  []bool   // Seen[i]: line i+1 is shown by the patch (always true when Whole)
	Added []bool   // Added[i]: line i+1 is a '+' line of the patch
	Gaps  int      // runs of unseen lines between hunks of one function (see Units)

	// NoEOL is set when a Whole image does not end with a newline.
	NoEOL bool
	// Indented reports whether the lines keep their indentation (false for
	// a whitespace-damaged patch); Units uses it to judge what a gap held.
	Indented bool

	sections map[int]string // first post-image line of a hunk → its @@ section
	// removed holds the call statements the patch deletes right after a
	// post-image line, by that line (see Units).
	removed map[int][]string
}

// ChangedAt reports whether the patch adds line (1-based) or deletes
// lines right after it.
func (pi *PostImage) ChangedAt(line int) bool {
	return line >= 1 && line <= len(pi.Added) && (pi.Added[line-1] || len(pi.removed[line]) > 0)
}

// Bytes returns the text of a Whole image as it would be written to disk.
func (pi *PostImage) Bytes() []byte {
	n := 0
	for _, l := range pi.Lines {
		n += len(l) + 1
	}
	b := make([]byte, 0, n)
	for i, l := range pi.Lines {
		b = append(b, l...)
		if i < len(pi.Lines)-1 || !pi.NoEOL {
			b = append(b, '\n')
		}
	}
	return b
}

// PostLines is the number of lines Fragments allocates: the last
// post-image line a hunk reaches. Unseen lines before it cost memory too,
// so a caller bounds the sum over a patch's files (MaxPostLines).
func (fp *FilePatch) PostLines() int {
	n := 0
	for _, h := range fp.Hunks {
		ln := max(h.NewStart, 1)
		for _, l := range h.Lines {
			if l.Op != '-' {
				ln++
			}
		}
		n = max(n, ln-1)
	}
	return n
}

// MaxPostLines bounds the post-image lines of all the files of one patch
// checked without a tree: hunks far down many files (25 files at line
// 4,194,300 took 3 GB) are refused rather than allocated.
const MaxPostLines = MaxLineNumber

// Fragments builds the post-image a patch alone shows (no tree).
func (fp *FilePatch) Fragments() *PostImage {
	pi := &PostImage{Path: fp.Path, Indented: !fp.Mangled, sections: map[int]string{}}
	if fp.IsDeleted {
		pi.Whole = true
		return pi
	}
	if fp.IsBinary {
		return pi
	}
	n := fp.PostLines()
	pi.Lines = make([]string, n)
	pi.Seen = make([]bool, n)
	pi.Added = make([]bool, n)
	for _, h := range fp.Hunks {
		ln := max(h.NewStart, 1)
		first := true
		var deleted []string // call statements of the run of '-' lines just read
		mixed := false       // the run is a replacement: '+' lines beside it
		for _, l := range h.Lines {
			switch {
			case l.Op == '-':
				if !first && callStatement(l.Text) {
					deleted = append(deleted, strings.TrimSpace(l.Text))
				}
				continue
			case l.Op == '+':
				mixed = true
			default:
				pi.noteRemoved(ln-1, deleted, mixed)
				deleted, mixed = nil, false
			}
			if first {
				if _, ok := pi.sections[ln]; !ok {
					pi.sections[ln] = h.Section
				}
				first = false
			}
			pi.Lines[ln-1] = l.Text
			pi.Seen[ln-1] = true
			pi.Added[ln-1] = l.Op == '+'
			if l.NoNewline && ln == n {
				pi.NoEOL = true
			}
			ln++
		}
		pi.noteRemoved(ln-1, deleted, mixed)
	}
	if fp.IsNew {
		pi.Whole = true
		for _, s := range pi.Seen {
			if !s {
				pi.Whole = false
				break
			}
		}
	}
	if !pi.Whole {
		pi.Gaps = wrap(pi).gaps
	}
	return pi
}

// noteRemoved records the calls a pure deletion removes after line: a
// run of '-' lines that '+' lines replace is a rewrite whose new text
// speaks for itself (task_unlock(task) becoming clear_reader_nsproxy(task)).
func (pi *PostImage) noteRemoved(line int, calls []string, mixed bool) {
	if len(calls) == 0 || mixed || line < 1 {
		return
	}
	if pi.removed == nil {
		pi.removed = map[int][]string{}
	}
	pi.removed[line] = append(pi.removed[line], calls...)
}

// callStatement reports whether l is one plain call statement, name(args);
// with nothing in it that could hide its end (strings, comments).
func callStatement(l string) bool {
	call, ok := strings.CutSuffix(strings.TrimSpace(l), ";")
	return ok && !strings.Contains(call, "=") && completeSig(call) && sigNameAt(call) == 0 && sigName(call) != ""
}

// indentUnit reports how the seen lines are indented: "\t", a run of
// spaces, or "" when the text carries no usable indentation.
func indentUnit(pi *PostImage) string {
	if !pi.Indented {
		return ""
	}
	spaces := 0
	for i, l := range pi.Lines {
		if i >= len(pi.Seen) || !pi.Seen[i] || l == "" {
			continue
		}
		if l[0] == '\t' {
			return "\t"
		}
		if l[0] == ' ' {
			k := len(l) - len(strings.TrimLeft(l, " "))
			if k < len(l) && l[k] != '*' && (spaces == 0 || k < spaces) && k <= 8 {
				spaces = k
			}
		}
	}
	if spaces > 0 {
		return strings.Repeat(" ", spaces)
	}
	return ""
}
