package main

import (
	"flag"
	"io"

	"github.com/tagcheck/tagcheck/patch"
)

// patchSource says where check's patches come from: files and standard
// input, or git (--git REV|A..B, --staged).
type patchSource struct {
	git    string
	staged bool
}

func (s *patchSource) register(fs *flag.FlagSet) {
	fs.StringVar(&s.git, "git", "", "check commits of the git repository in the working directory: REV or A..B")
	fs.BoolVar(&s.staged, "staged", false, "check the staged change (the index against HEAD), as a pre-commit hook does")
}

// read returns the patches to check and the tree to check them against.
func (s *patchSource) read(args []string, tree string, maxInput int64, stderr io.Writer) ([]*patch.Patch, string, error) {
	if s.git != "" || s.staged {
		return readGit(s, args, tree, stderr)
	}
	ps, err := readPatches(args, maxInput, stderr)
	return ps, tree, err
}
