package cparse

// Tables. What the lowering reads of a file-scope initializer (a table,
// "= { ... }") is the names it stores: an ops table hands its functions
// out (csource.go, storedIn). Tables are an eighth of the 6.1 tree's C
// text and 12-15% of tree-sitter's time; blanked, tree-sitter leaves
// them out of its reading (tree.go, included), and their names are read
// lexically (namesIn).
//
// Blanked text can steer tree-sitter's error recovery elsewhere: after a
// file-scope macro it cannot parse ("static DECLARE_TLV_DB_SCALE(...);"),
// it glued the next tables into a declaration and went on, and blanked
// it swallowed them, and the functions after them, into one ERROR
// (sound/soc/codecs/cs35l36.c: 21 functions, then 3). So when a blanked
// table is not in a file-scope declaration free of errors, the file is
// parsed again whole,
// and the parse that finds more functions is kept (the whole one on a
// tie): never fewer functions than before the blanking.

// withTablesBlanked returns pp's text with the inside of every table
// blanked, and adds the names the tables hold to names.
func withTablesBlanked(pp *prep, names map[string]bool) []byte {
	if len(pp.tables) == 0 {
		return pp.rw
	}
	b := make([]byte, len(pp.rw))
	copy(b, pp.rw)
	for _, t := range pp.tables {
		namesIn(b[t.s+1:t.e-1], names)
		blank(b, t.s+1, t.e-1)
	}
	return b
}

// tablesMisparsed reports whether a table is not in a file-scope
// declaration free of errors under n: tree-sitter's error recovery took
// it, and perhaps what follows, apart. tables are in text order.
func tablesMisparsed(n *node, tables []span) bool {
	k := 0
	var visit func(n *node) bool
	visit = func(n *node) bool {
		for ch := n.first; ch != nil && k < len(tables); ch = ch.next {
			switch kindOf(ch) {
			case "preproc_if", "preproc_ifdef", "preproc_else", "preproc_elif", "preproc_elifdef":
				if visit(ch) {
					return true
				}
				continue
			}
			for ; k < len(tables) && tables[k].s < int(ch.end); k++ {
				if tables[k].s < int(ch.start) || kindOf(ch) != "declaration" || ch.HasError() {
					return true
				}
			}
		}
		return false
	}
	return visit(n) || k < len(tables)
}

// functionCount counts the function definitions under n, not those
// nested in one (a statement expression's).
func functionCount(n *node) int {
	k := 0
	for ch := n.first; ch != nil; ch = ch.next {
		if kindOf(ch) == "function_definition" {
			k++
		} else {
			k += functionCount(ch)
		}
	}
	return k
}

// namesIn adds to names the identifiers of b that a syntax tree
// would hold as identifiers: not members (after "." or "->"), not
// struct, union or enum tags, not in literals, comments or directives.
// Type names stay: a function cannot share a visible typedef's name.
func namesIn(b []byte, names map[string]bool) {
	lineStart, prev, prevWord := true, byte(0), []byte(nil)
	for i := 0; i < len(b); {
		if j, ok := skipBlank(b, i, &lineStart); ok {
			i = j
			continue
		}
		ch := b[i]
		if ch == '#' && lineStart {
			i = directiveEnd(b, i)
			continue
		}
		lineStart = false
		switch {
		case ch == '"' || ch == '\'':
			i = skipQuoted(b, i)
			prev, prevWord = 0, nil
		case ch >= '0' && ch <= '9':
			for i < len(b) && (isIdentByte(b[i]) || b[i] == '.') {
				i++
			}
			prev, prevWord = 0, nil
		case isIdentStart(ch):
			j := i
			for j < len(b) && isIdentByte(b[j]) {
				j++
			}
			w := b[i:j]
			if prev != '.' && prev != '>' && !names[string(w)] && !tagKeyword(prevWord) {
				names[string(w)] = true
			}
			prev, prevWord = 0, w
			i = j
		default:
			prev, prevWord = ch, nil
			if ch == '-' && i+1 < len(b) && b[i+1] == '>' {
				prev, i = '>', i+1
			} else if ch == '>' {
				prev = 0 // a comparison, not "->"
			}
			i++
		}
	}
}

func tagKeyword(w []byte) bool {
	return string(w) == "struct" || string(w) == "union" || string(w) == "enum"
}
