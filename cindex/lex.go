package cindex

// The lexer: just enough of C's tokens to find where function bodies begin
// and end. Comments and white space are skipped, string and character
// literals are one token each, and a preprocessor line (with its
// continuations and the comments it holds) is one token carrying its
// directive word, so that conditionals can be followed.

import "bytes"

type kind byte

const (
	eof     kind = 0
	ident   kind = 'a'
	literal kind = '"'
	number  kind = '0'
	arrow   kind = 'A' // ->
	direct  kind = '#' // a preprocessor line
)

type token struct {
	kind kind // one of the above, or the punctuation byte itself
	s, e int  // byte range; for a directive, the range of its word
	line int  // line of s, 1-based
}

type lexer struct {
	b    []byte
	i    int
	line int
	bol  bool // only white space and comments since the last line break
}

func newLexer(b []byte) *lexer { return &lexer{b: b, line: 1, bol: true} }

func (lx *lexer) next() token {
	b := lx.b
	for lx.i < len(b) {
		c := b[lx.i]
		switch {
		case c == '\n':
			lx.line++
			lx.bol = true
			lx.i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			lx.i++
		case c == '\\' && lx.i+1 < len(b) && (b[lx.i+1] == '\n' || b[lx.i+1] == '\r'):
			lx.i++ // a stray line continuation: white space
		case c == '/' && lx.i+1 < len(b) && b[lx.i+1] == '*':
			lx.blockComment()
		case c == '/' && lx.i+1 < len(b) && b[lx.i+1] == '/':
			lx.lineComment()
		case c == '#' && lx.bol:
			return lx.directive()
		default:
			lx.bol = false
			return lx.token(c)
		}
	}
	return token{kind: eof, s: len(b), e: len(b), line: lx.line}
}

func (lx *lexer) token(c byte) token {
	b := lx.b
	t := token{s: lx.i, line: lx.line}
	switch {
	case isIdentStart(c):
		j := lx.i + 1
		for j < len(b) && isIdentByte(b[j]) {
			j++
		}
		t.kind, lx.i = ident, j
	case c >= '0' && c <= '9' || c == '.' && lx.i+1 < len(b) && b[lx.i+1] >= '0' && b[lx.i+1] <= '9':
		lx.i = lx.skipNumber(lx.i)
		t.kind = number
	case c == '"' || c == '\'':
		lx.i = lx.skipQuoted(lx.i)
		t.kind = literal
	case c == '-' && lx.i+1 < len(b) && b[lx.i+1] == '>':
		t.kind, lx.i = arrow, lx.i+2
	default:
		t.kind, lx.i = kind(c), lx.i+1
	}
	t.e = lx.i
	return t
}

// skipNumber returns the end of a numeric literal (1, 0x1fUL, 1e+5, .5f).
func (lx *lexer) skipNumber(i int) int {
	b := lx.b
	for i < len(b) {
		c := b[i]
		switch {
		case isIdentByte(c) || c == '.':
			i++
		case (c == '+' || c == '-') && (b[i-1] == 'e' || b[i-1] == 'E' || b[i-1] == 'p' || b[i-1] == 'P'):
			i++
		default:
			return i
		}
	}
	return i
}

// skipQuoted returns the end of the literal at i. An unterminated literal
// ends at the line break, so that an apostrophe in a stray place cannot
// swallow the rest of the file.
func (lx *lexer) skipQuoted(i int) int {
	end := quotedEnd(lx.b, i)
	lx.line += bytes.Count(lx.b[i:end], newline) // escaped line breaks
	return end
}

var newline = []byte{'\n'}

// quotedEnd returns the end of the literal at i: past its closing quote,
// or at the line break that ends it unterminated.
func quotedEnd(b []byte, i int) int {
	q := b[i]
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '\n':
			return j
		case q:
			return j + 1
		}
	}
	return len(b)
}

func (lx *lexer) blockComment() {
	end := blockCommentEnd(lx.b, lx.i)
	// an unterminated comment's last byte is not looked at
	lx.line += bytes.Count(lx.b[lx.i:min(end, len(lx.b)-1)], newline)
	lx.i = end
}

func (lx *lexer) lineComment() {
	end := lineCommentEnd(lx.b, lx.i)
	lx.line += bytes.Count(lx.b[lx.i:end], newline) // escaped line breaks
	lx.i = end
}

// CommentEnd returns the end of the comment that starts at b[i], or i
// when none does: past its "*/", or at the line break that ends a "//"
// comment, past those a "\\" escapes.
func CommentEnd(b []byte, i int) int {
	if i+1 >= len(b) || b[i] != '/' {
		return i
	}
	switch b[i+1] {
	case '*':
		return blockCommentEnd(b, i)
	case '/':
		return lineCommentEnd(b, i)
	}
	return i
}

// blockCommentEnd returns the end of the comment "/*" opens at i.
func blockCommentEnd(b []byte, i int) int {
	if k := bytes.Index(b[i+2:], []byte("*/")); k >= 0 {
		return i + 2 + k + 2
	}
	return len(b)
}

// lineCommentEnd returns the line break that ends the comment "//"
// opens at i, past the breaks a "\\" escapes.
func lineCommentEnd(b []byte, i int) int {
	j := i + 2
	for j < len(b) && b[j] != '\n' {
		if b[j] == '\\' && j+1 < len(b) && b[j+1] == '\n' {
			j++
		}
		j++
	}
	return j
}

// directive reads a preprocessor line to its end and returns it as one
// token whose range is its directive word ("if", "define", ...).
func (lx *lexer) directive() token {
	s, e, end := directiveEnd(lx.b, lx.i)
	t := token{kind: direct, s: s, e: e, line: lx.line}
	// The line breaks inside: escaped ones, and those of comments. (Only
	// the line of the end-of-text token could differ, by one, from a
	// count that skipped an unterminated comment's last byte.)
	lx.line += bytes.Count(lx.b[lx.i:end], newline)
	lx.i = end
	return t // the line break is left for next, which sets bol
}

// directiveEnd reads the preprocessor line whose "#" is at i: the range
// of its directive word ("if", "define", ...), and where it ends, at the
// line break (not one escaped, in a comment or in a literal) or at the
// end of b.
func directiveEnd(b []byte, i int) (s, e, end int) {
	j := i + 1
	for j < len(b) && (b[j] == ' ' || b[j] == '\t') {
		j++
	}
	s = j
	for j < len(b) && isIdentByte(b[j]) {
		j++
	}
	e = j
	for j < len(b) {
		c := b[j]
		switch {
		case c == '\n':
			return s, e, j
		case c == '\\' && j+1 < len(b) && b[j+1] == '\n':
			j += 2
		case c == '\\' && j+2 < len(b) && b[j+1] == '\r' && b[j+2] == '\n':
			j += 3
		case c == '/' && j+1 < len(b) && b[j+1] == '*':
			j = blockCommentEnd(b, j)
		case c == '/' && j+1 < len(b) && b[j+1] == '/':
			j = lineCommentEnd(b, j)
		case c == '"' || c == '\'':
			j = quotedEnd(b, j)
		default:
			j++
		}
	}
	return s, e, j
}

// byteClass tells identifier bytes apart in one load.
var byteClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			t[c] = identStart | identByte
		case c >= '0' && c <= '9':
			t[c] = identByte
		}
	}
	return t
}()

const (
	identStart = 1 << iota
	identByte
)

func isIdentStart(b byte) bool { return byteClass[b]&identStart != 0 }
func isIdentByte(b byte) bool  { return byteClass[b]&identByte != 0 }
