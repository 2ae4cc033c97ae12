package cindex

import (
	"bytes"
	"strings"
)

// Names is a set of identifiers a lookup wants the definitions of, as
// Summary.Defines tests them: the lookup of a few definitions in a large
// tree indexes only the files that may hold one of them.
type Names struct {
	hashes map[uint32]bool     // wordHash of each
	words  map[uint32][]string // each, as written in a definition, by wordHash
	// bits has the bit of each hash's low 16 bits set: most hashes a
	// summary holds are no wanted name's, and a bit answers for them
	// before the map (every file's definition names, at each lookup).
	bits [1 << 10]uint64
}

// has reports whether h is the hash of one of n's words.
func (n *Names) has(h uint32) bool {
	return n.bits[h>>6&(1<<10-1)]&(1<<(h&63)) != 0 && n.hashes[h]
}

// NewNames returns the set of the identifiers a definition named by one of
// names is written with: the name itself and, for a name the defining
// macros build (SYSCALL_DEFINE3(open, ...) defines sys_open), the
// macro's argument.
func NewNames(names []string) *Names {
	n := &Names{hashes: map[uint32]bool{}, words: map[uint32][]string{}}
	add := func(w string) {
		h := wordHash(w)
		n.hashes[h] = true
		n.bits[h>>6&(1<<10-1)] |= 1 << (h & 63)
		n.words[h] = append(n.words[h], w)
	}
	for _, name := range names {
		add(name)
		if w := macroWord(name); w != "" {
			add(w)
		}
	}
	return n
}

// in returns the words of n whose hashes the summary holds: those a file
// was taken for.
func (n *Names) in(s Summary) []string {
	var out []string
	for _, h := range s.DefNames {
		if n.has(h) {
			out = append(out, n.words[h]...)
		}
	}
	return out
}

// macroWord returns the argument of the defining macro that syscallName
// prefixes to make name ("open" for sys_open), or "".
func macroWord(name string) string {
	for _, prefix := range []string{"compat_sys_", "sys32_", "sys_"} {
		if rest, ok := strings.CutPrefix(name, prefix); ok {
			return rest
		}
	}
	return ""
}

// defLike reports whether the identifier src[i:j] may be the name of a
// function definition, as Funcs finds them: followed by its parameters
// and then by what a header goes on with (the body's "{", attributes or
// old-style declarations, a preprocessor line), or by ")(" as in
// "int (f)(int)" and "int (*f(void))(int)"; or the first argument of a
// defining macro whose name ends in a digit (SYSCALL_DEFINE3(open, ...),
// BPF_CALL_2(bpf_x, ...)). A call is followed after its arguments by
// ";", ",", ")" or an operator; a name followed by its arguments that
// stands where an expression goes on (after an operator, a bracket, a
// comma, a member access or "return") is a call, whatever follows them.
func defLike(src []byte, i, j int) bool {
	return defShape(src, i, j) && !onDirectiveLine(src, i)
}

// defShape is defLike but for where the identifier stands.
func defShape(src []byte, i, j int) bool {
	k := skipSpace(src, j)
	if k < len(src) && src[k] == ')' {
		k = skipSpace(src, k+1)
		return k < len(src) && src[k] == '(' || macroArgument(src, i)
	}
	if k >= len(src) || src[k] != '(' {
		return macroArgument(src, i)
	}
	if inExpression(src, i) {
		return false
	}
	end := closeParen(src, k)
	if end < 0 {
		return true // unbalanced: let the lexer decide
	}
	k = skipSpace(src, end)
	if k >= len(src) {
		return true
	}
	switch c := src[k]; {
	case isIdentStart(c), c == '{', c == '(', c == '#', c == '\\':
		return true
	case c == ')':
		k = skipSpace(src, k+1)
		return k < len(src) && (src[k] == '(' || src[k] == '{' && afterTypeof(src, i))
	}
	return false
}

// afterTypeof reports whether the name at src[i] is the declarator in
// parentheses after a return type written as typeof(...):
// "typeof(x->call)(find_entry(uint type))" then the body.
func afterTypeof(src []byte, i int) bool {
	k := skipBlankBack(src, i-1)
	if k < 0 || src[k] != '(' {
		return false
	}
	k = skipBlankBack(src, k-1)
	return k >= 0 && src[k] == ')'
}

// inExpression reports whether the identifier at src[i] follows, on its
// line, what only an expression puts before a name: an operator, an
// opening bracket, a comma, a member access, the end of a statement, or
// "return". A definition's name follows its type, a "*", the ")" of an
// attribute, the "}" of a struct defined in its return type, a comment,
// or the start of its line; a "(" only after a ")", as in
// "typeof(x->call)(find_entry(uint type))", and a ":" only in C++'s
// "::". Most of the calls of a file are found here, before their
// arguments are read.
func inExpression(src []byte, i int) bool {
	k := skipBlankBack(src, i-1)
	if k < 0 {
		return false
	}
	switch src[k] {
	case '=', ',', '!', '&', '|', '+', '-', '?', '[', '.', '>', '<', '%', '^', '~', ';', '{':
		return true
	case '(':
		b := skipBlankBack(src, k-1)
		return b < 0 || src[b] != ')'
	case ':':
		return k == 0 || src[k-1] != ':'
	case 'n':
		return k >= 5 && string(src[k-5:k+1]) == "return" && (k == 5 || !isIdentByte(src[k-6]))
	}
	return false
}

// skipBlankBack returns the last index at or before k that is no blank
// or tab (-1 if none).
func skipBlankBack(src []byte, k int) int {
	for k >= 0 && (src[k] == ' ' || src[k] == '\t') {
		k--
	}
	return k
}

