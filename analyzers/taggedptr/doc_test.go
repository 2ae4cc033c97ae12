package taggedptr

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagcheck/tagcheck/report"
	"github.com/tagcheck/tagcheck/rules"
)

// The Analyzer's Doc (the "# Analyzer taggedptr" section of doc.go)
// describes every taggedptr rule of the registry checked in Go.
func TestDocNamesEveryRule(t *testing.T) {
	for _, id := range report.SortedRuleIDs() {
		if strings.HasPrefix(id, "taggedptr/") && report.Info(id).Go && !strings.Contains(Analyzer.Doc, id) {
			t.Errorf("Analyzer.Doc does not describe %s", id)
		}
	}
}

// -taggedptr.rules_digest is the analyzer's own: a wrong digest fails and
// names the right one, the right one loads the pack.
func TestRulesDigest(t *testing.T) {
	file := filepath.Join(t.TempDir(), "extra.yaml")
	if err := os.WriteFile(file, []byte("name: extra\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	good, err := rules.FileDigest([]string{file})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loadPacks(file, "0123456789abcdef"); err == nil || !strings.Contains(err.Error(), "-taggedptr.rules_digest="+good[:16]) {
		t.Fatalf("a wrong digest must fail and name %s: %v", good[:16], err)
	}
	if _, err := loadPacks(file, good[:8]); err != nil {
		t.Fatal(err)
	}
	if _, err := loadPacks("", good[:8]); err == nil {
		t.Fatal("a digest without -taggedptr.rules must fail")
	}
}
