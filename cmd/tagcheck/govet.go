package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tagcheck/tagcheck/analyzers/lockpair"
	"github.com/tagcheck/tagcheck/analyzers/taggedptr"
	"github.com/tagcheck/tagcheck/internal/limits"
	"github.com/tagcheck/tagcheck/rules"
)

// The standalone driver: `tagcheck go [flags] PACKAGES` runs
//
//	go vet -vettool=THIS [-json | -fix [-diff]] [tool flags] -- PACKAGES
//
// so that every package is analyzed in its own short-lived process (the
// unitchecker), with types and facts of dependencies read from export
// data, as `go vet -vettool` does: peak memory is that of the largest
// package, not of the whole program. go vet always hands the tool -json;
// this driver reads those JSON results and prints them the way the
// go/analysis multichecker did (text on stderr, or one JSON tree on stdout
// with -json), with the multichecker's exit codes.

// goOptions is a parsed `tagcheck go` command line.
type goOptions struct {
	json, fix, diff bool
	context         int
	debug           string
	test            bool
	tags            string
	help            bool
	out             outputFlags // tagcheck's own: --format, --baseline, --write-baseline, -q
	inProcess       bool        // needs the whole-program multichecker
	protocol        bool        // go vet's protocol or help: the multichecker's
	toolFlags       []string    // for the vet tool, in command-line order
	patterns        []string
	retried         bool  // go vet was run again for results its cache lost (vetcount.go)
	maxFile         int64 // bytes of one Go source file; a larger one is refused (vetcount.go)
}

// goFlagValue records a flag as given; bool flags accept no value.
type goFlagValue struct {
	name   string
	isBool bool
	set    func(name, value string) error
	value  string
}

func (v *goFlagValue) String() string { return v.value }
func (v *goFlagValue) IsBoolFlag() bool {
	return v.isBool
}
func (v *goFlagValue) Set(s string) error {
	if v.isBool && v.name != "V" { // -V=full
		if _, err := strconv.ParseBool(s); err != nil {
			return errors.New("want true or false")
		}
	}
	v.value = s
	return v.set(v.name, s)
}

// driverFlags lists the go/analysis drivers' own flags (analysisflags and
// the multichecker's checker flags): name, whether it is boolean.
var driverFlags = []struct {
	name   string
	isBool bool
}{
	{"json", true}, {"c", false}, {"fix", true}, {"diff", true},
	{"debug", false}, {"cpuprofile", false}, {"memprofile", false}, {"trace", false}, {"test", true},
	{"flags", true}, {"V", true},
	// legacy vet flags the drivers accept
	{"source", true}, {"v", true}, {"all", true}, {"tags", false},
}

