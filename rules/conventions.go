package rules

import (
	"maps"
	"slices"
	"strings"
)

// Conventions name the calls and labels whose meaning the lock engine
// reads from the code's own habits, beyond lock pairs: which calls only
// hint a branch, test for or make an error pointer, and which labels
// failure paths jump to. The kernel pack declares the kernel's; the
// lists of several packs add up.
type Conventions struct {
	// BranchHints evaluate to their one argument: likely(x) is x.
	BranchHints []string `yaml:"branch_hints,omitempty"`
	// ErrorTests are true of an error pointer (IS_ERR(p)); those in
	// ErrorOrNullTests of NULL too (IS_ERR_OR_NULL(p)).
	ErrorTests       []string `yaml:"error_tests,omitempty"`
	ErrorOrNullTests []string `yaml:"error_or_null_tests,omitempty"`
	// ErrorValues are calls whose value is an error: a function that
	// returns one fails (return ERR_PTR(-ENOMEM)).
	ErrorValues []string `yaml:"error_values,omitempty"`
	// ErrorLabels are the words of the labels failure paths jump to: a
	// label that begins with one, or has one after an underscore
	// (out_unlock), is where a function goes when it fails.
	ErrorLabels []string `yaml:"error_labels,omitempty"`
}

// conventions is the merged Conventions of a Set, indexed.
type conventions struct {
	hints, errTests, errOrNull, errValues map[string]bool
	labels                                []string
}

func (c *conventions) add(p *Conventions) {
	if p == nil {
		return
	}
	if c.hints == nil {
		c.hints, c.errTests, c.errOrNull, c.errValues = map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	}
	for _, l := range []struct {
		names []string
		into  map[string]bool
	}{{p.BranchHints, c.hints}, {p.ErrorTests, c.errTests}, {p.ErrorOrNullTests, c.errOrNull}, {p.ErrorValues, c.errValues}} {
		for _, n := range l.names {
			l.into[n] = true
		}
	}
	c.labels = append(c.labels, p.ErrorLabels...)
}

func (c conventions) clone() conventions {
	return conventions{hints: maps.Clone(c.hints), errTests: maps.Clone(c.errTests), errOrNull: maps.Clone(c.errOrNull),
		errValues: maps.Clone(c.errValues), labels: slices.Clone(c.labels)}
}

// BranchHint reports whether fn evaluates to its one argument (likely).
func (s *Set) BranchHint(fn string) bool { return s.conv.hints[fn] }

// ErrorTest reports whether fn tests its argument for an error pointer,
// and whether it is true of NULL too.
func (s *Set) ErrorTest(fn string) (orNull, ok bool) {
	return s.conv.errOrNull[fn], s.conv.errTests[fn] || s.conv.errOrNull[fn]
}

// ErrorValue reports whether a call of fn has an error as its value.
func (s *Set) ErrorValue(fn string) bool { return s.conv.errValues[fn] }

// ErrorLabel reports whether a label is one failure paths jump to.
func (s *Set) ErrorLabel(label string) bool {
	for _, w := range s.conv.labels {
		if strings.HasPrefix(label, w) || strings.Contains(label, "_"+w) {
			return true
		}
	}
	return false
}
