package check

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/tagcheck/tagcheck/cparse"
	"github.com/tagcheck/tagcheck/internal/limits"
	"github.com/tagcheck/tagcheck/rules"
)

// TestRereadBounded: the places that read a source file again after the
// scan listed and parsed it (the scan cache's key, the lines a finding
// names, the planner's look at tag writers, the whole parse of a file
// the selection cut) never wait on a FIFO put in its place, and the
// cache's key does not read a file over --max-file, which the scan
// skips whatever it holds.
func TestRereadBounded(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "f.c")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFO here:", err)
	}
	huge := filepath.Join(dir, "h.c")
	if err := os.WriteFile(huge, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, limits.DefaultSource+1); err != nil { // sparse
		t.Fatal(err)
	}
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Rules: rs, MaxFile: limits.DefaultSource}
	c := &Cache{dir: t.TempDir(), tool: "test"}

	if _, ok := c.key([]string{fifo}, opt, 1); ok {
		t.Errorf("cache key over a FIFO: ok; want none (the scan reports it)")
	}
	k1, ok := c.key([]string{huge}, opt, 1)
	if !ok {
		t.Fatalf("cache key over a file beyond --max-file: none")
	}
	if err := os.Truncate(huge, limits.DefaultSource+2); err != nil {
		t.Fatal(err)
	}
	if k2, _ := c.key([]string{huge}, opt, 1); k2 != k1 {
		t.Errorf("cache key changed with the bytes of a file the scan skips")
	}
	if ls := readLines(fifo); ls.Has(1) {
		t.Errorf("a FIFO read for its lines: want none")
	}
	if !writesTagsIn(fifo, []plannedFunc{{start: 0, end: 1}}, cparse.ParseOptions{}) {
		t.Errorf("a candidate that cannot be read: not a tag writer; want one (the directory parsed whole)")
	}
	cf := &cparse.CFile{Path: fifo, Skipped: 1}
	if got := reparse([]*cparse.CFile{cf}, opt); got[0] != cf {
		t.Errorf("reparse of a FIFO replaced the file")
	}
}
