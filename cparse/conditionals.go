package cparse

import (
	"strings"
)

type cdir struct {
	start, end int // the directive line
	kind       string
	zero       bool // #if 0
	brace      int  // raw brace depth before the directive
	paren      int
	last       byte // the last code byte before the directive
	lastPos    int
}

// conditionals blanks the preprocessor conditionals that tree-sitter
// cannot take: inside braces or parentheses (function bodies, struct
// bodies, initializers, argument lists) and around unbalanced text, only
// the first branch is kept (the first that is not "#if 0"); the
// directive lines and the other branches become spaces. Conditionals at
// file scope whose branches are balanced stay for tree-sitter, which
// parses them as preproc_if with both branches.
func conditionals(b []byte) {
	var dirs []cdir
	brace, paren := 0, 0
	lineStart := true
	var last byte
	lastPos := -1
	for i := 0; i < len(b); {
		ch := b[i]
		if !isSpace(ch) && ch != '#' && !(ch == '/' && i+1 < len(b) && (b[i+1] == '/' || b[i+1] == '*')) {
			last, lastPos = ch, i
		}
		if j, ok := skipBlank(b, i, &lineStart); ok {
			i = j
			continue
		}
		switch {
		case ch == '#' && lineStart:
			e := directiveEnd(b, i)
			j := nextSig(b, i+1)
			k := j
			for k < e && isIdentByte(b[k]) {
				k++
			}
			kind := string(b[j:k])
			switch kind {
			case "if", "ifdef", "ifndef", "elif", "else", "endif", "elifdef", "elifndef":
				d := cdir{start: i, end: e, kind: kind, brace: brace, paren: paren, last: last, lastPos: lastPos}
				if kind == "if" || kind == "elif" {
					arg := squash(string(b[k:e]))
					if c := strings.Index(arg, "/*"); c >= 0 {
						arg = strings.TrimSpace(arg[:c])
					}
					d.zero = arg == "0"
				}
				dirs = append(dirs, d)
			}
			i = e
			continue
		case ch == '"' || ch == '\'':
			i = skipQuoted(b, i)
		case ch == '{':
			brace++
			i++
		case ch == '}':
			brace--
			i++
		case ch == '(':
			paren++
			i++
		case ch == ')':
			paren--
			i++
		case isIdentByte(ch):
			for i < len(b) && isIdentByte(b[i]) {
				i++
			}
		default:
			i++
		}
		lineStart = false
	}
	if len(dirs) == 0 {
		return
	}
	// group the directives: for each #if, the indices of its branches
	type group struct {
		dirs     []int
		balanced bool
	}
	groupOf := make([]*group, len(dirs))
	var stack []*group
	for i, d := range dirs {
		switch d.kind {
		case "if", "ifdef", "ifndef":
			g := &group{dirs: []int{i}}
			stack = append(stack, g)
			groupOf[i] = g
		case "elif", "else", "elifdef", "elifndef", "endif":
			if len(stack) == 0 {
				blank(b, d.start, d.end) // stray: a fragment
				continue
			}
			g := stack[len(stack)-1]
			g.dirs = append(g.dirs, i)
			groupOf[i] = g
			if d.kind == "endif" {
				stack = stack[:len(stack)-1]
			}
		}
	}
	for _, g := range groupOf {
		if g == nil || len(g.dirs) == 0 || groupOf[g.dirs[0]] != g {
			continue
		}
		g.balanced = true
		for k := 0; k+1 < len(g.dirs); k++ {
			a, z := dirs[g.dirs[k]], dirs[g.dirs[k+1]]
			if a.brace != z.brace || a.paren != z.paren {
				g.balanced = false
			}
			// each branch must end a declaration: not "int f(int a)" then "#else"
			if z.lastPos > a.start && z.last != ';' && z.last != '}' {
				g.balanced = false
			}
		}
		if dirs[g.dirs[len(g.dirs)-1]].kind != "endif" {
			g.balanced = false
		}
	}
	// walk in order keeping the kept depth
	type frame struct {
		g        *group
		intact   bool
		branch   int  // index of the current branch
		selected int  // kept branch (not intact), -1 none yet
		kept     bool // the current branch's text is kept
		parent   bool // the enclosing text is kept
	}
	var fs []*frame
	keptBrace, keptParen := dirs[0].brace, dirs[0].paren
	for i, d := range dirs {
		g := groupOf[i]
		if g == nil {
			continue
		}
		parentKept := len(fs) == 0 || fs[len(fs)-1].kept
		var f *frame
		if g.dirs[0] == i {
			f = &frame{g: g, selected: -1, parent: parentKept}
			f.intact = g.balanced && keptBrace == 0 && keptParen == 0
			fs = append(fs, f)
		} else {
			if len(fs) == 0 || fs[len(fs)-1].g != g {
				continue
			}
			f = fs[len(fs)-1]
			f.branch++
		}
		if !f.intact || !f.parent {
			blank(b, d.start, d.end)
		}
		if d.kind == "endif" {
			fs = fs[:len(fs)-1]
		} else {
			if f.intact {
				f.kept = f.parent && !d.zero
			} else {
				if f.selected < 0 && !d.zero {
					f.selected = f.branch
				}
				f.kept = f.parent && f.selected == f.branch
			}
		}
		// the text up to the next conditional directive
		segEnd := len(b)
		if i+1 < len(dirs) {
			segEnd = dirs[i+1].start
		}
		curKept := len(fs) == 0 || fs[len(fs)-1].kept
		if curKept {
			nb, np := 0, 0
			if i+1 < len(dirs) {
				nb, np = dirs[i+1].brace-d.brace, dirs[i+1].paren-d.paren
			}
			// the branches of an intact group are balanced; count the first only
			countIt := true
			for _, fr := range fs {
				if fr.intact && fr.branch > 0 {
					countIt = false
				}
			}
			if countIt {
				keptBrace += nb
				keptParen += np
			}
		} else {
			blank(b, d.end, segEnd)
		}
	}
}
