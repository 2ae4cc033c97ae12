package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/tagcheck/tagcheck/analyzers/lockpair"
	"github.com/tagcheck/tagcheck/analyzers/taggedptr"
	"github.com/tagcheck/tagcheck/check"
	"github.com/tagcheck/tagcheck/internal/limits"
)

// runGo serves every Go use of the binary. It does not return.
//
//   - go vet's unitchecker protocol (-V=full, -flags, a lone *.cfg) and
//     `help` go to the go/analysis multichecker untouched: it is the
//     per-package process that go vet starts.
//   - `tagcheck go [flags] PACKAGES` (and `tagcheck PACKAGES`) runs
//     go vet with this executable as its vet tool (govet.go): one process
//     per package, facts through export data, bounded memory.
//   - with -cpuprofile, -memprofile, -trace, or -debug=f or s, which
//     describe one whole-program process, the multichecker loads
//     everything itself, as tagcheck go always did (memory: gigabytes on
//     a large module).
func runGo(argv []string) {
	if code, ok := runGoVet(argv); ok {
		os.Exit(code)
	}
	runMultichecker(argv)
}

// runMultichecker hands argv to the go/analysis multichecker.
func runMultichecker(argv []string) {
	os.Args = argv
	flag.StringVar(&taggedRulesDigest, "taggedptr.rules_digest", "", "hex SHA-256 (8 or more leading digits) of the -taggedptr.rules files' contents concatenated in order; go vet caches results by flags, so set it whenever -taggedptr.rules is used under go vet: $(cat FILE... | sha256sum | cut -c1-16)")
	multichecker.Main(goAnalyzers()...)
}

// goAnalyzers are the analyzers as the drivers run them: //tagcheck:ignore
// RULE reason silences a diagnostic (check/suppress.go), lockpair's
// wrapper also reports suppressions without a reason, taggedptr checks
// -taggedptr.rules_digest, and both time their runs for `tagcheck go
// -debug=t` when the parent asks for it.
func goAnalyzers() []*analysis.Analyzer {
	tp := check.SuppressGo(taggedptr.Analyzer, false)
	run := tp.Run
	tp.Run = func(pass *analysis.Pass) (any, error) {
		if err := checkTaggedDigest(); err != nil {
			return nil, err
		}
		return run(pass)
	}
	as := []*analysis.Analyzer{check.SuppressGo(lockpair.Analyzer, true), tp}
	if f := os.Getenv(timingEnv); f != "" {
		for _, a := range as {
			timed(a, f)
		}
	}
	return as
}

// taggedRulesDigest is -taggedptr.rules_digest: what -lockpair.rules_digest
// is for lockpair, for taggedptr's rule files (that analyzer has no such
// flag of its own, so the driver keeps it).
var taggedRulesDigest string

func checkTaggedDigest() error {
	if taggedRulesDigest == "" {
		return nil
	}
	var files []string
	if f := flag.Lookup("taggedptr.rules"); f != nil {
		files = splitList(f.Value.String())
	}
	if len(files) == 0 {
		return fmt.Errorf("taggedptr: -taggedptr.rules_digest given without -taggedptr.rules")
	}
	got, err := rulesDigest(files)
	if err != nil {
		return fmt.Errorf("taggedptr: rules: %w", err)
	}
	want := strings.ToLower(strings.TrimSpace(taggedRulesDigest))
	if len(want) < 8 || !strings.HasPrefix(got, want) {
		return fmt.Errorf("taggedptr: -taggedptr.rules_digest=%s does not match %s, whose digest is %s: "+
			"go vet caches results by flag values, so pass the current digest (-taggedptr.rules_digest=%s)",
			taggedRulesDigest, strings.Join(files, ","), got[:16], got[:16])
	}
	return nil
}

// rulesDigest is the hex SHA-256 of the files' contents concatenated in
// order, as -lockpair.rules_digest and -taggedptr.rules_digest want it.
func rulesDigest(files []string) (string, error) {
	h := sha256.New()
	for _, f := range files {
		data, err := limits.ReadFile(f, "", limits.DefaultInput)
		if err != nil {
			return "", err
		}
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(v string) []string {
	var out []string
	for _, f := range strings.Split(v, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// timingEnv names the file to which the per-package processes started by
// `tagcheck go -debug=t` append how long each analysis took.
const timingEnv = "TAGCHECK_GO_TIMING"

var procStart = time.Now()

var timingMu sync.Mutex

// timed makes a append "NANOSECONDS\tNAME@PKG" lines to file: its own run,
// and (as "prepare@PKG") the time this process spent before it, reading,
// type-checking and building SSA.
func timed(a *analysis.Analyzer, file string) {
	run := a.Run
	name := a.Name
	a.Run = func(pass *analysis.Pass) (any, error) {
		t0 := time.Now()
		res, err := run(pass)
		d := time.Since(t0)
		timingMu.Lock()
		defer timingMu.Unlock()
		if f, ferr := os.OpenFile(file, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); ferr == nil {
			line := fmt.Sprintf("%d\t%s@%s\n", d.Nanoseconds(), name, pass.Pkg.Path())
			if name == "lockpair" {
				line += fmt.Sprintf("%d\tprepare@%s\n", t0.Sub(procStart).Nanoseconds(), pass.Pkg.Path())
			}
			f.WriteString(line)
			f.Close()
		}
		return res, err
	}
}
