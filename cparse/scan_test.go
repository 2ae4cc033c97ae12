package cparse

import (
	"path/filepath"
	"sort"
	"testing"

	"github.com/tagcheck/tagcheck/internal/testenv"
)

func TestScan(t *testing.T) {
	dir := t.TempDir()
	testenv.WriteTree(t, dir, map[string]string{
		"b/two.c":     "int two(void) { return lock_it(); }\n",
		"a/one.h":     "static inline int one(void) { return 1; }\n",
		"c/three.c":   "void three(void) { lock_it(); }\nvoid four(void) { }\n",
		".git/skip.c": "int skipped(void) { lock_it(); }\n",
		"notes.txt":   "lock_it\n",
		"d/bin.c":     "\x00\x01binary lock_it",
	})
	for _, workers := range []int{0, 1, 3} {
		var paths []string
		funcs := 0
		errs := 0
		err := Scan([]string{dir}, ScanOptions{Workers: workers}, func(cf *CFile, err error) {
			if err != nil {
				errs++
			}
			paths = append(paths, cf.Path)
			funcs += len(cf.Funcs)
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(paths) != 4 || !sort.StringsAreSorted(paths) || funcs != 4 || errs != 1 {
			t.Fatalf("workers %d: paths %v funcs %d errs %d", workers, paths, funcs, errs)
		}
	}
	var got []string
	err := Scan([]string{dir}, ScanOptions{Contains: []byte("lock_it")}, func(cf *CFile, err error) {
		if err == nil {
			got = append(got, filepath.Base(cf.Path))
		}
	})
	if err != nil || len(got) != 2 || got[0] != "two.c" || got[1] != "three.c" {
		t.Fatalf("Contains: %v %v", got, err)
	}
	if err := Scan([]string{filepath.Join(dir, "missing")}, ScanOptions{}, func(*CFile, error) {}); err == nil {
		t.Fatal("no error for a missing path")
	}
}
