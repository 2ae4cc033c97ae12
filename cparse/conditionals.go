package cparse

import (
	"strings"
)

// cdir is one conditional directive line (#if, #ifdef, #ifndef, #elif,
// #elifdef, #elifndef, #else, #endif) with what the scan saw before it.
type cdir struct {
	start, end int // the directive line
	kind       string
	zero       bool // #if 0
	brace      int  // raw brace depth before the directive
	paren      int
	last       byte // the last code byte before the directive
	lastPos    int
}

// dgroup is one #if group: the indices in dirs of its directives, from the
// #if to its #endif.
type dgroup struct {
	dirs     []int
	balanced bool // tree-sitter can take it with both branches
}

// conditionals blanks the preprocessor conditionals that tree-sitter
// cannot take: inside braces or parentheses (function bodies, struct
// bodies, initializers, argument lists) and around unbalanced text, only
// the first branch is kept (the first that is not "#if 0"); the
// directive lines and the other branches become spaces. Conditionals at
// file scope whose branches are balanced stay for tree-sitter, which
// parses them as preproc_if with both branches.
func conditionals(b []byte) {
	dirs := scanDirectives(b)
	if len(dirs) == 0 {
		return
	}
	groupOf := groupDirectives(b, dirs)
	markBalanced(dirs, groupOf)
	keepBranches(b, dirs, groupOf)
}

// scanDirectives finds the conditional directives of b, each with the
// raw bracket depth and the last code byte before it.
func scanDirectives(b []byte) []cdir {
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
			if d, ok := conditionalDirective(b, i, e); ok {
				d.brace, d.paren, d.last, d.lastPos = brace, paren, last, lastPos
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
	return dirs
}

// conditionalDirective reads the directive line b[i:e]; it reports false
// for directives other than the conditional ones.
func conditionalDirective(b []byte, i, e int) (cdir, bool) {
	j := nextSig(b, i+1)
	k := j
	for k < e && isIdentByte(b[k]) {
		k++
	}
	kind := string(b[j:k])
	switch kind {
	case "if", "ifdef", "ifndef", "elif", "else", "endif", "elifdef", "elifndef":
	default:
		return cdir{}, false
	}
	d := cdir{start: i, end: e, kind: kind}
	if kind == "if" || kind == "elif" {
		arg := squash(string(b[k:e]))
		if c := strings.Index(arg, "/*"); c >= 0 {
			arg = strings.TrimSpace(arg[:c])
		}
		d.zero = arg == "0"
	}
	return d, true
}

// groupDirectives returns, for each directive, its #if group. A branch
// or #endif with no open #if (a fragment's) is blanked and has none.
func groupDirectives(b []byte, dirs []cdir) []*dgroup {
	groupOf := make([]*dgroup, len(dirs))
	var stack []*dgroup
	for i, d := range dirs {
		switch d.kind {
		case "if", "ifdef", "ifndef":
			g := &dgroup{dirs: []int{i}}
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
	return groupOf
}

// markBalanced decides which groups tree-sitter can take with all their
// branches: closed by an #endif, every branch at the bracket depth it
// started at and ending a declaration.
func markBalanced(dirs []cdir, groupOf []*dgroup) {
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
}

// branchFrame is an open #if group during keepBranches.
type branchFrame struct {
	g        *dgroup
	intact   bool // left to tree-sitter with all its branches
	branch   int  // index of the current branch
	selected int  // kept branch (not intact), -1 none yet
	kept     bool // the current branch's text is kept
	parent   bool // the enclosing text is kept
}

// choose decides whether the branch a directive opens is kept: in an
// intact group every branch but #if 0 is; otherwise only the first that
// is not #if 0.
func (f *branchFrame) choose(zero bool) {
	if f.intact {
		f.kept = f.parent && !zero
		return
	}
	if f.selected < 0 && !zero {
		f.selected = f.branch
	}
	f.kept = f.parent && f.selected == f.branch
}

// keepBranches walks the directives in order, blanking the directives of
// groups that are not intact and the text of branches that are not kept.
// A group stays intact only at the bracket depth zero of the text kept so
// far, which keptBrace and keptParen follow.
func keepBranches(b []byte, dirs []cdir, groupOf []*dgroup) {
	var fs []*branchFrame
	keptBrace, keptParen := dirs[0].brace, dirs[0].paren
	for i, d := range dirs {
		var f *branchFrame
		fs, f = frameOf(fs, groupOf[i], i, keptBrace == 0 && keptParen == 0)
		if f == nil {
			continue
		}
		if !f.intact || !f.parent {
			blank(b, d.start, d.end)
		}
		if d.kind == "endif" {
			fs = fs[:len(fs)-1]
		} else {
			f.choose(d.zero)
		}
		// the text up to the next conditional directive
		segEnd := len(b)
		if i+1 < len(dirs) {
			segEnd = dirs[i+1].start
		}
		if len(fs) > 0 && !fs[len(fs)-1].kept {
			blank(b, d.end, segEnd)
			continue
		}
		if i+1 < len(dirs) && firstBranches(fs) {
			keptBrace += dirs[i+1].brace - d.brace
			keptParen += dirs[i+1].paren - d.paren
		}
	}
}

// frameOf returns the frame directive i belongs to: a new one, pushed on
// fs, for an #if (intact when its group is balanced and atTop), the
// innermost one for the other directives of its group, and nil for a
// directive without a group or whose group is not the innermost.
func frameOf(fs []*branchFrame, g *dgroup, i int, atTop bool) ([]*branchFrame, *branchFrame) {
	if g == nil {
		return fs, nil
	}
	if g.dirs[0] == i {
		parentKept := len(fs) == 0 || fs[len(fs)-1].kept
		f := &branchFrame{g: g, selected: -1, parent: parentKept, intact: g.balanced && atTop}
		return append(fs, f), f
	}
	if len(fs) == 0 || fs[len(fs)-1].g != g {
		return fs, nil
	}
	f := fs[len(fs)-1]
	f.branch++
	return fs, f
}

// firstBranches reports whether the text is in the first branch of every
// open intact group: the branches of an intact group are balanced, so
// only the first one's brackets count.
func firstBranches(fs []*branchFrame) bool {
	for _, fr := range fs {
		if fr.intact && fr.branch > 0 {
			return false
		}
	}
	return true
}
