package cindex

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Def is where a function is defined.
type Def struct {
	File       string
	Start, End int // byte range of the definition
	Line       int // line of the name
	Static     bool
}

// Index maps function names to their definitions over a set of files.
type Index struct {
	defs  map[string][]Def
	Files int   // files read
	Bytes int64 // bytes read
}

// Lookup returns the definitions of name, by file (in Files order) and
// then by offset; nil when there is none.
func (x *Index) Lookup(name string) []Def { return x.defs[name] }

// Names returns every defined name, sorted.
func (x *Index) Names() []string {
	out := make([]string, 0, len(x.defs))
	for n := range x.defs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Build reads the *.c and *.h files under paths (see Files) on workers
// goroutines (0: every core) and indexes their definitions. A file that
// cannot be read is an error naming it.
func Build(paths []string, workers int) (*Index, error) {
	files, err := Files(paths)
	if err != nil {
		return nil, err
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type result struct {
		funcs []Func
		size  int
		err   error
	}
	results := make([]result, len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				src, err := os.ReadFile(files[i])
				if err != nil {
					results[i].err = fmt.Errorf("%s: %w", files[i], err)
					continue
				}
				results[i] = result{funcs: Funcs(src), size: len(src)}
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	x := &Index{defs: map[string][]Def{}, Files: len(files)}
	for i, r := range results {
		if r.err != nil {
			return nil, r.err
		}
		x.Bytes += int64(r.size)
		for _, fn := range r.funcs {
			x.defs[fn.Name] = append(x.defs[fn.Name], Def{File: files[i], Start: fn.Start, End: fn.End, Line: fn.Line, Static: fn.Static})
		}
	}
	return x, nil
}

// Files expands directories into their *.c and *.h files (skipping .git),
// without duplicates, ordered by directory and then by name: a directory's
// files come out together (callers learn per directory), where plain path
// order would put mm/kmsan/*.c between mm/filemap.c and mm/migrate.c.
func Files(paths []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, root := range paths {
		fi, err := os.Stat(root)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			add(root)
			continue
		}
		err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if d.Name() == ".git" && path != root {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() && (strings.HasSuffix(path, ".c") || strings.HasSuffix(path, ".h")) {
				add(path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		if da, db := filepath.Dir(a), filepath.Dir(b); da != db {
			return strings.Compare(da, db)
		}
		return strings.Compare(a, b)
	})
	return out, nil
}
