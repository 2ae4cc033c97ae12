package cparse

import "github.com/tagcheck/tagcheck/cindex"

// The byte scanners the pre-pass and the annotation reader share: C
// lexical structure (identifiers, white space, comments, literals,
// directives, brackets) over raw text, without tree-sitter.

func isIdentStart(b byte) bool {
	return b == '_' || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')
}

func isIdentByte(b byte) bool { return isIdentStart(b) || (b >= '0' && b <= '9') }

func isSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v'
}

// blank replaces b[s:e] with spaces, keeping line breaks.
func blank(b []byte, s, e int) {
	if s < 0 {
		s = 0
	}
	if e > len(b) {
		e = len(b)
	}
	for i := s; i < e; i++ {
		if b[i] != '\n' && b[i] != '\r' {
			b[i] = ' '
		}
	}
}

// skipComment returns the end of a comment starting at i, or i.
func skipComment(b []byte, i int) int { return cindex.CommentEnd(b, i) }

// skipQuoted returns the end of a string or character literal at i.
func skipQuoted(b []byte, i int) int {
	q := b[i]
	j := i + 1
	for j < len(b) {
		switch b[j] {
		case '\\':
			j += 2
			continue
		case '\n':
			return j
		case q:
			return j + 1
		}
		j++
	}
	return len(b)
}

// nextSig returns the index of the next significant byte at or after i.
func nextSig(b []byte, i int) int {
	for i < len(b) {
		if isSpace(b[i]) {
			i++
			continue
		}
		if b[i] == '\\' && i+1 < len(b) && (b[i+1] == '\n' || b[i+1] == '\r') {
			i += 2
			continue
		}
		if b[i] == '/' && i+1 < len(b) && (b[i+1] == '/' || b[i+1] == '*') {
			i = skipComment(b, i)
			continue
		}
		return i
	}
	return len(b)
}

// directiveEnd returns the end of the preprocessor line starting at i
// (continuation lines and comments included), not counting the newline.
func directiveEnd(b []byte, i int) int {
	j := i
	for j < len(b) {
		switch b[j] {
		case '\n':
			return j
		case '\\':
			if j+1 < len(b) && b[j+1] == '\n' {
				j += 2
				continue
			}
			if j+2 < len(b) && b[j+1] == '\r' && b[j+2] == '\n' {
				j += 3
				continue
			}
		case '/':
			if j+1 < len(b) && b[j+1] == '*' {
				j = skipComment(b, j)
				continue
			}
		case '"', '\'':
			j = skipQuoted(b, j)
			continue
		}
		j++
	}
	return j
}

// matchParen returns the index just after the parenthesis (or brace or
// bracket) closing the one at i, or -1.
func matchParen(b []byte, i int) int {
	depth := 0
	for j := i; j < len(b); {
		switch ch := b[j]; ch {
		case '(', '{', '[':
			depth++
		case ')', '}', ']':
			depth--
			if depth == 0 {
				return j + 1
			}
		case '"', '\'':
			j = skipQuoted(b, j)
			continue
		case '/':
			if k := skipComment(b, j); k > j {
				j = k
				continue
			}
		case '#':
			// a directive inside the arguments: skip the line
			k := j - 1
			for k >= 0 && (b[k] == ' ' || b[k] == '\t') {
				k--
			}
			if k < 0 || b[k] == '\n' {
				j = directiveEnd(b, j)
				continue
			}
		}
		j++
	}
	return -1
}

// skipBlank steps over one run of what the lexical pre-pass scanners
// ignore — a newline (which starts a line, for directives), other white
// space, or a comment — and reports whether it did.
func skipBlank(b []byte, i int, lineStart *bool) (int, bool) {
	ch := b[i]
	switch {
	case ch == '\n':
		*lineStart = true
		return i + 1, true
	case isSpace(ch):
		return i + 1, true
	case ch == '/' && i+1 < len(b) && (b[i+1] == '/' || b[i+1] == '*'):
		return skipComment(b, i), true
	}
	return i, false
}

// identAt returns the identifier starting at i, or "".
func identAt(b []byte, i int) string {
	if i >= len(b) || !isIdentStart(b[i]) {
		return ""
	}
	k := i
	for k < len(b) && isIdentByte(b[k]) {
		k++
	}
	return string(b[i:k])
}

// eachTopLevel calls visit with the index of each byte of the argument
// list between b[open] and b[end-1] (a bracket and its match, as
// matchParen returns end) that is outside nested brackets, literals and
// comments, until visit returns false. Brackets themselves are not
// visited. It is the one bracket-depth scan of the pre-pass.
func eachTopLevel(b []byte, open, end int, visit func(k int) bool) {
	depth := 0
	for k := open + 1; k < end-1; k++ {
		switch b[k] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case '"', '\'':
			k = skipQuoted(b, k) - 1
		case '/':
			if q := skipComment(b, k); q > k {
				k = q - 1
				continue
			}
			fallthrough
		default:
			if depth == 0 && !visit(k) {
				return
			}
		}
	}
}