// parseGoArgs parses argv[1:] of a Go-mode invocation.
func parseGoArgs(args []string) (*goOptions, error) {
	o := &goOptions{context: -1, test: true}
	fs := flag.NewFlagSet("tagcheck go", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var tools []tool
	toolFlag := func(name, value string) error {
		tools = append(tools, tool{name, value})
		return nil
	}
	for _, a := range []struct {
		name  string
		flags *flag.FlagSet
	}{{lockpair.Analyzer.Name, &lockpair.Analyzer.Flags}, {taggedptr.Analyzer.Name, &taggedptr.Analyzer.Flags}} {
		fs.Var(&goFlagValue{name: a.name, isBool: true, set: toolFlag}, a.name, "")
		a.flags.VisitAll(func(f *flag.Flag) {
			b, ok := f.Value.(interface{ IsBoolFlag() bool })
			fs.Var(&goFlagValue{name: a.name + "." + f.Name, isBool: ok && b.IsBoolFlag(), set: toolFlag}, a.name+"."+f.Name, "")
		})
	}
	// tagcheck's own output flags (goreport.go), never passed to go vet
	o.out.maxInput = limits.DefaultInput // of the baseline
	o.maxFile = limits.DefaultSource
	fs.Var(limits.SizeFlag{N: &o.maxFile}, "max-file", "refuse (exit 2) a Go source file larger than this; 0: no limit")
	fs.StringVar(&o.out.format, "format", "", "output: text (the multichecker's, on stderr), json or sarif (tagcheck's, on stdout)")
	fs.StringVar(&o.out.baseline, "baseline", "", "report only findings not recorded in this baseline file")
	fs.StringVar(&o.out.writeBaseline, "write-baseline", "", "record the findings in this baseline file and exit 0")
	fs.BoolVar(&o.out.quiet, "q", false, "no notes on stderr")
	o.out.cfg.register(fs)
	for _, d := range driverFlags {
		fs.Var(&goFlagValue{name: d.name, isBool: d.isBool, set: func(name, v string) error {
			b, _ := strconv.ParseBool(v)
			switch name {
			case "json":
				o.json = b
			case "fix":
				o.fix = b
			case "diff":
				o.diff = b
			case "test":
				o.test = b
			case "c":
				n, err := strconv.Atoi(v)
				if err != nil {
					return errors.New("want a number")
				}
				o.context = n
			case "debug":
				o.debug = v
				for _, c := range v {
					if !strings.ContainsRune("fpstv", c) {
						return fmt.Errorf("want letters of \"fpstv\", not %q", c)
					}
				}
			case "cpuprofile", "memprofile", "trace":
				o.inProcess = true
			case "flags", "V":
				o.protocol = true
			case "v":
				if b && !strings.Contains(o.debug, "v") {
					o.debug += "v"
				}
			case "tags":
				o.tags = v
			}
			return nil
		}}, d.name, "")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			o.help = true
			return o, nil
		}
		return nil, fmt.Errorf("%v ('tagcheck go help' lists the flags)", err)
	}
	o.patterns = fs.Args()
	if err := o.validate(); err != nil {
		return nil, err
	}
	if o.protocol || len(o.patterns) == 1 && strings.HasSuffix(o.patterns[0], ".cfg") ||
		len(o.patterns) > 0 && o.patterns[0] == "help" {
		o.protocol = true
		return o, nil
	}
	if strings.ContainsAny(o.debug, "fs") {
		o.inProcess = true
	}
	if len(o.patterns) == 0 {
		return nil, errors.New("no packages: usage: tagcheck go [flags] PACKAGES (e.g. ./...)")
	}
	if err := o.configure(fs, &tools); err != nil {
		return nil, err
	}

	if err := o.ruleToolFlags(tools); err != nil {
		return nil, err
	}
	return o, nil
}

// ruleToolFlags turns the analyzers' flags into the vet tool's: the vet
// tool runs in each package's directory, so rule files are named
// absolutely; go vet caches by flags, so their digest goes in one.
func (o *goOptions) ruleToolFlags(tools []tool) error {
	var lockRules, taggedRules []string
	var lockDigest, taggedDigest string
	for _, t := range tools {
		switch t.name {
		case "lockpair.rules":
			lockRules = append(lockRules, splitList(t.value)...)
		case "taggedptr.rules":
			taggedRules = splitList(t.value) // a plain string flag: the last wins
		case "lockpair.rules_digest":
			lockDigest = t.value
		case "taggedptr.rules_digest":
			taggedDigest = t.value
		}
	}
	var err error
	if lockRules, err = absPaths(lockRules); err != nil {
		return err
	}
	if taggedRules, err = absPaths(taggedRules); err != nil {
		return err
	}
	if lockDigest, err = vetDigest("lockpair.rules_digest", lockRules, lockDigest); err != nil {
		return err
	}
	if taggedDigest, err = vetDigest("taggedptr.rules_digest", taggedRules, taggedDigest); err != nil {
		return err
	}
	lockDone := false
	for _, t := range tools {
		switch t.name {
		case "lockpair.rules":
			if !lockDone {
				o.toolFlags = append(o.toolFlags, "-lockpair.rules="+strings.Join(lockRules, ","))
				lockDone = true
			}
		case "taggedptr.rules", "lockpair.rules_digest", "taggedptr.rules_digest":
			// below
		default:
			o.toolFlags = append(o.toolFlags, "-"+t.name+"="+t.value)
		}
	}
	if len(taggedRules) > 0 {
		o.toolFlags = append(o.toolFlags, "-taggedptr.rules="+strings.Join(taggedRules, ","))
	}
	if lockDigest != "" {
		o.toolFlags = append(o.toolFlags, "-lockpair.rules_digest="+lockDigest)
	}
	if taggedDigest != "" {
		o.toolFlags = append(o.toolFlags, "-taggedptr.rules_digest="+taggedDigest)
	}
	return nil
}

