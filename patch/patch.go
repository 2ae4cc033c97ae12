// Package patch reads what a reviewer receives — patches, e-mails, mboxes,
// git output — into file patches, builds their post-images (applied to a
// tree, or from the hunks alone), and cuts post-images into units: C text
// whose line N is post-image line N, ready for the C front end (package
// cparse). It does not parse C, and does not import tree-sitter.
package patch

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Patch is one commit or e-mail: a unified diff with its header.
type Patch struct {
	Source  string // input name as given (file name, "-", "git:REV")
	Line    int    // 1-based line in the input where this patch starts
	Subject string // from the mail/commit header, if any
	Author  string
	Files   []*FilePatch
	Notes   []string // warnings with their place, e.g. "x.eml:120: binary patch for fw.bin skipped"
}

// FilePatch is one file's change. Paths have no a/ b/ prefix.
type FilePatch struct {
	OldPath, NewPath                     string // "" for /dev/null
	Path                                 string // NewPath, or OldPath when deleted
	IsNew, IsDeleted, IsRename, IsBinary bool
	Hunks                                []*Hunk
	Line                                 int // input line of the "diff"/"---" header

	// IsCopy is set for "copy from/to" git headers.
	IsCopy bool
	// OldBlob is the object name, often abbreviated, that git's "index"
	// line gives the pre-image ("" without one, or for a new file): a
	// repository holding that blob holds the whole file the patch
	// applies to.
	OldBlob string
	// Mangled is set when the patch reached us with its whitespace damaged
	// (context lines without their leading blank, as in a quoted reply whose
	// mail path collapsed indentation). Hunk line texts then have their
	// leading whitespace removed, and ApplyToTree compares lines with
	// whitespace runs collapsed (like patch -l).
	Mangled bool
}

// Hunk is one @@ section of a file patch.
type Hunk struct {
	OldStart, OldLines, NewStart, NewLines int
	Section                                string // the text after the closing @@ (git's function context)
	Lines                                  []HunkLine
	Line                                   int // input line of the @@ header
}

// HunkLine is one line of a hunk body.
type HunkLine struct {
	Op        byte   // ' ', '+', '-'
	Text      string // without the op character and without the newline
	NoNewline bool   // followed by "\ No newline at end of file"
}

// MaxLineNumber bounds the line numbers a hunk header may name; larger
// numbers are rejected as not a patch (no source file is that long).
const MaxLineNumber = 1 << 22

// line is one input line after CR stripping (and, for MIME parts, after
// decoding), with the 1-based input line it came from.
type line struct {
	s string
	n int
}

type parser struct {
	name  string
	notes []string // notes not yet attached to a patch
	total int      // number of input lines
}

func (ps *parser) notef(n int, format string, args ...any) {
	ps.notes = append(ps.notes, fmt.Sprintf("%s:%d: ", ps.name, n)+fmt.Sprintf(format, args...))
}

func (ps *parser) errf(n int, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", ps.name, n, fmt.Sprintf(format, args...))
}

// ParsePatches reads every patch in data: a plain unified diff, git
// format-patch output, an mbox holding a series, a single e-mail (including
// quoted-printable/base64 bodies and text/x-patch MIME parts), or a quoted
// reply like the seed. Errors are "name:line: what: cause" and mean the input
// cannot be understood (exit 2 upstream). Input with no diff at all returns
// no patches and no error (the caller prints a note).
func ParsePatches(name string, data []byte) ([]*Patch, error) {
	if n, bad := binaryLine(data); bad {
		return nil, fmt.Errorf("%s: line %d: not a text patch (binary data)", name, n)
	}
	ps := &parser{name: name}
	lines := splitLines(lineBreaks(data), 1)
	ps.total = len(lines)
	ps.checkUTF8(lines)
	pre := ps.notes
	ps.notes = nil

	var out []*Patch
	for _, seg := range ps.splitMessages(lines) {
		p, err := ps.parseSegment(seg)
		if err != nil {
			return nil, err
		}
		if p != nil {
			out = append(out, p)
		}
	}
	if len(pre) > 0 || len(ps.notes) > 0 {
		if len(out) > 0 {
			out[0].Notes = append(append(pre, out[0].Notes...), ps.notes...)
		}
	}
	return out, nil
}

