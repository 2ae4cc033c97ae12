package cindex

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/tagcheck/tagcheck/internal/limits"
)

// Def is where a function is defined.
type Def struct {
	File       string
	Start, End int // byte range of the definition
	Line       int // line of the name
	StartLine  int // line of Start
	Static     bool
}

// Index maps function names to their definitions over a set of files.
type Index struct {
	// The definitions hold no pointer (a file is a number into files):
	// the whole tree has 650,000, live through a scan, and the
	// collector would otherwise trace each at every cycle.
	defs   map[string][]indexedDef
	files  []string
	fileID map[string]int32
	Files  int   // files read
	Bytes  int64 // bytes read
	// Unread holds the files that could not be read (gone since they
	// were listed, or unreadable), left out of the index, in file order.
	Unread []error
}

// indexedDef is a Def as the index keeps it.
type indexedDef struct {
	file            int32
	static          bool
	start, end      int
	line, startLine int
}

// Lookup returns the definitions of name, by file (in Files order) and
// then by offset; nil when there is none.
func (x *Index) Lookup(name string) []Def {
	ds := x.defs[name]
	if len(ds) == 0 {
		return nil
	}
	out := make([]Def, len(ds))
	for i, d := range ds {
		out[i] = Def{File: x.files[d.file], Start: d.start, End: d.end, Line: d.line, StartLine: d.startLine, Static: d.static}
	}
	return out
}

// Names returns every defined name, sorted.
func (x *Index) Names() []string {
	return slices.Sorted(maps.Keys(x.defs))
}

// Build reads the *.c and *.h files under paths (see Files) on workers
// goroutines (0: every core) and indexes their definitions. A file that
// cannot be read is an error naming it.
func Build(paths []string, workers int) (*Index, error) {
	files, err := Files(paths)
	if err != nil {
		return nil, err
	}
	x := BuildFiles(files, workers, nil)
	if len(x.Unread) > 0 {
		return nil, x.Unread[0]
	}
	return x, nil
}

// BuildFiles indexes files (as Files returns them). When visit is not
// nil it is also given each file's text and functions, from the worker
// goroutines, so that one lexical pass serves other questions too. A file
// that cannot be read does not stop the others: it is left out and listed
// in Unread (a scan reports it when it comes to read it).
func BuildFiles(files []string, workers int, visit func(i int, src []byte, funcs []Func)) *Index {
	x, _ := buildFiles(files, workers, visit, nil)
	return x
}

// buildFiles is BuildFiles, also returning each file's definitions (nil
// for a file that could not be read). When want is not nil, a file for
// which it is false is read but not lexed: it is neither indexed nor
// counted in Files, and its definitions are nil.
func buildFiles(files []string, workers int, visit func(i int, src []byte, funcs []Func), want func(i int, src []byte) bool) (*Index, [][]named) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type result struct {
		defs    []named
		size    int
		err     error
		skipped bool
	}
	results := make([]result, len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				src, err := limits.ReadRegular(files[i], "--max-file", limits.DefaultSource)
				if tooLarge := (*limits.TooLargeError)(nil); errors.As(err, &tooLarge) {
					// as the survey leaves it out; a scan notes it
					// when its parse comes to it
					results[i].skipped = true
					continue
				}
				if err != nil {
					results[i].err = fmt.Errorf("%s: %w", files[i], err)
					continue
				}
				if want != nil && !want(i, src) {
					results[i].skipped = true
					continue
				}
				var funcs []Func
				if visit != nil {
					funcs = Funcs(src)
					visit(i, src, funcs)
				} else {
					funcs = Defs(src)
				}
				results[i] = result{defs: namedDefs(files[i], funcs), size: len(src)}
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	x := &Index{}
	perFile := make([][]named, len(files))
	for i, r := range results {
		if r.err != nil {
			x.Unread = append(x.Unread, r.err)
			continue
		}
		if r.skipped {
			continue
		}
		x.Files++
		x.Bytes += int64(r.size)
		x.add(r.defs)
		perFile[i] = r.defs
	}
	return x, perFile
}

type named struct {
	name string
	def  Def
}

// namedDefs keeps of funcs only what the index needs: calls and idents
// would hold the whole tree's identifiers until the merge. Never nil.
func namedDefs(file string, funcs []Func) []named {
	defs := make([]named, len(funcs))
	for j, fn := range funcs {
		defs[j] = named{fn.Name, Def{File: file, Start: fn.Start, End: fn.End, Line: fn.Line, StartLine: fn.StartLine, Static: fn.Static}}
	}
	return defs
}

func (x *Index) add(defs []named) {
	x.init()
	for _, d := range defs {
		x.defs[d.name] = append(x.defs[d.name], indexedDef{
			file: x.fileOf(d.def.File), static: d.def.Static,
			start: d.def.Start, end: d.def.End, line: d.def.Line, startLine: d.def.StartLine,
		})
	}
}

// init makes the maps of an Index made as a zero value.
func (x *Index) init() {
	if x.defs == nil {
		x.defs, x.fileID = map[string][]indexedDef{}, map[string]int32{}
	}
}

// fileOf returns the number of file in x.files, adding it if new.
func (x *Index) fileOf(file string) int32 {
	if id, ok := x.fileID[file]; ok {
		return id
	}
	id := int32(len(x.files))
	x.files = append(x.files, file)
	x.fileID[file] = id
	return id
}

