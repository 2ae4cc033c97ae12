package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/tagcheck/tagcheck/check"
	"github.com/tagcheck/tagcheck/internal/limits"
	"github.com/tagcheck/tagcheck/patch"
	"github.com/tagcheck/tagcheck/report"
	"github.com/tagcheck/tagcheck/rules"
)

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// outputFlags are the flags check and scan share.
type outputFlags struct {
	format       string
	rules        listFlag
	stats        bool
	terse        bool
	quiet        bool // no notes
	verb         bool // notes in every format, and what was analyzed
	color        colorFlag
	listDegraded bool

	baseline, writeBaseline string // suppress.go

	maxInput int64 // bytes of one patch, e-mail, rule pack or baseline
	maxFile  int64 // bytes of one C file of a scan or --tree; larger ones are skipped

	readFrom []string // the run's input files, set once the flags are parsed

	cfg configFlags // config.go: .tagcheck.yaml, --config, --no-config, --disable
	pol policy      // what cfg drops from the findings
}

func (o *outputFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&o.format, "format", "text", "output format: text, json or sarif")
	fs.Var(&o.rules, "rules", "a YAML rule pack to add to the embedded ones (repeatable)")
	fs.BoolVar(&o.stats, "stats", false, "print what was analyzed (files, lines, functions, degraded, unseen gaps) on stderr")
	fs.BoolVar(&o.terse, "terse", false, "text output: one line per finding, no path")
	fs.BoolVar(&o.listDegraded, "list-degraded", false, "list on stderr the functions not fully checked, with the reason (a syntax error the parser could not recover from, too many paths)")
	fs.BoolVar(&o.quiet, "q", false, "quiet: no notes on stderr, only findings and errors")
	fs.BoolVar(&o.verb, "v", false, "verbose: notes in every format, and what was analyzed (as --stats)")
	if o.color == "" {
		o.color = "auto"
	}
	fs.Var(&o.color, "color", "colour text output: auto (a terminal, without NO_COLOR or TERM=dumb), always or never")
	fs.StringVar(&o.baseline, "baseline", "", "report only findings not recorded in this baseline file")
	fs.StringVar(&o.writeBaseline, "write-baseline", "", "record the findings in this baseline file and exit 0")
	o.maxInput, o.maxFile = limits.DefaultInput, limits.DefaultSource
	fs.Var(limits.SizeFlag{N: &o.maxInput}, "max-input", "refuse a patch, e-mail, rule pack or baseline larger than this (exit 2); 0: no limit")
	o.cfg.register(fs)
	fs.Var(limits.SizeFlag{N: &o.maxFile}, "max-file", "skip, with a note, a C file of a scan or --tree larger than this; 0: no limit")
}

// loadRules reads the embedded packs and those --rules names.
func (o *outputFlags) loadRules() (*rules.Set, error) {
	return rules.LoadMax(o.maxInput, "--max-input", o.rules...)
}

// scanInputs checks that the paths of a scan exist and loads the rules.
func (o *outputFlags) scanInputs(paths []string) (*rules.Set, error) {
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("%s: cannot read: %w", p, err)
		}
	}
	o.readFrom = o.inputs(paths)
	return o.loadRules()
}

// inputs are the files this run reads, which --write-baseline must not
// overwrite.
func (o *outputFlags) inputs(args []string) []string {
	return append(append([]string{o.baseline}, o.rules...), args...)
}

// finish reads the configuration file once the flags are parsed (a flag
// given wins over the setting it names) and checks the flags.
func (o *outputFlags) finish(fs *flag.FlagSet) error {
	if err := o.cfg.load(fs); err != nil {
		return err
	}
	o.rules = o.cfg.rules(o.rules)
	o.baseline = o.cfg.baseline(o.baseline)
	o.pol = o.cfg.policy()
	return o.validate()
}

func (o *outputFlags) validate() error {
	if o.quiet && o.verb {
		return usageError{"-q and -v contradict each other"}
	}
	switch o.format {
	case "text", "json", "sarif":
		return nil
	}
	return usageError{fmt.Sprintf("unknown --format %q: want text, json or sarif", o.format)}
}

