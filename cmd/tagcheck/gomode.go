package main

import (
	"os"

	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/tagcheck/tagcheck/analyzers/lockpair"
	"github.com/tagcheck/tagcheck/analyzers/taggedptr"
	"github.com/tagcheck/tagcheck/check"
)

// runGo hands argv to the go/analysis multichecker, which serves both
// `tagcheck go ./...` (standalone, go/packages) and go vet's unitchecker
// protocol (-V=full, -flags, a lone *.cfg). It does not return.
func runGo(argv []string) {
	os.Args = argv
	// //tagcheck:ignore RULE reason silences a diagnostic (check/suppress.go);
	// lockpair's wrapper also reports suppressions without a reason.
	multichecker.Main(check.SuppressGo(lockpair.Analyzer, true), check.SuppressGo(taggedptr.Analyzer, false))
}
