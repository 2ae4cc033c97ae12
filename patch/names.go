package patch

import (
	"strconv"
	"strings"
)

// File names in diff headers: a/ and b/ prefixes, /dev/null, quoted names.

// headerName extracts the file name of a ---/+++ line: unquoted, without the
// trailing timestamp.
func headerName(s string) string {
	if strings.HasPrefix(s, "\"") {
		if n, rest, ok := cutQuoted(s); ok {
			_ = rest
			return devNull(n)
		}
	}
	if i := strings.IndexByte(s, '\t'); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimRight(s, " ")
	return devNull(s)
}

func devNull(s string) string {
	if s == "/dev/null" {
		return ""
	}
	return s
}

func stripGit(s, prefix string) string {
	if s == "" {
		return ""
	}
	if strings.HasPrefix(s, prefix) {
		return s[len(prefix):]
	}
	// --src-prefix/--dst-prefix variants (i/ w/ c/ o/) and -p1 generally.
	if i := strings.IndexByte(s, '/'); i == 1 {
		return s[2:]
	}
	return s
}

// stripPrefixes removes the first path component as patch -p1 does when the
// names carry one (a/ b/, or linux.orig/ linux/).
func stripPrefixes(o, n string) (string, string) {
	first := func(s string) (string, string, bool) {
		a, b, ok := strings.Cut(s, "/")
		return a, b, ok && a != "" && b != ""
	}
	fo, ro, okO := first(o)
	fn, rn, okN := first(n)
	switch {
	case o == "" && okN && (fn == "b" || fn == "a"):
		return "", rn
	case n == "" && okO && (fo == "a" || fo == "b"):
		return ro, ""
	case o == "" || n == "":
		return o, n
	case okO && okN && (fo != fn || fo == "a" || fo == "b"):
		return ro, rn
	}
	return o, n
}

// parseGitNames splits the names of a "diff --git a/X b/Y" line.
func parseGitNames(s string) (string, string) {
	if strings.HasPrefix(s, "\"") {
		a, rest, ok := cutQuoted(s)
		if ok {
			rest = strings.TrimPrefix(rest, " ")
			b := rest
			if strings.HasPrefix(rest, "\"") {
				b, _, _ = cutQuoted(rest)
			}
			return stripGit(a, "a/"), stripGit(b, "b/")
		}
	}
	if strings.HasSuffix(s, "\"") {
		if i := strings.LastIndex(s[:len(s)-1], " \""); i >= 0 {
			b, _, _ := cutQuoted(s[i+1:])
			return stripGit(s[:i], "a/"), stripGit(b, "b/")
		}
	}
	// Same name on both sides: split in the middle.
	if len(s)%2 == 1 {
		h := len(s) / 2
		a, b := s[:h], s[h+1:]
		if s[h] == ' ' && stripGit(a, "a/") == stripGit(b, "b/") {
			return stripGit(a, "a/"), stripGit(b, "b/")
		}
	}
	if i := strings.Index(s, " b/"); i >= 0 {
		return stripGit(s[:i], "a/"), stripGit(s[i+1:], "b/")
	}
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return stripGit(s[:i], "a/"), stripGit(s[i+1:], "b/")
	}
	return stripGit(s, "a/"), stripGit(s, "b/")
}

func unquoteName(s string) string {
	if strings.HasPrefix(s, "\"") {
		if n, _, ok := cutQuoted(s); ok {
			return n
		}
	}
	return s
}

// cutQuoted decodes a C-style quoted name as git writes it and returns the
// rest of s after the closing quote.
func cutQuoted(s string) (name, rest string, ok bool) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			return b.String(), s[i+1:], true
		case '\\':
			if i+1 >= len(s) {
				return "", "", false
			}
			i++
			switch e := s[i]; e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'a':
				b.WriteByte('\a')
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'v':
				b.WriteByte('\v')
			case 'r':
				b.WriteByte('\r')
			case '0', '1', '2', '3':
				if i+2 < len(s) {
					v, err := strconv.ParseUint(s[i:i+3], 8, 8)
					if err == nil {
						b.WriteByte(byte(v))
						i += 2
						continue
					}
				}
				b.WriteByte(e)
			default:
				b.WriteByte(e)
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", "", false
}
