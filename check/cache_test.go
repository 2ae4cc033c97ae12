package check

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tagcheck/tagcheck/rules"
)

// A second scan of the same files comes from the cache; a changed file,
// another rule pack or --all-functions is a different key.
func TestScanCache(t *testing.T) {
	tree := t.TempDir()
	src := filepath.Join(tree, "a.c")
	leak := "int f(struct s *s)\n{\n\tspin_lock(&s->lock);\n\tif (s->n)\n\t\treturn -1;\n\tspin_unlock(&s->lock);\n\treturn 0;\n}\n"
	if err := os.WriteFile(src, []byte(leak), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := OpenCache(t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Rules: rs, Workers: 1, Cache: c}
	first, err := Scan([]string{tree}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Findings) != 1 {
		t.Fatalf("want the leak, got %d findings", len(first.Findings))
	}
	key, ok := c.key([]string{src}, opt, 1)
	if !ok {
		t.Fatal("no key")
	}
	// Mark the stored entry: a hit returns the mark.
	stored, ok := c.get(key)
	if !ok {
		t.Fatal("nothing stored")
	}
	stored.Notes = []string{"from the cache"}
	if err := c.put(key, stored); err != nil {
		t.Fatal(err)
	}
	second, err := Scan([]string{tree}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(second.Findings, first.Findings) || len(second.Notes) != 1 {
		t.Errorf("second scan did not come from the cache: notes %q", second.Notes)
	}
	all := opt
	all.AllFunctions = true
	if r, err := Scan([]string{tree}, all); err != nil || len(r.Notes) != 0 {
		t.Errorf("--all-functions used the other options' entry: %v %q", err, r.Notes)
	}
	if err := os.WriteFile(src, []byte(strings.Replace(leak, "return -1;", "{ spin_unlock(&s->lock); return -1; }", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	third, err := Scan([]string{tree}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(third.Findings) != 0 || len(third.Notes) != 0 {
		t.Errorf("a changed file was not scanned again: %d findings, notes %q", len(third.Findings), third.Notes)
	}
}

// The store is bounded: entries beyond the limit go, least recently used
// first.
func TestCacheTrim(t *testing.T) {
	c, err := OpenCache(t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	big := &Result{Notes: []string{strings.Repeat("x", 600)}}
	if err := c.put("aa01", big); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(c.path("aa01"))
	if err != nil {
		t.Fatal(err)
	}
	c.limit = fi.Size() * 3 / 2 // room for one entry, not two
	if err := c.put("bb02", big); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.get("aa01"); ok {
		t.Errorf("the older entry survived a store over the limit")
	}
	if _, ok := c.get("bb02"); !ok {
		t.Errorf("the newest entry was trimmed")
	}
}

// TestCacheReadsBounded: a stored file larger than the store may hold
// is a miss, not read whole.
func TestCacheReadsBounded(t *testing.T) {
	dir := t.TempDir()
	c, err := OpenCache(dir, 1<<10)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	p := c.summariesPath(root)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, make([]byte, 2<<10), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := c.read(p); err == nil {
		t.Errorf("a %d-byte file read under a %d-byte store", 2<<10, 1<<10)
	}
	if c.summaries(root) != nil {
		t.Error("oversized summaries taken")
	}
}
