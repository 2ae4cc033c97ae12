package check_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/tagcheck/tagcheck/analyzers/lockpair"
	"github.com/tagcheck/tagcheck/check"
)

// TestNolint: golangci-lint's //nolint naming tagcheck or lockpair
// silences the Go analyzer as it does under golangci-lint, and nothing
// else does.
func TestNolint(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), check.SuppressGo(lockpair.Analyzer, true), "nolint")
}
