package lockpair_test

import (
	"path/filepath"
	"testing"

	"github.com/tagcheck/tagcheck/analyzers/lockpair"
	"github.com/tagcheck/tagcheck/cparse"
	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/internal/ctest"
	"github.com/tagcheck/tagcheck/report"
	"github.com/tagcheck/tagcheck/rules"
)

// TestCCases runs every testdata/c/lockpair/NAME.c against the want
// comments written in it (see package ctest). Each file holds a bug shape
// and its correct twin, so a check that reports too much fails as surely as
// one that reports too little.
func TestCCases(t *testing.T) {
	ctest.Run(t, "../../testdata/c/lockpair", checkCFile)
}

func checkCFile(t *testing.T, path string, src []byte) []report.Finding {
	t.Helper()
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	cf, err := cparse.ParseC(filepath.Base(path), src, cparse.ParseOptions{NoReturn: rs.NoReturn})
	if err != nil {
		t.Fatal(err)
	}
	if cf.Degraded > 0 {
		t.Fatalf("%s: %d functions did not parse cleanly", path, cf.Degraded)
	}
	lockpair.Learn(cf.Funcs, rs, rules.C)
	var out []report.Finding
	lockpair.CheckAll(cf.Funcs, rs, func(_ *flow.Func, r lockpair.Result) {
		out = append(out, r.Findings...)
	})
	report.Sort(out)
	return out
}
