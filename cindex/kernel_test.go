package cindex_test

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/tagcheck/tagcheck/cindex"
	"github.com/tagcheck/tagcheck/cparse"
	"github.com/tagcheck/tagcheck/internal/testenv"
)

// kernelDirs are the directories of the Linux tree compared by default:
// a few seconds of tree-sitter. TAGCHECK_CINDEX_DIRS names others
// (space-separated, relative to the tree; "." is the whole tree, some
// minutes on two cores).
func kernelDirs(t *testing.T, root string) []string {
	rel := []string{"kernel", "fs/ext4"}
	if env := os.Getenv("TAGCHECK_CINDEX_DIRS"); env != "" {
		rel = strings.Fields(env)
	}
	var out []string
	for _, r := range rel {
		out = append(out, filepath.Join(root, r))
	}
	return out
}

// The lexical index finds the functions the tree-sitter front end finds:
// per file, the same names, within a tolerance of 1% of definitions
// either way. Measured on kernel/ and fs/ext4: 8 only in tree-sitter (it
// takes a list of BTF_ID(...) macro uses before a function for its
// header), 131 only lexical (BPF_CALL_n(name, ...) definitions, which
// the front end does not read as functions).
func TestKernelFunctionSet(t *testing.T) {
	root := testenv.KernelTree(t)
	if testing.Short() {
		t.Skip("skipping the kernel comparison in short mode")
	}
	dirs := kernelDirs(t, root)
	type key struct{ file, name string }
	sitter := map[key]bool{}
	var mu sync.Mutex
	err := cparse.Scan(dirs, cparse.ScanOptions{}, func(cf *cparse.CFile, err error) {
		if err != nil {
			t.Errorf("tree-sitter: %v", err)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		for _, fn := range cf.Funcs {
			sitter[key{cf.Path, fn.Name}] = true
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	files, err := cindex.Files(dirs)
	if err != nil {
		t.Fatal(err)
	}
	lexical := map[key]bool{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, fn := range cindex.Funcs(src) {
			lexical[key{f, fn.Name}] = true
		}
	}
	var missing, extra []string
	for k := range sitter {
		if !lexical[k] {
			missing = append(missing, strings.TrimPrefix(k.file, root+"/")+": "+k.name)
		}
	}
	for k := range lexical {
		if !sitter[k] {
			extra = append(extra, strings.TrimPrefix(k.file, root+"/")+": "+k.name)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	t.Logf("%d files: tree-sitter %d definitions, lexical %d; %d only in tree-sitter, %d only lexical",
		len(files), len(sitter), len(lexical), len(missing), len(extra))
	for i, m := range missing {
		if i < 40 {
			t.Logf("only tree-sitter: %s", m)
		}
	}
	for i, m := range extra {
		if i < 40 {
			t.Logf("only lexical: %s", m)
		}
	}
	tolerance := len(sitter) / 100
	if len(missing) > tolerance || len(extra) > tolerance {
		t.Errorf("%d missing and %d extra definitions: more than the tolerance of %d", len(missing), len(extra), tolerance)
	}
}

// BenchmarkFuncs measures the lexical pass over the kernel's fs/ (MB/s).
func BenchmarkFuncs(b *testing.B) {
	srcs, size := fsSources(b)
	b.SetBytes(size)
	b.ResetTimer()
	for range b.N {
		for _, src := range srcs {
			cindex.Funcs(src)
		}
	}
}

// fsSources reads the kernel's fs/ for a benchmark: the texts and their
// total size.
func fsSources(b *testing.B) ([][]byte, int64) {
	root := testenv.KernelTree(b)
	files, err := cindex.Files([]string{filepath.Join(root, "fs")})
	if err != nil {
		b.Fatal(err)
	}
	var srcs [][]byte
	var size int64
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		srcs = append(srcs, src)
		size += int64(len(src))
	}
	return srcs, size
}

// BenchmarkDefsAndTopLevel: what the lookup pays per file, fs/'s files:
// the survey's summary of every file (Summarize), and for a candidate
// lexing for the definitions (Defs) against following the braces only
// (topLevel, which decides whether to lex).
func BenchmarkDefsAndTopLevel(b *testing.B) {
	srcs, size := fsSources(b)
	for name, fn := range map[string]func([]byte){"Defs": func(src []byte) { cindex.Defs(src) }, "topLevel": cindex.TopLevel, "Summarize": summarizeInto(new(cindex.Summarizer))} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(size)
			for range b.N {
				for _, src := range srcs {
					fn(src)
				}
			}
		})
	}
}

// summarizeInto is z.Summarize as the survey calls it: one buffer set
// for file after file.
func summarizeInto(z *cindex.Summarizer) func([]byte) {
	return func(src []byte) { z.Summarize(src) }
}

// TestKernelDefinitionsFound: the summary the lazy definition lookup
// consults (Summary.Defines) takes every file for every name Funcs finds
// defined in it, so that an index of the files it takes answers Lookup
// for those names as the whole tree's index does; and its definition
// names, found next to "(", "/" and "\\" only, are those a look at every
// identifier finds; and that the name stands outside every brace where
// the survey's lookup looks for it before lexing (mayDefine, topDefNames).
// Over the whole tree with TAGCHECK_CINDEX_DIRS=. (a minute on two
// cores).
func TestKernelDefinitionsFound(t *testing.T) {
	root := testenv.KernelTree(t)
	if testing.Short() {
		t.Skip("skipping the kernel comparison in short mode")
	}
	files, err := cindex.Files(kernelDirs(t, root))
	if err != nil {
		t.Fatal(err)
	}
	var defs, missed int
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		funcs := cindex.Funcs(src)
		if !cindex.SameDefs(funcs, cindex.Defs(src)) {
			t.Errorf("%s: Defs and Funcs differ", file)
		}
		sum := cindex.Summarize(src)
		if !cindex.SameDefNames(sum, src) {
			t.Errorf("%s: the definition names found next to the bytes that border them differ from a look at every identifier", file)
		}
		if at := cindex.TopLevelMismatch(src); at >= 0 {
			t.Errorf("%s: at offset %d, topLevel and the finder disagree on the brace depth", file, at)
		}
		top := cindex.TopDefines(src)
		for _, fn := range funcs {
			defs++
			if want := 1 + bytes.Count(src[:fn.Start], []byte("\n")); fn.StartLine != want {
				t.Errorf("%s:%d: %s starts at line %d, StartLine says %d", file, fn.Line, fn.Name, want, fn.StartLine)
			}
			if !sum.Defines(cindex.NewNames([]string{fn.Name})) {
				missed++
				if missed <= 20 {
					t.Errorf("%s:%d: %s defined here, but the file is not taken for it", file, fn.Line, fn.Name)
				}
			}
			if standing, summarized := top(fn.Name, fn.NameAt); !standing || !summarized {
				missed++
				if missed <= 20 {
					t.Errorf("%s:%d: %s defined here, but not found outside every brace (standing %v, in the sharpened summary %v)", file, fn.Line, fn.Name, standing, summarized)
				}
			}
		}
	}
	t.Logf("%d files, %d definitions, %d missed", len(files), defs, missed)
}
