package taggedptr_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/tagcheck/tagcheck/analyzers/taggedptr"
)

// Each package holds one bug shape and its correct twin; the twins carry
// no expectations.
func TestShapes(t *testing.T) {
	for _, pkg := range []string{
		"taggedptr/list",       // lock-free list: raw next followed vs accessor
		"taggedptr/atomicword", // atomic.Uintptr Load/Store vs CompareAndSwap vs Or
		"taggedptr/atomicptr",  // atomic.Pointer[T]: raw Load followed, mask too wide for T
		"taggedptr/mixed",      // plain |= on an atomically read word
		"taggedptr/foreign",    // tag written through a parameter vs the receiver
		"taggedptr/gchidden",   // uintptr converted back vs uintptr as an ID
		"taggedptr/align",      // mask 0x7 on a 4-byte-aligned type vs 0x1
		"taggedptr/directive",  // field declared tagged by a comment
		"taggedptr/nsproxy",    // the kernel RFC's reader bit, in Go
		"taggedptr/quiet",      // uintptr code that is not tagged-pointer misuse
	} {
		t.Run(filepath.Base(pkg), func(t *testing.T) {
			analysistest.Run(t, analysistest.TestData(), taggedptr.Analyzer, pkg)
		})
	}
}

// Package a tags an exported field; package b, which only reads it,
// learns that from a's fact.
func TestFacts(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), taggedptr.Analyzer, "taggedptr/facts/a", "taggedptr/facts/b")
}

// A rule pack declares the tagged field of a package that never shows
// the tag.
func TestRulePack(t *testing.T) {
	dir := analysistest.TestData()
	if err := taggedptr.Analyzer.Flags.Set("rules", filepath.Join(dir, "src", "taggedptr", "pack", "go-tagged.yaml")); err != nil {
		t.Fatal(err)
	}
	defer taggedptr.Analyzer.Flags.Set("rules", "")
	analysistest.Run(t, dir, taggedptr.Analyzer, "taggedptr/pack")
}

func TestSuggestedFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), taggedptr.Analyzer, "taggedptr/fix")
}