// Merge adds the definitions of y, whose files are none of x's, after
// x's own.
func (x *Index) Merge(y *Index) {
	x.init()
	ids := make([]int32, len(y.files))
	for i, f := range y.files {
		ids[i] = x.fileOf(f)
	}
	for name, ds := range y.defs {
		for _, d := range ds {
			d.file = ids[d.file]
			x.defs[name] = append(x.defs[name], d)
		}
	}
	x.Files += y.Files
	x.Bytes += y.Bytes
}

// Files expands directories into their *.c and *.h files (see Walk). A
// directory that cannot be listed is an error naming it.
func Files(paths []string) ([]string, error) {
	files, unreadable, err := Walk(paths)
	if err != nil {
		return nil, err
	}
	for _, p := range files {
		if err := unreadable[p]; err != nil {
			return nil, err
		}
	}
	return files, nil
}

// Walk expands directories into their *.c and *.h files (skipping .git),
// without duplicates, ordered by directory and then by name: a directory's
// files come out together (callers learn per directory), where plain path
// order would put mm/kmsan/*.c between mm/filemap.c and mm/migrate.c.
// A directory named through a symbolic link is followed, as grep -r
// follows its arguments; links inside it are not. A directory below a
// root that cannot be listed is listed in its place among the files, with
// its error in unreadable, so a scan can report it and go on. A path that
// is neither a file nor a directory is an error.
func Walk(paths []string) (files []string, unreadable map[string]error, err error) {
	unreadable = map[string]error{}
	add := func(p string) { files = append(files, p) } // duplicates go after the sort
	for _, root := range paths {
		fi, err := os.Stat(root)
		if err != nil {
			return nil, nil, err
		}
		if !fi.IsDir() {
			if !fi.Mode().IsRegular() {
				return nil, nil, fmt.Errorf("%s: not a regular file or directory", root)
			}
			add(root)
			continue
		}
		// WalkDir does not follow a link at the root, but it does
		// follow "link/" (and cleans the slash away in the paths it
		// builds).
		walkRoot := root
		if lfi, err := os.Lstat(root); err == nil && lfi.Mode()&fs.ModeSymlink != 0 {
			walkRoot = root + string(filepath.Separator)
		}
		found, bad, err := walkDir(walkRoot)
		if err != nil {
			return nil, nil, err
		}
		files = append(files, found...)
		maps.Copy(unreadable, bad)
	}
	// The directory is taken once per file, not once per comparison.
	type keyed struct{ dir, path string }
	keys := make([]keyed, len(files))
	for i, f := range files {
		keys[i] = keyed{dirOf(f), f}
	}
	slices.SortFunc(keys, func(a, b keyed) int {
		if c := strings.Compare(a.dir, b.dir); c != 0 {
			return c
		}
		return strings.Compare(a.path, b.path)
	})
	files = files[:0]
	for i, k := range keys {
		if i == 0 || k.path != keys[i-1].path { // a file named twice, by two roots
			files = append(files, k.path)
		}
	}
	return files, unreadable, nil
}

// walkDir lists the *.c and *.h files below the directory root, its
// subdirectories walked on every core: one WalkDir over the kernel's
// tree took 0.11 s, all of which a check --tree waited for before its
// survey could start. A directory that cannot be listed is among the
// files, with its error in unreadable; only root's own is an error.
func walkDir(root string) (files []string, unreadable map[string]error, err error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, nil, err
	}
	var subdirs []string
	for _, d := range entries {
		path := filepath.Join(root, d.Name())
		switch {
		case d.IsDir():
			if !skippedDir(d) {
				subdirs = append(subdirs, path)
			}
		case isSource(d, path):
			files = append(files, path)
		}
	}
	found := make([][]string, len(subdirs))
	bad := make([]map[string]error, len(subdirs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(subdirs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				found[i], bad[i] = walkSubdir(subdirs[i])
			}
		}()
	}
	for i := range subdirs {
		next <- i
	}
	close(next)
	wg.Wait()
	unreadable = map[string]error{}
	for i := range subdirs {
		files = append(files, found[i]...)
		maps.Copy(unreadable, bad[i])
	}
	return files, unreadable, nil
}

// walkSubdir is walkDir's walk of one subdirectory, on one goroutine.
func walkSubdir(dir string) (files []string, unreadable map[string]error) {
	unreadable = map[string]error{}
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			unreadable[path] = err
			files = append(files, path)
			return nil
		}
		if skippedDir(d) {
			return filepath.SkipDir
		}
		if isSource(d, path) {
			files = append(files, path)
		}
		return nil
	})
	return files, unreadable
}

// skippedDir reports whether the walk leaves the directory d out.
func skippedDir(d fs.DirEntry) bool { return d.IsDir() && d.Name() == ".git" }

// isSource reports whether the entry d at path is a C file the walk lists
// (a link is not followed).
func isSource(d fs.DirEntry, path string) bool {
	return d.Type().IsRegular() && (strings.HasSuffix(path, ".c") || strings.HasSuffix(path, ".h"))
}

// dirOf is filepath.Dir of a path WalkDir made (clean: its directory is
// what stands before its last separator) without cleaning it again, which
// allocates a string per file; other paths go to filepath.Dir.
func dirOf(p string) string {
	if k := strings.LastIndexByte(p, filepath.Separator); k > 0 && p[k-1] != filepath.Separator && filepath.Clean(p[:k]) == p[:k] {
		return p[:k]
	}
	return filepath.Dir(p)
}