// binaryLine reports whether data is binary rather than text: it holds a NUL
// byte, or its start is dense with control bytes. n is the offending line.
func binaryLine(data []byte) (int, bool) {
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return 1 + bytes.Count(data[:i], []byte{'\n'}), true
	}
	sample := data
	if len(sample) > 64<<10 {
		sample = sample[:64<<10]
	}
	ctrl, first := 0, -1
	for i, c := range sample {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1b || c == 0x7f {
			ctrl++
			if first < 0 {
				first = i
			}
		}
	}
	if ctrl > 0 && ctrl*100 > len(sample) {
		return 1 + bytes.Count(sample[:first], []byte{'\n'}), true
	}
	// Mostly high bytes that do not form UTF-8: random data, not a
	// Latin-1 mail (which is mostly ASCII).
	if len(sample) >= 64 {
		high, invalid := 0, 0
		for i := 0; i < len(sample); {
			r, sz := utf8.DecodeRune(sample[i:])
			if sample[i] >= 0x80 {
				high += sz
				if r == utf8.RuneError && sz == 1 {
					invalid++
				}
			}
			i += sz
		}
		if high*100 > len(sample)*40 && invalid*100 > high*50 {
			return 1, true
		}
	}
	return 0, false
}

// lineBreaks returns data as text with '\n' line ends. Input with
// classic Mac line ends (a lone '\r' ends more lines than '\n' does)
// would otherwise be one line holding the whole diff.
func lineBreaks(data []byte) string {
	lf := bytes.Count(data, []byte{'\n'})
	crlf := bytes.Count(data, []byte("\r\n"))
	if bytes.Count(data, []byte{'\r'})-crlf <= lf {
		return string(data)
	}
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// splitLines splits s at '\n', dropping one trailing '\r' from each line.
// first is the number of the first line.
func splitLines(s string, first int) []line {
	n := strings.Count(s, "\n") + 1
	out := make([]line, 0, n)
	for len(s) > 0 {
		i := strings.IndexByte(s, '\n')
		var l string
		if i < 0 {
			l, s = s, ""
		} else {
			l, s = s[:i], s[i+1:]
		}
		l = strings.TrimSuffix(l, "\r")
		out = append(out, line{l, first + len(out)})
	}
	return out
}

func (ps *parser) checkUTF8(lines []line) {
	bad, first := 0, 0
	for _, l := range lines {
		if !utf8.ValidString(l.s) {
			if bad == 0 {
				first = l.n
			}
			bad++
		}
	}
	switch {
	case bad == 1:
		ps.notef(first, "invalid UTF-8, kept as bytes")
	case bad > 1:
		ps.notef(first, "invalid UTF-8 on %d lines (first here), kept as bytes", bad)
	}
}

// quoteLevel returns the number of mail quote markers ('>') at the start of
// s and the text after them and one optional blank.
func quoteLevel(s string) (int, string) {
	lvl, i := 0, 0
	for i < len(s) && s[i] == '>' {
		lvl++
		i++
		if i+1 < len(s) && s[i] == ' ' && s[i+1] == '>' {
			i++
		}
	}
	if lvl > 0 && i < len(s) && s[i] == ' ' {
		i++
	}
	return lvl, s[i:]
}

// strip returns the text of s as a line of a patch quoted at level lvl. ok
// is false when s is not quoted at that level (reviewer text between quoted
// hunks).
func strip(s string, lvl int) (string, bool) {
	if lvl == 0 {
		return s, true
	}
	i := 0
	for k := 0; k < lvl; k++ {
		if i >= len(s) || s[i] != '>' {
			return "", false
		}
		i++
		if k < lvl-1 && i+1 < len(s) && s[i] == ' ' && s[i+1] == '>' {
			i++
		}
	}
	if i < len(s) && s[i] == ' ' {
		i++
	}
	return s[i:], true
}

// parseHunkHeader parses "@@ -a,b +c,d @@ section".
func parseHunkHeader(s string) (h *Hunk, ok bool, err error) {
	if !strings.HasPrefix(s, "@@ -") {
		return nil, false, nil
	}
	rest := s[4:]
	end := strings.Index(rest, " @@")
	if end < 0 {
		if strings.HasSuffix(rest, "@@") {
			return nil, false, nil
		}
		return nil, false, nil
	}
	spec := rest[:end]
	section := rest[end+3:]
	if strings.HasPrefix(section, "@") { // combined diff "@@@"
		return nil, false, nil
	}
	section = strings.TrimPrefix(section, " ")
	oldSpec, newSpec, found := strings.Cut(spec, " +")
	if !found {
		return nil, false, nil
	}
	h = &Hunk{Section: section}
	var e1, e2 error
	h.OldStart, h.OldLines, e1 = parseRange(oldSpec)
	h.NewStart, h.NewLines, e2 = parseRange(newSpec)
	if e1 != nil || e2 != nil {
		if e1 == nil {
			e1 = e2
		}
		return nil, true, fmt.Errorf("bad hunk header %q: %v", s, e1)
	}
	return h, true, nil
}

func parseRange(s string) (start, count int, err error) {
	a, b, hasCount := strings.Cut(s, ",")
	start, err = parseNum(a)
	if err != nil {
		return
	}
	count = 1
	if hasCount {
		count, err = parseNum(b)
	}
	return
}

func parseNum(s string) (int, error) {
	if s == "" || len(s) > 9 {
		if s == "" {
			return 0, fmt.Errorf("missing number")
		}
		return 0, fmt.Errorf("line number %s out of range", s)
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("bad number %q", s)
		}
	}
	n, _ := strconv.Atoi(s)
	if n > MaxLineNumber {
		return 0, fmt.Errorf("line number %d out of range", n)
	}
	return n, nil
}

