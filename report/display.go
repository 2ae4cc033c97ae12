package report

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DisplayPath is how a file name appears in text output: as it is when
// it is printable UTF-8, else Go-quoted ("dir/a\nb.c", "caf\xe9.c"), so
// that a newline in a name cannot forge an output line and bytes that are
// not UTF-8 stay visible (and distinct) instead of turning into U+FFFD.
func DisplayPath(p string) string {
	if utf8.ValidString(p) && !strings.ContainsFunc(p, unicode.IsControl) {
		return p
	}
	return strconv.Quote(p)
}

// OneLine escapes what would break a line of text output: line breaks,
// other control characters but the tab, and bytes that are not UTF-8.
func OneLine(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, isBreaking) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[i]), 16))
		case isBreaking(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func isBreaking(r rune) bool {
	return r != '\t' && unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
}

// RawBytes is s when it is not valid UTF-8 (JSON would turn its bad
// bytes into U+FFFD), for the *_raw fields that keep them; nil otherwise.
func RawBytes(s string) []byte {
	if utf8.ValidString(s) {
		return nil
	}
	return []byte(s)
}
