package taggedptr

import (
	"bytes"

	"github.com/tagcheck/tagcheck/flow"
)

// CReduce prepares C text for a search that only needs the functions
// mentioning word: the body of every top-level function definition whose
// text (declarator and body) does not contain word is blanked (its bytes, except newlines,
// replaced by spaces, keeping the braces), so that the front end parses
// far less while every line and column stays where it was. Struct,
// union and enum definitions, initializers and declarations are kept
// whole. It reports the 1-based first and last lines of each blanked
// body, so that the caller can drop the emptied functions (their bodies
// are no longer in view).
//
// The scan is lexical: comments, string and character literals and
// preprocessor lines are skipped when matching braces; text it cannot
// balance is returned unchanged.
func CReduce(src []byte, word []byte) (out []byte, blanked [][2]int) {
	type span struct{ head, open, close int }
	var bodies []span
	depth := 0
	open := -1
	stmtStart := 0 // where the current top-level declaration began
	line := 1
	bol := true // at the beginning of a line (only blanks so far)
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\n':
			line++
			bol = true
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f':
			continue
		case c == '#' && bol:
			// preprocessor line, with continuations
			for i < len(src) && src[i] != '\n' {
				if src[i] == '\\' && i+1 < len(src) && src[i+1] == '\n' {
					i++
					line++
				}
				i++
			}
			i--
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			i--
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			j := bytes.Index(src[i+2:], []byte("*/"))
			if j < 0 {
				return src, nil
			}
			line += bytes.Count(src[i:i+2+j+2], []byte{'\n'})
			i += 2 + j + 1
			bol = false
			continue
		case c == '"' || c == '\'':
			j := i + 1
			for j < len(src) && src[j] != c && src[j] != '\n' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			i = j
		case c == '{':
			if depth == 0 {
				open = i
			}
			depth++
		case c == '}':
			depth--
			if depth < 0 {
				return src, nil
			}
			if depth == 0 {
				if cIsFuncHead(src[stmtStart:open]) {
					bodies = append(bodies, span{stmtStart, open, i})
				}
				stmtStart = i + 1
			}
		case c == ';' && depth == 0:
			stmtStart = i + 1
		}
		bol = false
	}
	if depth != 0 {
		return src, nil
	}
	out = src
	copied := false
	for _, b := range bodies {
		body := src[b.open+1 : b.close]
		if bytes.Contains(src[b.head:b.close], word) {
			// the body, or the parameter list (a callee that may
			// dereference such a parameter), mentions it
			continue
		}
		if !copied {
			out = append([]byte(nil), src...)
			copied = true
		}
		for k := b.open + 1; k < b.close; k++ {
			if out[k] != '\n' {
				out[k] = ' '
			}
		}
		first := 1 + bytes.Count(src[:b.open], []byte{'\n'})
		blanked = append(blanked, [2]int{first, first + bytes.Count(body, []byte{'\n'})})
	}
	return out, blanked
}

// cIsFuncHead reports whether the text before a top-level '{' ends a
// function declarator: its last token is ')' (possibly followed by
// attributes such as __acquires(x), which also end in ')'), and it is not
// an initializer ("= {").
func cIsFuncHead(head []byte) bool {
	h := bytes.TrimRight(head, " \t\r\n")
	if len(h) == 0 || h[len(h)-1] != ')' {
		return false
	}
	// "x = (struct foo){...}" style compound literals at top level
	return !bytes.Contains(h, []byte("="))
}

// CDropBlanked removes from funcs the functions whose bodies CReduce
// blanked (matched by the line of their closing brace): they were not
// lowered from their real bodies, so no check may rely on what they do.
func CDropBlanked(funcs []*flow.Func, blanked [][2]int) []*flow.Func {
	if len(blanked) == 0 {
		return funcs
	}
	ends := make(map[int]bool, len(blanked))
	for _, b := range blanked {
		ends[b[1]] = true
	}
	out := funcs[:0:0]
	for _, f := range funcs {
		if !ends[f.End.Line] {
			out = append(out, f)
		}
	}
	return out
}