// showNotes says whether notes go to stderr: in text by default, in
// every format with -v, never with -q.
func (o *outputFlags) showNotes() bool {
	return !o.quiet && (o.format == "text" || o.format == "" || o.verb)
}

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("check", stderr, "tagcheck check [--tree DIR] [--no-cache] [--format text|json|sarif] [--rules FILE]... [--cpuprofile FILE] [--memprofile FILE] PATCH|EMAIL|MBOX|-...")
	var out outputFlags
	out.register(fs)
	tree := fs.String("tree", "", "the source tree the patch applies to: check every changed function whole, and every reader of a newly tagged field")
	patchOnly := fs.Bool("patch-only", false, "without --tree, check the patch alone, even when the repository of the working directory holds the pre-images its index lines name")
	noCache := fs.Bool("no-cache", false, "with --tree, neither use nor keep what a pass over the tree learns of each file in the cache (also TAGCHECK_CACHE=off; TAGCHECK_CACHE=DIR moves it)")
	var prof profiles
	prof.register(fs, "check")
	var src patchSource
	src.register(fs)
	inputs, code, ok := parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if err := out.finish(fs); err != nil {
		return fail(stderr, err)
	}
	if *tree != "" {
		if st, err := os.Stat(*tree); err != nil || !st.IsDir() {
			return fail(stderr, fmt.Errorf("--tree %s: not a directory", *tree))
		}
	}
	rs, err := out.loadRules()
	if err != nil {
		return fail(stderr, err)
	}
	out.readFrom = out.inputs(inputs)
	var cache *check.Cache
	if *tree != "" {
		cache = scanCache(*noCache, stderr)
	}
	if src.git != "" || src.staged {
		prog := newProgress(stderr, *tree != "" && !out.quiet && isInteractive(stderr, os.Getenv))
		res, err := checkGit(&src, inputs, *tree, check.Options{Rules: rs, Progress: prog.Update, MaxFile: out.maxFile, Cache: cache}, stderr)
		prog.Done()
		if err != nil {
			return fail(stderr, err)
		}
		return emit(res, out, stdout, stderr)
	}
	patches, tr, err := src.read(inputs, *tree, out.maxInput, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	if len(patches) == 0 {
		return 0
	}
	// With a tree, the readers of a newly tagged field are looked for in
	// every file of it: show how far that is on a terminal.
	prog := newProgress(stderr, tr != "" && !out.quiet && isInteractive(stderr, os.Getenv))
	opt := check.Options{Rules: rs, Tree: tr, Progress: prog.Update, MaxFile: out.maxFile, Cache: cache}
	return profiled(&prof, prog, out, stdout, stderr, func() (*check.Result, error) {
		if tr == "" && !*patchOnly {
			tmp := newScratch(stderr)
			defer tmp.close()
			if res, ok, err := checkObjects(patches, opt, tmp); ok || err != nil {
				return res, err
			}
		}
		return check.Patches(patches, opt)
	})
}

// profiled runs a check or a scan under --cpuprofile and --memprofile, with its progress
// shown, and emits what it found.
func profiled(prof *profiles, prog *progress, out outputFlags, stdout, stderr io.Writer, run func() (*check.Result, error)) int {
	if err := prof.start(); err != nil {
		return fail(stderr, err)
	}
	res, err := run()
	prog.Done()
	if perr := prof.stop(out.readFrom); err == nil {
		err = perr
	}
	if err != nil {
		return fail(stderr, err)
	}
	return emit(res, out, stdout, stderr)
}

// readPatches reads each input (a file or - for standard input, at most
// max bytes each) and splits it into patches. An input with no diff is a
// note, not an error.
func readPatches(inputs []string, max int64, stderr io.Writer) ([]*patch.Patch, error) {
	if len(inputs) == 0 {
		return nil, usageError{"check: no input: name a patch, an e-mail, an mbox or - for standard input"}
	}
	var all []*patch.Patch
	for _, in := range inputs {
		var data []byte
		var err error
		if in == "-" {
			in = "<stdin>"
			data, err = limits.ReadAll(os.Stdin, in, "--max-input", max)
		} else {
			data, err = limits.ReadFile(in, "--max-input", max)
		}
		var tooLarge *limits.TooLargeError
		if errors.As(err, &tooLarge) {
			return nil, err
		}
		if err != nil {
			return nil, fmt.Errorf("%s: cannot read: %w", in, err)
		}
		ps, err := patch.ParsePatches(in, data)
		if err != nil {
			return nil, err
		}
		if len(ps) == 0 && isCPath(in) {
			return nil, usageError{fmt.Sprintf("%s: a C source file, not a patch: to check the whole file run tagcheck scan %s", in, in)}
		}
		if len(ps) == 0 {
			fmt.Fprintf(stderr, "tagcheck: %s: no diff found; nothing to check\n", in)
		}
		all = append(all, ps...)
	}
	return all, nil
}

