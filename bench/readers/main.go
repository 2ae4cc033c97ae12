// Command readers times the tree-wide search for raw readers of a newly
// tagged C field: it learns the tagged field from a patch applied to a
// kernel tree in memory (taggedptr.LearnC), then parses every *.c / *.h
// file of the tree that mentions the field (cparse.Scan with Contains;
// the patched files as their post-images) and reports the untagged-deref
// findings (taggedptr.CheckC with ReadersOnly). bench/readers.sh runs it
// beside grep over the same tree.
//
// With -mode reduce (the default) the files are read by a walker of its
// own and passed through taggedptr.CReduce before parsing: function bodies
// that do not mention the field are blanked, so tree-sitter parses a
// third of the text, with the same findings (TestCTreeReaders checks
// that). -mode scan parses the files whole through cparse.Scan.
//
//	go run ./bench/readers -tree ~/src/linux-source-6.1 -patch ../shared/fixtures/nsproxy-reader-6.1.patch
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/tagcheck/tagcheck/analyzers/taggedptr"
	"github.com/tagcheck/tagcheck/cparse"
	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/internal/limits"
	"github.com/tagcheck/tagcheck/patch"
	"github.com/tagcheck/tagcheck/rules"
)

func main() {
	home, _ := os.UserHomeDir()
	tree := flag.String("tree", filepath.Join(home, "src", "linux-source-6.1"), "kernel tree (pre-image)")
	patch := flag.String("patch", "", "patch that tags a field (required)")
	verbose := flag.Bool("v", false, "print every finding")
	workers := flag.Int("j", 0, "parse workers (0: all cores)")
	mode := flag.String("mode", "reduce", "reduce: blank bodies that cannot read the field before parsing; scan: cparse.Scan, whole files")
	flag.Parse()
	if *patch == "" {
		fmt.Fprintln(os.Stderr, "readers: -patch is required")
		os.Exit(2)
	}
	if *mode != "reduce" && *mode != "scan" {
		fmt.Fprintln(os.Stderr, "readers: -mode must be reduce or scan")
		os.Exit(2)
	}
	if err := run(*tree, *patch, *verbose, *workers, *mode == "reduce"); err != nil {
		fmt.Fprintln(os.Stderr, "readers:", err)
		os.Exit(2)
	}
}

func run(tree, patchFile string, verbose bool, workers int, reduce bool) error {
	start := time.Now()
	data, err := os.ReadFile(patchFile)
	if err != nil {
		return err
	}
	ps, err := patch.ParsePatches(filepath.Base(patchFile), data)
	if err != nil {
		return err
	}
	post := map[string]*cparse.CFile{}
	var pfuncs []*flow.Func
	pstructs := taggedptr.CStructs{}
	for _, p := range ps {
		for _, fp := range p.Files {
			pi, err := patch.ApplyToTree(tree, fp, limits.DefaultSource)
			if err != nil {
				return err
			}
			for _, u := range pi.Units() {
				cf, err := cparse.ParseC(u.Path, u.Src, cparse.ParseOptions{PostLine: u.PostLine})
				if err != nil {
					return err
				}
				post[filepath.Join(tree, u.Path)] = cf
				pfuncs = append(pfuncs, cf.Funcs...)
				pstructs.Merge(cf.Structs)
			}
		}
	}
	rs, err := rules.Default()
	if err != nil {
		return err
	}
	learned := taggedptr.LearnC(pfuncs, pstructs, rs)
	if len(learned) == 0 {
		return fmt.Errorf("%s tags no field", patchFile)
	}
	learnT := time.Since(start)

	var funcs []*flow.Func
	structs := taggedptr.CStructs{}
	files, lines, errs := 0, 0, 0
	seen := map[string]bool{}
	scanStart := time.Now()
	for _, t := range learned {
		opt := cparse.ScanOptions{Workers: workers, Contains: []byte(t.Field)}
		if reduce {
			// The same pre-filter check --tree uses: blank the bodies that
			// never mention the field, drop them after parsing.
			field := []byte(t.Field)
			opt.Prepare = func(_ string, src []byte) ([]byte, func(*cparse.CFile)) {
				out, blanked := taggedptr.CReduce(src, field)
				return out, func(cf *cparse.CFile) { cf.Funcs = taggedptr.CDropBlanked(cf.Funcs, blanked) }
			}
		}
		err := cparse.Scan([]string{tree}, opt, func(cf *cparse.CFile, err error) {
			if err != nil {
				errs++
				fmt.Fprintf(os.Stderr, "readers: %s: %v\n", cf.Path, err)
				return
			}
			if seen[cf.Path] {
				return
			}
			seen[cf.Path] = true
			if p := post[cf.Path]; p != nil {
				cf = p
			}
			files++
			lines += cf.Lines
			funcs = append(funcs, cf.Funcs...)
			structs.Merge(cf.Structs)
		})
		if err != nil {
			return err
		}
	}
	scanT := time.Since(scanStart)
	checkStart := time.Now()
	var stats taggedptr.CStats
	fds := taggedptr.CheckC(funcs, rs, taggedptr.COptions{Structs: structs, Fields: learned, ReadersOnly: true, Stats: &stats})
	checkT := time.Since(checkStart)

	per := map[string]int{}
	for _, f := range fds {
		rel := f.File
		if r, err := filepath.Rel(tree, f.File); err == nil && filepath.IsAbs(f.File) {
			rel = r
		}
		per[f.Group]++
		if verbose {
			fmt.Printf("%s:%d:%d: %s: %s\n", rel, f.Line, f.Column, f.Rule, f.Message)
		}
	}
	var groups []string
	for g := range per {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	for _, t := range learned {
		fmt.Printf("learned %s.%s (mask %s, accessors %v) at %s\n", t.Struct, t.Field, t.Mask, t.Accessors, t.Learned)
	}
	for _, g := range groups {
		fmt.Printf("readers of %s: %d\n", g, per[g])
	}
	fmt.Printf("files parsed: %d (%d lines, %d unreadable), functions: %d, searched: %d, unresolved accesses: %d\n",
		files, lines, errs, len(funcs), stats.Functions, stats.Unresolved)
	for _, u := range stats.UnresolvedAt {
		if r, err := filepath.Rel(tree, u); err == nil && filepath.IsAbs(u) {
			u = r
		}
		fmt.Printf("  unresolved: %s\n", u)
	}
	fmt.Printf("time: learn %v, scan+parse %v, check %v, total %v\n",
		learnT.Round(time.Millisecond), scanT.Round(time.Millisecond), checkT.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	return nil
}
