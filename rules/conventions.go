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
	// ReleaseWords name, in a call the rules do not know, a helper that
	// releases the held locks of the objects it is given
	// (wake_forget_and_unlock): its name contains one.
	ReleaseWords []string `yaml:"release_words,omitempty"`
	// MakerWords name a one-argument function that makes or finds an
	// object (kmalloc, lookup_x) rather than reaching a part of the one
	// it is given (nlk_sk(sk)): its name, in lower case, contains one.
	MakerWords []string `yaml:"maker_words,omitempty"`
	// SubclassWords name an acquire that takes a lock class after the
	// lock (mutex_lock_nested(&m, SUBCLASS)), which its release does not
	// take: its name contains one.
	SubclassWords []string `yaml:"subclass_words,omitempty"`
	// AnnotatedGlobals are the global resources a lock annotation may
	// name in any case: __releases(RCU) releases rcu.
	AnnotatedGlobals []string `yaml:"annotated_globals,omitempty"`
	// Bit operations on a flag word, fn(BIT, &word): a two-argument call
	// whose name contains one of BitTests tests the bit (and may change
	// it: test_and_set_bit); one of FlagTests only tests it (test_bit);
	// one that ends in one of BitSets and is no bit test sets it.
	BitTests  []string `yaml:"bit_tests,omitempty"`
	FlagTests []string `yaml:"flag_tests,omitempty"`
	BitSets   []string `yaml:"bit_sets,omitempty"`
	// NoReturnSuffixes end the names of functions that do not return
	// (reiserfs_panic), declared so in headers a patch does not show;
	// a name that begins with one of PredicatePrefixes (is_, check_)
	// tests for the condition instead.
	NoReturnSuffixes  []string `yaml:"noreturn_suffixes,omitempty"`
	PredicatePrefixes []string `yaml:"predicate_prefixes,omitempty"`
}

// conventions is the merged Conventions of a Set, indexed.
type conventions struct {
	hints, errTests, errOrNull, errValues map[string]bool
	labels, releaseWords, makerWords      []string
	subclassWords, globals                []string
	bitTests, flagTests, bitSets          []string
	noReturnSuffixes, predicates          []string
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
	c.releaseWords = append(c.releaseWords, p.ReleaseWords...)
	c.makerWords = append(c.makerWords, p.MakerWords...)
	c.subclassWords = append(c.subclassWords, p.SubclassWords...)
	c.globals = append(c.globals, p.AnnotatedGlobals...)
	c.bitTests = append(c.bitTests, p.BitTests...)
	c.flagTests = append(c.flagTests, p.FlagTests...)
	c.bitSets = append(c.bitSets, p.BitSets...)
	c.noReturnSuffixes = append(c.noReturnSuffixes, p.NoReturnSuffixes...)
	c.predicates = append(c.predicates, p.PredicatePrefixes...)
}

func (c conventions) clone() conventions {
	return conventions{hints: maps.Clone(c.hints), errTests: maps.Clone(c.errTests), errOrNull: maps.Clone(c.errOrNull),
		errValues: maps.Clone(c.errValues), labels: slices.Clone(c.labels),
		releaseWords: slices.Clone(c.releaseWords), makerWords: slices.Clone(c.makerWords),
		subclassWords: slices.Clone(c.subclassWords), globals: slices.Clone(c.globals),
		bitTests: slices.Clone(c.bitTests), flagTests: slices.Clone(c.flagTests), bitSets: slices.Clone(c.bitSets),
		noReturnSuffixes: slices.Clone(c.noReturnSuffixes), predicates: slices.Clone(c.predicates)}
}

// noReturnByName reports whether fn's name says it does not return.
func (c *conventions) noReturnByName(fn string) bool {
	hasAffix := func(words []string, has func(string, string) bool) bool {
		return slices.ContainsFunc(words, func(w string) bool { return has(fn, w) })
	}
	return hasAffix(c.noReturnSuffixes, strings.HasSuffix) && !hasAffix(c.predicates, strings.HasPrefix)
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

// containsAny reports whether s contains one of words.
func containsAny(s string, words []string) bool {
	return slices.ContainsFunc(words, func(w string) bool { return strings.Contains(s, w) })
}

// ReleaseHelper reports whether a function the rules do not know is, by
// its name, a helper that releases the locks of what it is given.
func (s *Set) ReleaseHelper(fn string) bool { return containsAny(fn, s.conv.releaseWords) }

// Maker reports whether a one-argument function makes or finds an
// object rather than reaching part of the one it is given.
func (s *Set) Maker(fn string) bool { return containsAny(strings.ToLower(fn), s.conv.makerWords) }

// TakesSubclass reports whether an acquire takes a lock class after the
// lock, which its release does not take.
func (s *Set) TakesSubclass(fn string) bool { return containsAny(fn, s.conv.subclassWords) }

// AnnotatedGlobal returns the global resource a lock annotation names
// (RCU: rcu), or "".
func (s *Set) AnnotatedGlobal(name string) string {
	for _, g := range s.conv.globals {
		if strings.EqualFold(name, g) {
			return g
		}
	}
	return ""
}

// BitTest reports whether a two-argument call of fn tests a bit of a
// word (and may change it).
func (s *Set) BitTest(fn string) bool { return containsAny(fn, s.conv.bitTests) }

// FlagTest reports whether a two-argument call of fn only tests a bit.
func (s *Set) FlagTest(fn string) bool { return containsAny(fn, s.conv.flagTests) }

// BitSet reports whether a two-argument call of fn sets a bit.
func (s *Set) BitSet(fn string) bool {
	return slices.ContainsFunc(s.conv.bitSets, func(w string) bool { return strings.HasSuffix(fn, w) }) && !s.BitTest(fn)
}