// absPaths makes files absolute.
func absPaths(files []string) ([]string, error) {
	out := make([]string, len(files))
	for i, f := range files {
		a, err := filepath.Abs(f)
		if err != nil {
			return nil, err
		}
		out[i] = a
	}
	return out, nil
}

// vetDigest is the value of the rules_digest flag passed to the vet tool:
// the given one, checked, or the files' own.
func vetDigest(flagName string, files []string, given string) (string, error) {
	if len(files) == 0 {
		if given != "" {
			return "", fmt.Errorf("-%s given without -%s", flagName, strings.TrimSuffix(flagName, "_digest"))
		}
		return "", nil
	}
	if _, err := rules.Load(files...); err != nil {
		return "", fmt.Errorf("-%s: %v", strings.TrimSuffix(flagName, "_digest"), err)
	}
	got, err := rules.FileDigest(files)
	if err != nil {
		return "", fmt.Errorf("-%s: %v", strings.TrimSuffix(flagName, "_digest"), err)
	}
	if given == "" {
		return got[:16], nil
	}
	want := strings.ToLower(strings.TrimSpace(given))
	if len(want) < 8 || !strings.HasPrefix(got, want) {
		return "", fmt.Errorf("-%s=%s does not match %s, whose digest is %s (or leave the flag out: tagcheck go computes it)",
			flagName, given, strings.Join(files, ","), got[:16])
	}
	return want, nil
}

// tool is an analyzer flag as given: -lockpair.rules=x is {"lockpair.rules", "x"}.
type tool struct{ name, value string }

// configure reads .tagcheck.yaml for Go mode: its rule packs become
// -lockpair.rules and -taggedptr.rules unless either is given, its
// baseline the -baseline unless -baseline or -write-baseline is given.
func (o *goOptions) configure(fs *flag.FlagSet, tools *[]tool) error {
	c := &o.out.cfg
	if err := c.load(fs); err != nil {
		return err
	}
	if c.loaded != nil && len(c.loaded.Rules) > 0 && !c.explicit["lockpair.rules"] && !c.explicit["taggedptr.rules"] {
		packs := strings.Join(c.loaded.Rules, ",")
		*tools = append(*tools, tool{"lockpair.rules", packs}, tool{"taggedptr.rules", packs})
	}
	o.out.baseline = c.baseline(o.out.baseline)
	o.out.pol = c.policy()
	return nil
}

// own reports whether tagcheck's own reporting (goreport.go) is needed.
func (o *goOptions) own() bool {
	return o.out.format != "" || o.out.baseline != "" || o.out.writeBaseline != "" ||
		len(o.out.pol.disable) > 0 || len(o.out.pol.exclude) > 0
}

// validate checks tagcheck's own flags against the driver's.
func (o *goOptions) validate() error {
	switch o.out.format {
	case "", "text", "json", "sarif":
	default:
		return fmt.Errorf("unknown -format %q: want text, json or sarif", o.out.format)
	}
	own := o.out.format != "" || o.out.baseline != "" || o.out.writeBaseline != ""
	switch {
	case own && (o.fix || o.diff):
		return errors.New("-fix and -diff rewrite files: they take no -format, -baseline or -write-baseline")
	case own && o.json:
		return errors.New("-json is the multichecker's JSON tree; -format json is tagcheck's: choose one")
	case own && o.inProcess:
		return errors.New("-format, -baseline and -write-baseline are not available with -cpuprofile, -memprofile or -trace")
	}
	return nil
}

// vetArgs is the go vet command line for o.
func (o *goOptions) vetArgs(tool string) []string {
	args := []string{"vet", "-vettool=" + tool}
	if strings.Contains(o.debug, "p") {
		args = append(args, "-p=1")
	}
	if o.tags != "" {
		args = append(args, "-tags="+o.tags)
	}
	switch {
	case o.fix && o.diff:
		args = append(args, "-fix", "-diff")
	case o.fix:
		args = append(args, "-fix") // as the multichecker: -fix wins over -json
	default:
		args = append(args, "-json")
	}
	args = append(args, o.toolFlags...)
	args = append(args, "--")
	return append(args, o.patterns...)
}

