package main

import (
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
	multichecker.Main(goAnalyzers()...)
}

// goAnalyzers are the analyzers as the drivers run them: //tagcheck:ignore
// RULE reason silences a diagnostic (check/suppress.go), lockpair's
// wrapper also reports suppressions without a reason, and both time their
// runs for `tagcheck go -debug=t` when the parent asks for it.
func goAnalyzers() []*analysis.Analyzer {
	as := []*analysis.Analyzer{check.SuppressGo(lockpair.Analyzer, true), check.SuppressGo(taggedptr.Analyzer, false)}
	if f := os.Getenv(timingEnv); f != "" {
		for _, a := range as {
			timed(a, f)
		}
	}
	return as
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