// onDirectiveLine reports whether src[i] is on a preprocessor line: one
// whose first byte, but for white space, is "#", or that continues one
// with "\" at the end of the line before. The lexer reads such a line
// whole as one token, so none of its identifiers names a definition
// (Funcs): "#if IS_ENABLED(CONFIG_X)" followed by a line, or
// "#define to_x(d) container_of(d, struct x, dev)" followed by another
// #define, has the shape of a definition in a thousand files each. A
// "*/" between the line's start and src[i] may end a comment the "#" was
// in: such an identifier is kept.
func onDirectiveLine(src []byte, i int) bool {
	start := i
	for {
		nl := bytes.LastIndexByte(src[:start], '\n')
		if nl < 0 {
			start = 0
			break
		}
		if continued(src, nl) {
			start = nl
			continue
		}
		start = nl + 1
		break
	}
	k := start
	for k < i && (src[k] == ' ' || src[k] == '\t' || src[k] == '\r' || src[k] == '\f' || src[k] == '\v') {
		k++
	}
	return k < i && src[k] == '#' && !bytes.Contains(src[k:i], []byte("*/"))
}

// continued reports whether the line break at src[nl] is escaped by a
// "\" before it ("\\\r\n" too).
func continued(src []byte, nl int) bool {
	k := nl - 1
	if k >= 0 && src[k] == '\r' {
		k--
	}
	return k >= 0 && src[k] == '\\'
}

// macroArgument reports whether the identifier at i is the first
// argument of a macro whose name ends in a digit, across block comments
// ("SYSCALL_DEFINE1(/* fd */ close"). Any "/" before it used to be taken
// for such a comment: the first word of every "//" comment and each part
// of a path after the first stood as a definition's name, half of those
// a survey of the tree kept.
func macroArgument(src []byte, i int) bool {
	k := skipSpaceBack(src, i-1)
	for k >= 1 && src[k] == '/' && src[k-1] == '*' {
		open := commentOpen(src, k-1)
		if open < 0 {
			return true // no comment opens: let the lexer decide
		}
		k = skipSpaceBack(src, open-1)
	}
	if k < 0 || src[k] != '(' {
		return false
	}
	k--
	for k >= 0 && isSpace(src[k]) {
		k--
	}
	return k >= 0 && src[k] >= '0' && src[k] <= '9'
}

// commentOpen returns where the last "/*" before src[end] starts, or -1.
// A comment holds few "/", and bytes.LastIndex hashes every byte back
// to the opening: a tenth of a survey's time, for the words after "*/".
func commentOpen(src []byte, end int) int {
	for k := end; ; {
		q := bytes.LastIndexByte(src[:k], '/')
		if q < 0 || q+1 < end && src[q+1] == '*' {
			return q
		}
		k = q
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// skipSpace skips white space, comments and escaped line breaks from i.
func skipSpace(src []byte, i int) int {
	for i < len(src) {
		switch c := src[i]; {
		case isSpace(c):
			i++
		case c == '\\' && i+1 < len(src) && (src[i+1] == '\n' || src[i+1] == '\r'):
			i += 2
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			i = blockCommentEnd(src, i)
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			i = lineCommentEnd(src, i) // as the lexer ends it
		default:
			return i
		}
	}
	return i
}

// closeParen returns the offset just past the parenthesis that closes
// the one at open, by the lexer's tokens (comments, literals and
// directive lines skipped); -1 when there is none within maxParenSpan
// bytes. A parenthesis in a comment's prose may never close: without
// the bound each would have the rest of the file lexed, and the callers
// take "none" for "may be a definition".
func closeParen(src []byte, open int) int {
	// Most argument lists hold no comment or directive, and their
	// parentheses and literals can be followed byte by byte; the lexer
	// takes over at the first byte that may begin a comment or a
	// directive.
	if open < 0 || open >= len(src) {
		return -1
	}
	level := 0
	text := src[:min(len(src), open+maxParenSpan)] // bounded: no check per byte
	for i := open; i < len(text); i++ {
		i += plainRun(text[i:])
		if i == len(text) {
			break
		}
		switch parenClass[text[i]] {
		case '(':
			level++
		case ')':
			level--
			if level == 0 {
				return i + 1
			}
		case '"':
			lx := lexer{b: src}
			i = lx.skipQuoted(i) - 1
		case '/':
			if i+1 < len(src) && (src[i+1] == '*' || src[i+1] == '/') {
				return closeParenLexed(src, open)
			}
		case '#':
			return closeParenLexed(src, open)
		}
	}
	return -1
}

// plainRun returns the length of the run of bytes closeParen passes over
// at the start of text (a range loop: no bounds check per byte).
func plainRun(text []byte) int {
	for k, c := range text {
		if parenClass[c] != 0 {
			return k
		}
	}
	return len(text)
}

// maxParenSpan bounds the text closeParen reads. A parameter list is far
// shorter, and past the bound the name is taken as for an unclosed one
// (TestKernelDefinitionsFound: no definition of the 6.1 tree missed).
const maxParenSpan = 8 << 10

// parenClass marks the bytes closeParen stops at.
var parenClass = [256]byte{'(': '(', ')': ')', '"': '"', '\'': '"', '/': '/', '#': '#'}

func closeParenLexed(src []byte, open int) int {
	lx := &lexer{b: src[:min(len(src), open+maxParenSpan)], i: open, line: 1}
	level := 0
	for t := lx.next(); t.kind != eof; t = lx.next() {
		switch t.kind {
		case '(':
			level++
		case ')':
			level--
			if level == 0 {
				return t.e
			}
		}
	}
	return -1
}