// isFileHeader reports whether lines[i] (at quote level lvl) starts a file
// patch: "diff --git", or "--- X" directly followed by "+++ Y".
func isFileHeader(lines []line, i, lvl int) bool {
	t, ok := strip(lines[i].s, lvl)
	if !ok {
		return false
	}
	if strings.HasPrefix(t, "diff --git ") {
		return true
	}
	if strings.HasPrefix(t, "--- ") && i+1 < len(lines) {
		n, ok := strip(lines[i+1].s, lvl)
		return ok && strings.HasPrefix(n, "+++ ")
	}
	return false
}

// diffState carries a file patch across the lines of one message.
type diffState struct {
	ps      *parser
	pt      *Patch
	cur     *FilePatch
	lvl     int
	eof     bool // these lines end the input
	mangled int  // first line with an op-less context line, 0 if none

	// quotedFrom is the first "From:" line at each quote level: in a
	// quoted reply it names the author of the quoted patch.
	quotedFrom map[int]string
}

// parseDiff finds the file patches in lines (one message body or MIME part)
// and appends them to pt.
func (ps *parser) parseDiff(pt *Patch, lines []line, eof bool) error {
	st := &diffState{ps: ps, pt: pt, eof: eof}
	for i := 0; i < len(lines); {
		lvl, txt := quoteLevel(lines[i].s)
		if lvl > 0 && strings.HasPrefix(txt, "From: ") && st.quotedFrom[lvl] == "" {
			if st.quotedFrom == nil {
				st.quotedFrom = map[int]string{}
			}
			st.quotedFrom[lvl] = strings.TrimSpace(txt[6:])
		}
		if st.cur != nil && lvl == st.lvl && strings.HasPrefix(txt, "@@ -") {
			next, err := st.hunk(lines, i)
			if err != nil {
				return err
			}
			i = next
			continue
		}
		if isFileHeader(lines, i, lvl) {
			next, err := st.file(lines, i, lvl)
			if err != nil {
				return err
			}
			i = next
			continue
		}
		if strings.HasPrefix(txt, "Binary files ") && strings.HasSuffix(txt, " differ") {
			// A plain diff's "Binary files a/x and b/y differ".
			names := strings.TrimSuffix(strings.TrimPrefix(txt, "Binary files "), " differ")
			o, n, _ := strings.Cut(names, " and ")
			o, n = stripPrefixes(devNull(o), devNull(n))
			fp := &FilePatch{OldPath: o, NewPath: n, Path: n, IsBinary: true, Line: lines[i].n, IsNew: o == "", IsDeleted: n == ""}
			if fp.Path == "" {
				fp.Path = o
			}
			if fp.Path != "" {
				pt.Files = append(pt.Files, fp)
				ps.notef(lines[i].n, "binary patch for %s skipped", fp.Path)
			}
			st.cur = nil
		}
		if st.cur != nil && lvl == st.lvl && len(st.cur.Hunks) > 0 {
			if len(txt) > 0 && (txt[0] == '+' || txt[0] == '-') && !strings.HasPrefix(txt, "-- ") && txt != "--" && !strings.HasPrefix(txt, "---") && !strings.HasPrefix(txt, "+++") {
				h := st.cur.Hunks[len(st.cur.Hunks)-1]
				ps.notef(lines[i].n, "line after hunk #%d (%s) of %s looks like part of it; hunk header counts too small? ignored", len(st.cur.Hunks), hunkHead(h), st.cur.Path)
				st.cur = nil
			}
		}
		i++
	}
	if st.mangled > 0 {
		for _, fp := range pt.Files {
			if !fp.Mangled {
				fp.Mangled = true
				for _, h := range fp.Hunks {
					for k := range h.Lines {
						h.Lines[k].Text = strings.TrimLeft(h.Lines[k].Text, " \t")
					}
				}
			}
		}
		ps.notef(st.mangled, "whitespace damaged (context lines without their leading blank); indentation ignored, columns approximate")
	}
	return nil
}

