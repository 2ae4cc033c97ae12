package lockpair_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tagcheck/tagcheck/analyzers/lockpair"
	"github.com/tagcheck/tagcheck/report"
	"golang.org/x/tools/go/analysis/analysistest"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), lockpair.Analyzer, "lockpair/basic")
}

// Wrappers learned in package a are checked in package b through facts.
func TestFacts(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), lockpair.Analyzer, "lockpair/facts/a", "lockpair/facts/b")
}

func TestDirectives(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), lockpair.Analyzer, "lockpair/directive")
}

func TestSuggestedFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), lockpair.Analyzer, "lockpair/fix")
}

// A rules file given with a digest that does not match fails the run and
// names the right digest; the right digest passes.
func TestRulesDigest(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "extra.yaml")
	data := []byte("name: extra\npairs:\n  - {lang: go, acquire: [\"lockpair/basic.acquire\"], release: [\"lockpair/basic.release\"]}\n")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	good := hex.EncodeToString(sum[:])[:16]
	fl := lockpair.Analyzer.Flags
	defer func() {
		fl.Set("rules_digest", "")
		lockpair.ResetRulesForTest()
	}()
	fl.Set("rules", file)
	fl.Set("rules_digest", "0123456789abcdef")
	if _, err := lockpair.BaseRulesForTest(); err == nil || !strings.Contains(err.Error(), good) {
		t.Fatalf("a wrong digest must fail and name %s: %v", good, err)
	}
	fl.Set("rules_digest", good)
	rs, err := lockpair.BaseRulesForTest()
	if err != nil {
		t.Fatal(err)
	}
	if len(rs.Acquires("lockpair/basic.acquire")) == 0 {
		t.Fatal("extra pack not loaded")
	}
}

// Reductions of lock bugs fixed in public Go projects (bench/realbugs.md,
// section Go), each beside its fix.
func TestRealBugs(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(analysistest.TestData(), "src", "lockpair", "realbugs", "*"))
	if err != nil {
		t.Fatal(err)
	}
	var pkgs []string
	for _, d := range dirs {
		pkgs = append(pkgs, "lockpair/realbugs/"+filepath.Base(d))
	}
	analysistest.Run(t, analysistest.TestData(), lockpair.Analyzer, pkgs...)
}

// The Analyzer's Doc (the "# Analyzer lockpair" section of doc.go)
// describes every lockpair rule of the registry checked in Go.
func TestDocNamesEveryRule(t *testing.T) {
	for _, id := range report.SortedRuleIDs() {
		if strings.HasPrefix(id, "lockpair/") && report.Info(id).Go && !strings.Contains(lockpair.Analyzer.Doc, id) {
			t.Errorf("Analyzer.Doc does not describe %s", id)
		}
	}
}

// Findings in a file cgo rewrites and in one a //line directive moves are
// reported at the positions the directives give, as go vet's own
// analyzers report them, never dropped.
func TestLineDirectives(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), lockpair.Analyzer, "lockpair/cgo", "lockpair/linedir")
}

// BenchmarkTakesChain runs the analyzer on a package of n methods that
// each lock one of the receiver's locks and call the next method both on
// the receiver and on the next element of a list: what each takes grows
// with every level, as in a test package calling into a whole library.
// Summaries are learned callees first (one walk each) and bounded in
// depth (maxTakesDots), so the time grows with n, not with n squared.
func BenchmarkTakesChain(b *testing.B) {
	for _, n := range []int{50, 200} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			dir := b.TempDir()
			pkg := filepath.Join(dir, "src", "chain")
			if err := os.MkdirAll(pkg, 0o755); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(pkg, "chain.go"), takesChain(n), 0o644); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				analysistest.Run(b, dir, lockpair.Analyzer, "chain")
			}
		})
	}
}

// takesChain writes the source of BenchmarkTakesChain's package, callers
// first.
func takesChain(n int) []byte {
	var b strings.Builder
	b.WriteString("package chain\n\nimport \"sync\"\n\ntype T struct {\n\tmu   [8]sync.Mutex\n\tnext *T\n}\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "\nfunc (t *T) f%d() {\n\tt.mu[%d].Lock()\n\tt.mu[%d].Unlock()\n", i, i%8, i%8)
		if i+1 < n {
			fmt.Fprintf(&b, "\tt.f%d()\n\tif t.next != nil {\n\t\tt.next.f%d()\n\t}\n", i+1, i+1)
		}
		b.WriteString("}\n")
	}
	return []byte(b.String())
}