// emit writes the result and returns the exit code: 1 when there are
// findings, 2 when some input could not be checked (after the findings
// of the rest, and each such input on a line of its own).
func emit(res *check.Result, out outputFlags, stdout, stderr io.Writer) int {
	if len(res.Errors) > 0 && out.writeBaseline != "" {
		printErrors(res, stderr)
		return fail(stderr, fmt.Errorf("--write-baseline %s: not written: %d file%s could not be checked", out.writeBaseline, len(res.Errors), plural(len(res.Errors))))
	}
	if code, done := filter(res, out, stderr); done {
		return code
	}
	if out.showNotes() {
		for _, n := range res.Notes {
			fmt.Fprintf(stderr, "tagcheck: note: %s\n", report.OneLine(n))
		}
	}
	var err error
	switch out.format {
	case "json":
		err = report.WriteJSON(stdout, report.Output{Findings: res.Findings, Stats: res.Stats, Notes: res.Notes, Errors: res.Errors})
	case "sarif":
		err = report.WriteSARIFWith(stdout, res.Findings, sarifOptions(res))
	default:
		err = report.WriteText(stdout, res.Findings, report.TextOptions{Terse: out.terse, Color: out.color.enabled(stdout, os.Getenv)})
	}
	if err != nil {
		return fail(stderr, err)
	}
	if out.stats || out.verb {
		s := res.Stats
		fmt.Fprintf(stderr, "tagcheck: stats: %d files, %d lines, %d functions, %d degraded, %d with unseen gaps, %d skipped%s\n",
			s.Files, s.Lines, s.Functions, s.FunctionsDegraded, s.UnseenGaps, s.Skipped, leftOut(s.FunctionsSkipped))
	}
	if len(res.Errors) > 0 {
		printErrors(res, stderr)
		return 2
	}
	if out.listDegraded {
		for _, d := range res.Degraded {
			fmt.Fprintf(stderr, "tagcheck: degraded: %s:%d: %s: %s\n", d.File, d.Line, d.Function, d.Reason)
		}
	}
	if len(res.Findings) > 0 {
		return 1
	}
	return 0
}

// printErrors says which inputs were not checked, one line each, and
// that the result lacks them.
func printErrors(res *check.Result, stderr io.Writer) {
	for _, e := range res.Errors {
		fmt.Fprintf(stderr, "tagcheck: %s\n", report.OneLine(e))
	}
	fmt.Fprintf(stderr, "tagcheck: %d file%s could not be checked; the findings reported are those of the rest\n", len(res.Errors), plural(len(res.Errors)))
}

// leftOut is what --stats says of the functions a scan did not parse.
func leftOut(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(", %d functions left out (they cannot take part)", n)
}

func runScan(args []string, stdout, stderr io.Writer) int {
	if slices.Contains(args, "--sparse-compat") {
		return runCC(args, stdout, stderr) // the kernel build's $(CHECK) (cc.go)
	}
	fs := newFlagSet("scan", stderr, "tagcheck scan [--format text|json|sarif] [--rules FILE]... [--stats] [--all-functions] [--no-cache] [--cpuprofile FILE] [--memprofile FILE] PATH...")
	var out outputFlags
	out.register(fs)
	var prof profiles
	prof.register(fs, "scan")
	all := fs.Bool("all-functions", false, "parse and check every function, not only those that can take part in locking or tag writes (slower; the findings are the same)")
	noCache := fs.Bool("no-cache", false, "neither use nor store results in the scan cache (also TAGCHECK_CACHE=off; TAGCHECK_CACHE=DIR moves it)")
	paths, code, ok := parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if err := out.finish(fs); err != nil {
		return fail(stderr, err)
	}
	if len(paths) == 0 {
		return fail(stderr, usageError{"scan: name the files or directories to scan"})
	}
	rs, err := out.scanInputs(paths)
	if err != nil {
		return fail(stderr, err)
	}
	limitHeap()
	prog := newProgress(stderr, !out.quiet && isInteractive(stderr, os.Getenv))
	// --list-degraded asks about the parse of every function, also those
	// the checks would leave out.
	return profiled(&prof, prog, out, stdout, stderr, func() (*check.Result, error) {
		return check.Scan(paths, check.Options{Rules: rs, Progress: prog.Update, MaxFile: out.maxFile, AllFunctions: *all || out.listDegraded, Cache: scanCache(*noCache, stderr)})
	})
}
