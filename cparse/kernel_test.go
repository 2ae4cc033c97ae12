package cparse

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/tagcheck/tagcheck/internal/testenv"
)

// TestDegradedShapes lists the source lines behind degraded functions
// under TAGCHECK_DEGRADED_DIR (relative to the kernel tree); a tool for
// improving the pre-pass, skipped unless the variable is set.
func TestDegradedShapes(t *testing.T) {
	rel := os.Getenv("TAGCHECK_DEGRADED_DIR")
	if rel == "" {
		t.Skip("set TAGCHECK_DEGRADED_DIR to a directory of the kernel tree")
	}
	root := testenv.KernelTree(t)
	var mu sync.Mutex
	type hit struct {
		path string
		line int
		fn   string
	}
	var hits []hit
	debugDegraded = func(path string, line int, fn string) {
		mu.Lock()
		hits = append(hits, hit{path, line, fn})
		mu.Unlock()
	}
	defer func() { debugDegraded = nil }()
	funcs := 0
	if err := Scan([]string{filepath.Join(root, rel)}, ScanOptions{}, func(cf *CFile, err error) {
		if cf != nil {
			funcs += len(cf.Funcs)
		}
	}); err != nil {
		t.Fatal(err)
	}
	shapes := map[string]int{}
	var lines []string
	for _, h := range hits {
		f, err := os.Open(h.path)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for i := 1; sc.Scan(); i++ {
			if i == h.line {
				l := strings.TrimSpace(sc.Text())
				lines = append(lines, fmt.Sprintf("%s:%d %s: %s", h.path[len(root)+1:], h.line, h.fn, l))
				w := l
				if k := strings.IndexAny(w, "( "); k > 0 {
					w = w[:k]
				}
				shapes[w]++
				break
			}
		}
		f.Close()
	}
	type kv struct {
		k string
		v int
	}
	var kvs []kv
	for k, v := range shapes {
		kvs = append(kvs, kv{k, v})
	}
	sort.Slice(kvs, func(i, j int) bool { return kvs[i].v > kvs[j].v })
	t.Logf("functions %d degraded %d", funcs, len(hits))
	for i, e := range kvs {
		if i < 40 {
			t.Logf("%6d %s", e.v, e.k)
		}
	}
	for i, l := range lines {
		if i < 150 {
			t.Log(l)
		}
	}
}
