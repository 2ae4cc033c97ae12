package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
)

// go vet (Go 1.26) caches a vet run as two entries, the facts and the
// JSON it printed, stored one after the other; a cache hit needs only
// the facts and reads a missing output entry as empty. A second `tagcheck
// go` on the same cache that looks between the two stores (or after the
// cache trimmed the output entry) gets no result for that package, and
// without this check reported fewer findings as if the package were
// clean: the flake of 14 lines instead of 3,012. The vet tool prints one
// JSON tree per package it vets, "{}" when it finds nothing, so the count
// of trees must match the packages go vet vets.

// vetUnits counts the vet runs `go vet patterns` makes: one for each
// package with files (with its in-package tests), one more for a package
// with external tests. -1 when go list cannot say.
func (o *goOptions) vetUnits(goCmd string) int {
	args := []string{"list", "-e", "-json=ImportPath,GoFiles,CgoFiles,TestGoFiles,XTestGoFiles"}
	if o.tags != "" {
		args = append(args, "-tags="+o.tags)
	}
	args = append(append(args, "--"), o.patterns...)
	cmd := exec.Command(goCmd, args...)
	cmd.Env = os.Environ()
	out, err := cmd.Output()
	if err != nil {
		return -1
	}
	n := 0
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct{ GoFiles, CgoFiles, TestGoFiles, XTestGoFiles []string }
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			return n
		} else if err != nil {
			return -1
		}
		if len(p.GoFiles)+len(p.CgoFiles)+len(p.TestGoFiles) > 0 {
			n++
		}
		if len(p.XTestGoFiles) > 0 {
			n++
		}
	}
}
