package check

import (
	"go/ast"
	"go/token"
	"strings"
)

// golangci-lint's suppression comment, honoured in Go code so that a
// project that already writes it need not learn another:
//
//	x.mu.Unlock() //nolint:lockpair // handed to the caller
//	//nolint:tagcheck // generated
//	func F() { ... }
//
// A name list of tagcheck (both analyzers), lockpair or taggedptr, or no
// list at all (every linter), silences findings on the comment's line;
// a comment alone on its line silences the whole declaration or
// statement that starts on the next line, as golangci-lint does. Other
// linters' names are left to them. Unlike tagcheck:ignore, no reason is
// required: golangci-lint's nolintlint asks for one where a project wants
// it.

// nolintRules maps the names a //nolint list may give to the rule
// families they silence.
var nolintRules = map[string]string{"tagcheck": "*", "lockpair": "lockpair", "taggedptr": "taggedptr"}

// nolintSuppressions returns the suppressions of comment c when it is a
// //nolint directive that names tagcheck, nil otherwise.
func nolintSuppressions(fset *token.FileSet, f *ast.File, tf *token.File, c *ast.Comment) []goSuppression {
	rest, ok := strings.CutPrefix(c.Text, "//nolint")
	if !ok {
		return nil
	}
	var names []string
	switch {
	case rest == "" || rest[0] == ' ' || rest[0] == '\t':
		names = []string{"tagcheck"}
	case rest[0] == ':':
		list, _, _ := strings.Cut(rest[1:], " ")
		names = strings.Split(list, ",")
	default:
		return nil // //nolintfoo
	}
	reason := "nolint"
	if _, why, ok := strings.Cut(rest, "//"); ok && strings.TrimSpace(why) != "" {
		reason = strings.TrimSpace(why)
	}
	p := fset.Position(c.Pos())
	alone := !codeBefore(f, tf, c.Pos())
	through := 0
	if alone {
		through = nodeEndAfter(f, tf, p.Line)
	}
	var out []goSuppression
	for _, n := range names {
		rule, ok := nolintRules[strings.TrimSpace(n)]
		if !ok {
			continue
		}
		s := Suppression{File: p.Filename, Line: p.Line, Column: p.Column, Rule: rule, Reason: reason, Alone: alone, Through: through}
		out = append(out, goSuppression{s, c.Pos()})
	}
	return out
}

// nodeEndAfter returns the last line of the outermost declaration or
// statement that starts on the line after line, or 0.
func nodeEndAfter(f *ast.File, tf *token.File, line int) int {
	if line >= tf.LineCount() {
		return 0
	}
	end := 0
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil || end > 0 {
			return false
		}
		switch n.(type) {
		case ast.Decl, ast.Stmt, ast.Spec:
			if tf.Line(n.Pos()) == line+1 {
				end = tf.Line(n.End())
				return false
			}
		}
		return tf.Line(n.Pos()) <= line+1 && tf.Line(n.End()) >= line+1
	})
	return end
}