// runGoVet runs `tagcheck go` through go vet. ok is false when argv is
// for the multichecker (go vet's protocol, help, or a whole-program
// debugging flag).
func runGoVet(argv []string) (code int, ok bool) {
	o, err := parseGoArgs(argv[1:])
	if err != nil {
		fmt.Fprintf(os.Stderr, "tagcheck: go: %v\n", err)
		return 2, true
	}
	if o.help || o.protocol || o.inProcess {
		return 0, false
	}
	return o.run(os.Stdout, os.Stderr), true
}

// vetTools finds this executable (the vet tool) and the go command.
func vetTools() (self, goCmd string, err error) {
	self, err = os.Executable()
	if err != nil {
		return "", "", fmt.Errorf("cannot find this executable for go vet -vettool: %w", err)
	}
	goCmd, err = exec.LookPath("go")
	if err != nil {
		return "", "", fmt.Errorf("the go command is not on PATH: %w", err)
	}
	return self, goCmd, nil
}

func (o *goOptions) run(stdout, stderr io.Writer) int {
	self, goCmd, err := vetTools()
	if err != nil {
		fmt.Fprintf(stderr, "tagcheck: go: %v\n", err)
		return 2
	}
	pkgs := o.listPackages(goCmd)
	if err := checkSources(pkgs, o.maxFile); err != nil {
		fmt.Fprintf(stderr, "tagcheck: go: %v\n", err)
		return 2
	}
	cmd := exec.Command(goCmd, o.vetArgs(self)...)
	cmd.Env = os.Environ()
	var timing string
	if strings.Contains(o.debug, "t") {
		f, err := os.CreateTemp("", "tagcheck-timing-")
		if err != nil {
			fmt.Fprintf(stderr, "tagcheck: go: -debug=t: %v\n", err)
			return 2
		}
		timing = f.Name()
		f.Close()
		defer os.Remove(timing)
		cmd.Env = append(cmd.Env, timingEnv+"="+timing)
	}
	if strings.Contains(o.debug, "v") {
		fmt.Fprintf(stderr, "tagcheck: go: %s %s\n", goCmd, strings.Join(cmd.Args[1:], " "))
	}
	errs := &vetStderr{out: stderr}
	cmd.Stderr = errs
	out, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintf(stderr, "tagcheck: go: %v\n", err)
		return 2
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(stderr, "tagcheck: go: %v\n", err)
		return 2
	}
	var res vetResults
	var diffBytes int64
	var readErr error
	if o.fix {
		diffBytes, readErr = io.Copy(stdout, out)
	} else {
		readErr = res.read(out)
		io.Copy(io.Discard, out)
	}
	werr := cmd.Wait()
	vetCode := 0
	if werr != nil {
		var ee *exec.ExitError
		if !errors.As(werr, &ee) {
			fmt.Fprintf(stderr, "tagcheck: go: go vet: %v\n", werr)
			return 1
		}
		vetCode = ee.ExitCode()
		if vetCode == 0 {
			vetCode = 1 // killed by a signal
		}
	}
	if readErr != nil {
		errs.flush()
		fmt.Fprintf(stderr, "tagcheck: go: reading go vet's output: %v\n", readErr)
		return 1
	}
	// go vet failed before any package was built or analyzed: the named
	// packages could not be loaded (no such package or directory, a
	// pattern matching nothing, a module error).
	if vetCode != 0 && !errs.sawPackage() && res.trees == 0 && diffBytes == 0 {
		errs.failLoad()
		return 2
	}
	if vetCode == 0 && !o.fix {
		if want := vetUnits(pkgs); want > 0 && res.trees < want {
			if !o.retried {
				// The cache's missing entry is usually complete by now.
				o.retried = true
				return o.run(stdout, stderr)
			}
			errs.flush()
			fmt.Fprintf(stderr, "tagcheck: go: go vet gave results for %d of %d packages (an entry of its cache is missing); run again, or clear the cache with go clean -cache\n", res.trees, want)
			return 1
		}
	}
	errs.flush()
	wall := time.Since(start)
	if timing != "" {
		defer printTiming(stderr, timing, wall)
	}
	code := 0
	if vetCode != 0 && !(o.fix && o.diff && diffBytes > 0 && !errs.sawPackage()) {
		code = 1 // a package did not build or type-check, or the tool failed
	}
	if o.fix {
		return code
	}
	res.filter(o.test)
	if o.own() {
		c, done := o.goReport(&res, stdout, stderr)
		if done {
			return goExit(code, c)
		}
	}
	if o.json {
		if err := res.printJSON(stdout); err != nil {
			return 1
		}
		return code
	}
	nerr, ndiag := res.printText(stderr, o.context)
	switch {
	case nerr > 0:
		code = goExit(code, 1)
	case ndiag > 0:
		code = goExit(code, 3)
	}
	return code
}

