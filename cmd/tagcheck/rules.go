package main

import (
	"fmt"
	"io"

	"gopkg.in/yaml.v3"

	"github.com/tagcheck/tagcheck/check"
	"github.com/tagcheck/tagcheck/internal/limits"
	"github.com/tagcheck/tagcheck/rules"
)

// runRules prints the rules in force as a YAML rule pack, so what it
// prints can be edited and passed back with --rules.
func runRules(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("rules", stderr, "tagcheck rules [--rules FILE]... [--tree DIR] [--learned PATCH]")
	var packs listFlag
	fs.Var(&packs, "rules", "a YAML rule pack to add (repeatable)")
	learned := fs.String("learned", "", "print only what this patch teaches: wrappers and tagged fields")
	tree := fs.String("tree", "", "with --learned: the tree the patch applies to")
	var cfg configFlags
	cfg.register(fs)
	maxInput := limits.DefaultInput
	fs.Var(limits.SizeFlag{N: &maxInput}, "max-input", "refuse a patch or rule pack larger than this (exit 2); 0: no limit")
	if code, ok := parseNoArgs(fs, args, stdout, stderr); !ok {
		return code
	}
	if err := cfg.load(fs); err != nil {
		return fail(stderr, err)
	}
	packs = cfg.rules(packs)
	rs, err := rules.LoadMax(maxInput, "--max-input", packs...)
	if err != nil {
		return fail(stderr, err)
	}
	var pack rules.Pack
	if *learned != "" {
		patches, err := readPatches([]string{*learned}, maxInput, stderr)
		if err != nil {
			return fail(stderr, err)
		}
		res, err := check.Patches(patches, check.Options{Rules: rs, Tree: *tree})
		if err != nil {
			return fail(stderr, err)
		}
		l := res.Learned.Sorted()
		pack = rules.Pack{Name: "learned from " + *learned, Pairs: l.Pairs, Tagged: l.Tagged}
	} else {
		pack = rules.Pack{Name: "in force: " + fmt.Sprint(rs.Packs), Pairs: rs.Pairs(), Tagged: rs.Tagged()}
	}
	enc := yaml.NewEncoder(stdout)
	enc.SetIndent(2)
	if err := enc.Encode(pack); err != nil {
		return fail(stderr, err)
	}
	return 0
}
