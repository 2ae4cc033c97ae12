package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/tagcheck/tagcheck/internal/limits"
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

// listedPackage is what go list says of one package that go vet vets.
type listedPackage struct {
	Dir                                          string
	GoFiles, CgoFiles, TestGoFiles, XTestGoFiles []string
}

// listPackages asks go list which packages and files `go vet patterns`
// reads; nil when go list cannot say (go vet then reports why).
func (o *goOptions) listPackages(goCmd string) []listedPackage {
	args := []string{"list", "-e", "-json=Dir,ImportPath,GoFiles,CgoFiles,TestGoFiles,XTestGoFiles"}
	if o.tags != "" {
		args = append(args, "-tags="+o.tags)
	}
	args = append(append(args, "--"), o.patterns...)
	cmd := exec.Command(goCmd, args...)
	cmd.Env = os.Environ()
	out, err := cmd.Output()
	if err != nil {
		return nil
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			return pkgs
		} else if err != nil {
			return nil
		}
		pkgs = append(pkgs, p)
	}
}

// vetUnits counts the vet runs go vet makes for pkgs: one for each
// package with files (with its in-package tests), one more for a package
// with external tests. -1 when go list could not say.
func vetUnits(pkgs []listedPackage) int {
	if pkgs == nil {
		return -1
	}
	n := 0
	for _, p := range pkgs {
		if len(p.GoFiles)+len(p.CgoFiles)+len(p.TestGoFiles) > 0 {
			n++
		}
		if len(p.XTestGoFiles) > 0 {
			n++
		}
	}
	return n
}

// checkSources refuses, before go vet reads them, Go files over max
// bytes (max <= 0: no cap) and files that are not regular (a device or
// a pipe never ends): the vet tool parses, type-checks and builds SSA of
// a whole file, and a 40 MiB generated literal cost it 13 GB and minutes.
func checkSources(pkgs []listedPackage, max int64) error {
	for _, p := range pkgs {
		for _, files := range [][]string{p.GoFiles, p.CgoFiles, p.TestGoFiles, p.XTestGoFiles} {
			for _, f := range files {
				if err := checkSource(filepath.Join(p.Dir, f), max); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func checkSource(path string, max int64) error {
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return err
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s: not a regular file; refusing to read it as Go source", path)
	case max > 0 && fi.Size() > max:
		return fmt.Errorf("%s: larger than the Go source limit of %s; refusing to analyze it (raise it with --max-file)", path, limits.FormatSize(max))
	}
	return nil
}