// goExit combines two outcomes into the documented exit code: 2 (bad use)
// over 1 (a package did not build, or the tool failed) over 3
// (diagnostics) over 0. Diagnostics in one package must not hide a build
// failure in another: a CI job reading 3 as "findings" would never learn
// that a package went unchecked.
func goExit(a, b int) int {
	rank := func(c int) int {
		switch c {
		case 2:
			return 3
		case 1:
			return 2
		case 3:
			return 1
		}
		return 0
	}
	if rank(a) >= rank(b) {
		return a
	}
	return b
}

// vetStderr passes go vet's stderr through. Until the first package
// header ("# pkg"), which means the go command got as far as building and
// analyzing, it holds the lines back: if go vet fails before that, they
// are a load error and are printed as tagcheck's own.
type vetStderr struct {
	mu      sync.Mutex
	out     io.Writer
	held    bytes.Buffer
	partial []byte
	live    bool
}

func (w *vetStderr) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.live {
		return w.out.Write(p)
	}
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			break
		}
		line := w.partial[:i+1]
		if bytes.HasPrefix(line, []byte("# ")) {
			w.live = true
			w.out.Write(w.held.Bytes())
			w.held.Reset()
			rest := w.partial
			w.partial = nil
			w.out.Write(rest)
			return len(p), nil
		}
		w.held.Write(line)
		w.partial = w.partial[i+1:]
	}
	return len(p), nil
}

func (w *vetStderr) sawPackage() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.live
}

// flush prints what was held back.
func (w *vetStderr) flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.out.Write(w.held.Bytes())
	w.out.Write(w.partial)
	w.held.Reset()
	w.partial = nil
}

// failLoad prints the held lines as tagcheck's error.
func (w *vetStderr) failLoad() {
	w.mu.Lock()
	defer w.mu.Unlock()
	text := strings.TrimSpace(w.held.String() + string(w.partial))
	if text == "" {
		text = "go vet failed without a message"
	}
	for _, l := range strings.Split(text, "\n") {
		fmt.Fprintf(w.out, "tagcheck: go: %s\n", strings.TrimPrefix(l, "go: "))
	}
	w.held.Reset()
	w.partial = nil
}

// printTiming prints, as the multichecker's -debug=t did, the analyses
// that took 90% of the time, then the rest.
func printTiming(w io.Writer, file string, wall time.Duration) {
	data, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintf(w, "tagcheck: go: -debug=t: %v\n", err)
		return
	}
	type entry struct {
		d    time.Duration
		name string
	}
	var list []entry
	var total time.Duration
	for _, l := range strings.Split(string(data), "\n") {
		ns, name, ok := strings.Cut(l, "\t")
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(ns, 10, 64)
		if err != nil {
			continue
		}
		list = append(list, entry{time.Duration(n), name})
		total += time.Duration(n)
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].d > list[j].d })
	var sum time.Duration
	for _, e := range list {
		fmt.Fprintf(w, "%s\t%s\n", e.d, e.name)
		sum += e.d
		if sum >= total*9/10 {
			break
		}
	}
	if total > sum {
		fmt.Fprintf(w, "%s\tall others\n", total-sum)
	}
	fmt.Fprintf(w, "%s\twall time of go vet (analyses it had cached did not run and are not listed)\n", wall.Round(time.Millisecond))
}