func hunkHead(h *Hunk) string {
	return fmt.Sprintf("@@ -%d,%d +%d,%d @@", h.OldStart, h.OldLines, h.NewStart, h.NewLines)
}

// file parses a file header at lines[i] and its hunks.
func (st *diffState) file(lines []line, i, lvl int) (int, error) {
	ps := st.ps
	start := i
	fp := &FilePatch{Line: lines[i].n}
	t, _ := strip(lines[i].s, lvl)
	git := strings.HasPrefix(t, "diff --git ")
	var gitOld, gitNew string
	if git {
		gitOld, gitNew = parseGitNames(t[len("diff --git "):])
		fp.OldPath, fp.NewPath = gitOld, gitNew
		i++
	ext:
		for ; i < len(lines); i++ {
			t, ok := strip(lines[i].s, lvl)
			if !ok {
				break
			}
			switch {
			case strings.HasPrefix(t, "new file mode"):
				fp.IsNew = true
			case strings.HasPrefix(t, "deleted file mode"):
				fp.IsDeleted = true
			case strings.HasPrefix(t, "rename from "):
				fp.IsRename = true
				fp.OldPath = unquoteName(t[len("rename from "):])
			case strings.HasPrefix(t, "rename to "):
				fp.IsRename = true
				fp.NewPath = unquoteName(t[len("rename to "):])
			case strings.HasPrefix(t, "copy from "):
				fp.IsCopy = true
				fp.OldPath = unquoteName(t[len("copy from "):])
			case strings.HasPrefix(t, "copy to "):
				fp.IsCopy = true
				fp.NewPath = unquoteName(t[len("copy to "):])
			case strings.HasPrefix(t, "index "):
				fp.OldBlob = oldBlob(t[len("index "):])
			case strings.HasPrefix(t, "old mode "), strings.HasPrefix(t, "new mode "),
				strings.HasPrefix(t, "similarity index "), strings.HasPrefix(t, "dissimilarity index "):
			case strings.HasPrefix(t, "Binary files ") && strings.HasSuffix(t, " differ"):
				fp.IsBinary = true
			case t == "GIT binary patch":
				fp.IsBinary = true
				i = skipBinary(lines, i+1, lvl) - 1
			default:
				break ext
			}
		}
	}
	if i+1 < len(lines) {
		a, okA := strip(lines[i].s, lvl)
		b, okB := strip(lines[i+1].s, lvl)
		if okA && okB && strings.HasPrefix(a, "--- ") && strings.HasPrefix(b, "+++ ") {
			if !git {
				fp.Line = lines[i].n
			}
			o := headerName(a[4:])
			n := headerName(b[4:])
			if !git {
				o, n = stripPrefixes(o, n)
			} else {
				o, n = stripGit(o, "a/"), stripGit(n, "b/")
			}
			if o == "" {
				fp.IsNew = true
			}
			if n == "" {
				fp.IsDeleted = true
			}
			fp.OldPath, fp.NewPath = o, n
			i += 2
		}
	}
	if fp.IsNew {
		fp.OldPath = ""
	}
	if fp.IsDeleted {
		fp.NewPath = ""
	}
	fp.Path = fp.NewPath
	if fp.Path == "" {
		fp.Path = fp.OldPath
	}
	if fp.Path == "" {
		ps.notef(fp.Line, "file header without a file name skipped")
		st.cur = nil
		return max(i, start+1), nil
	}
	if fp.IsBinary {
		ps.notef(fp.Line, "binary patch for %s skipped", fp.Path)
		st.pt.Files = append(st.pt.Files, fp)
		st.cur = nil
		return i, nil
	}
	if lvl > 0 && len(st.pt.Files) == 0 && st.quotedFrom[lvl] != "" {
		st.pt.Author = st.quotedFrom[lvl]
	}
	st.pt.Files = append(st.pt.Files, fp)
	st.cur, st.lvl = fp, lvl
	return i, nil
}

