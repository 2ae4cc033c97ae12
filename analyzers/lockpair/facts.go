package lockpair

import (
	_ "embed"
	"slices"
	"strings"

	"github.com/tagcheck/tagcheck/rules"
)

// The go/analysis facts: what a Go function acquires or releases for its
// caller, exported so that importers check their calls against it.

// WrapperFact says that a function acquires or releases resources for its
// caller, in terms of its parameters ($0 is the receiver of a method): it
// is learned from the body or declared by a //tagcheck: directive.
type WrapperFact struct {
	Pairs []FactPair
}

// FactPair is a rules.Pair as carried between packages.
type FactPair struct {
	Acquire   []string
	Release   []string
	Takes     []string
	Resources []string
	Mode      string
	When      string
	Learned   string
}

// AFact marks WrapperFact as an analysis fact.
func (*WrapperFact) AFact() {}

func (f *WrapperFact) String() string {
	var parts []string
	for _, p := range f.Pairs {
		verb := "releases"
		switch {
		case len(p.Acquire) > 0:
			verb = "acquires"
		case len(p.Takes) > 0:
			verb = "takes"
		}
		s := verb + " " + strings.Join(p.Resources, ",")
		if p.Mode == string(rules.Shared) {
			s += " shared"
		}
		if p.When != "" {
			s += " when " + p.When
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

func factPair(p *rules.Pair) FactPair {
	return FactPair{
		Acquire: slices.Clone(p.Acquire), Release: slices.Clone(p.Release), Takes: slices.Clone(p.Takes),
		Resources: slices.Clone(p.Holds()), Mode: string(p.Mode), When: string(p.When), Learned: p.Learned,
	}
}

func (fp FactPair) pair(name string) *rules.Pair {
	return &rules.Pair{
		Name: name, Lang: rules.Go, Acquire: slices.Clone(fp.Acquire), Release: slices.Clone(fp.Release),
		Takes: slices.Clone(fp.Takes), Resources: slices.Clone(fp.Resources), Mode: rules.Mode(fp.Mode), When: rules.When(fp.When), Learned: fp.Learned,
	}
}
