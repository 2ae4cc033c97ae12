// Package fixguard keeps the analyzers' suggested fixes inside the module
// under check: `tagcheck go -fix` writes the files a fix edits, and a
// source file that is a symbolic link to a file elsewhere (another
// checkout, a system directory) must not be rewritten through the link.
package fixguard

import (
	"go/token"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Guard drops from d every suggested fix that would write a file outside
// its module, and says so in d's message so that -fix is not silent
// about the fix it did not apply.
func Guard(fset *token.FileSet, d *analysis.Diagnostic) {
	kept := d.SuggestedFixes[:0]
	var refused string
	for _, fix := range d.SuggestedFixes {
		if f := outside(fset, fix); f != "" {
			refused = f
			continue
		}
		kept = append(kept, fix)
	}
	d.SuggestedFixes = kept
	if refused != "" {
		d.Message += " (no fix offered: " + filepath.Base(refused) + " is a symbolic link out of its module)"
	}
}

// outside returns the first file an edit of fix writes that resolves to
// a place outside the directory of its module's go.mod; "" when none.
func outside(fset *token.FileSet, fix analysis.SuggestedFix) string {
	for _, e := range fix.TextEdits {
		tf := fset.File(e.Pos)
		if tf == nil {
			continue
		}
		if name := tf.Name(); !within(name) {
			return name
		}
	}
	return ""
}

// within reports whether file, links resolved, lies under the directory
// holding the go.mod found above it (as named, links not resolved). A
// file with no go.mod above it (GOPATH mode) is judged by its directory.
func within(file string) bool {
	abs, err := filepath.Abs(file)
	if err != nil {
		return false
	}
	root := filepath.Dir(abs)
	for d := root; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			root = d
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	realFile, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return false
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(realRoot, realFile)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