// skipBinary skips the body of a "GIT binary patch" (literal/delta blocks of
// base85 lines separated by blank lines) and returns the next line.
func skipBinary(lines []line, i, lvl int) int {
	for i < len(lines) {
		t, ok := strip(lines[i].s, lvl)
		if !ok {
			return i
		}
		switch {
		case strings.HasPrefix(t, "literal ") || strings.HasPrefix(t, "delta "):
		case t == "":
			if i+1 < len(lines) {
				n, _ := strip(lines[i+1].s, lvl)
				if strings.HasPrefix(n, "literal ") || strings.HasPrefix(n, "delta ") {
					break
				}
			}
			return i + 1
		case isBase85Line(t):
		default:
			return i
		}
		i++
	}
	return i
}

func isBase85Line(t string) bool {
	if len(t) < 2 {
		return false
	}
	c := t[0]
	if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
		return false
	}
	return !strings.ContainsAny(t, " \t")
}

// hunk parses the hunk whose header is lines[i] into st.cur.
func (st *diffState) hunk(lines []line, i int) (int, error) {
	ps, fp, lvl := st.ps, st.cur, st.lvl
	t, _ := strip(lines[i].s, lvl)
	h, ok, err := parseHunkHeader(t)
	if err != nil {
		return 0, ps.errf(lines[i].n, "%v", err)
	}
	if !ok {
		return i + 1, nil
	}
	h.Line = lines[i].n
	num := len(fp.Hunks) + 1
	fp.Hunks = append(fp.Hunks, h)
	oldRem, newRem := h.OldLines, h.NewLines
	h.Lines = make([]HunkLine, 0, min(max(oldRem, newRem), len(lines)-i))
	j := i + 1
	last := lines[i].n
	early := false
loop:
	for (oldRem > 0 || newRem > 0) && j < len(lines) {
		t, ok := strip(lines[j].s, lvl)
		if !ok {
			early = true
			break
		}
		if strings.HasPrefix(t, "@@ -") || isFileHeader(lines, j, lvl) {
			early = true
			break
		}
		op := byte(' ')
		text := t
		if t != "" {
			op = t[0]
		}
		switch op {
		case ' ':
			if t != "" {
				text = t[1:]
			}
			fallthrough
		default:
			if op != ' ' {
				if st.mangled == 0 {
					st.mangled = lines[j].n
				}
			}
			if oldRem == 0 || newRem == 0 {
				early = true
				break loop
			}
			oldRem--
			newRem--
			h.Lines = append(h.Lines, HunkLine{Op: ' ', Text: text})
		case '-':
			if oldRem == 0 {
				early = true
				break loop
			}
			oldRem--
			h.Lines = append(h.Lines, HunkLine{Op: '-', Text: t[1:]})
		case '+':
			if newRem == 0 {
				early = true
				break loop
			}
			newRem--
			h.Lines = append(h.Lines, HunkLine{Op: '+', Text: t[1:]})
		case '\\':
			if len(h.Lines) > 0 {
				h.Lines[len(h.Lines)-1].NoNewline = true
			}
		}
		last = lines[j].n
		j++
	}
	// A "\ No newline" after the last counted line belongs to the hunk.
	if j < len(lines) {
		if t, ok := strip(lines[j].s, lvl); ok && strings.HasPrefix(t, "\\ ") {
			if len(h.Lines) > 0 {
				h.Lines[len(h.Lines)-1].NoNewline = true
			}
			j++
		}
	}
	if oldRem > 0 || newRem > 0 {
		more := max(oldRem, newRem)
		if !early && j >= len(lines) && st.eof {
			return 0, ps.errf(last, "hunk #%d of %s ends early: expected %d more lines", num, fp.Path, more)
		}
		ps.notef(last, "hunk #%d of %s ends early: expected %d more lines", num, fp.Path, more)
	}
	return j, nil
}

// oldBlob returns the pre-image's object name of an "index OLD..NEW
// [MODE]" line: hexadecimal, 7 to 64 digits, not all zero (a file the
// patch creates); "" otherwise.
func oldBlob(s string) string {
	old, _, ok := strings.Cut(s, "..")
	if !ok || len(old) < 7 || len(old) > 64 || strings.Trim(old, "0") == "" {
		return ""
	}
	for i := 0; i < len(old); i++ {
		if c := old[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return ""
		}
	}
	return old
}
