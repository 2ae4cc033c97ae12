package cparse

import (
	"bytes"
	"runtime"
	"sync"

	"github.com/tagcheck/tagcheck/cindex"
	"github.com/tagcheck/tagcheck/internal/limits"
)

// ScanOptions tunes Scan.
type ScanOptions struct {
	ParseOptions
	Workers  int    // 0: runtime.GOMAXPROCS
	Contains []byte // when not nil, files whose bytes do not contain it are skipped before parsing
	// Progress, when not nil, is told after each file how many of the
	// total are done (from Scan's own goroutine).
	Progress func(done, total int)
	// Prepare, when not nil, may rewrite a file's bytes before parsing,
	// keeping every line and column in place (a search for one field's
	// readers blanks the bodies that never mention it), and returns what
	// to do with the parsed file afterwards (drop the blanked functions).
	Prepare func(path string, src []byte) ([]byte, func(*CFile))
	// MaxFile, when positive, is the size over which a file is not read
	// but handed on with a *limits.TooLargeError (--max-file).
	MaxFile int64
}

// Scan parses many files on every core, streaming: fn is called once per
// file (from one goroutine at a time, in a deterministic order: sorted by
// path), and trees are freed after lowering. paths are files or
// directories (walked for *.c and *.h, skipping .git; a directory named
// through a symbolic link is followed, links inside it are not). A file
// that cannot be read or parsed, or is over MaxFile, is handed to fn as a
// CFile with only Path set and the error; files skipped by Contains are
// not handed on. Scan returns an error only when a path cannot be walked
// or names something that is neither a file nor a directory.
func Scan(paths []string, opt ScanOptions, fn func(*CFile, error)) error {
	files, unreadable, err := cindex.Walk(paths)
	if err != nil {
		return err
	}
	scanFiles(files, unreadable, opt, fn)
	return nil
}

// ScanFiles is Scan over files already listed (as cindex.Walk lists them,
// in that order).
func ScanFiles(files []string, opt ScanOptions, fn func(*CFile, error)) {
	scanFiles(files, nil, opt, fn)
}

func scanFiles(files []string, unreadable map[string]error, opt ScanOptions, fn func(*CFile, error)) {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers > len(files) {
		workers = len(files)
	}
	if workers == 0 {
		return
	}
	// a bounded window of files in flight keeps memory flat
	window := 4 * workers
	results := make([]chan scanResult, len(files))
	for i := range results {
		results[i] = make(chan scanResult, 1)
	}
	jobs := make(chan int)
	slots := make(chan struct{}, window)
	done := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := newParser()
			defer p.Close()
			for i := range jobs {
				if err := unreadable[files[i]]; err != nil {
					results[i] <- scanResult{cf: &CFile{Path: files[i]}, err: err}
					continue
				}
				results[i] <- scanOne(p, files[i], opt)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range files {
			select {
			case slots <- struct{}{}:
			case <-done:
				return
			}
			jobs <- i
		}
	}()
	for i := range files {
		r := <-results[i]
		results[i] = nil
		<-slots
		if opt.Progress != nil {
			opt.Progress(i+1, len(files))
		}
		if r.skip {
			continue
		}
		fn(r.cf, r.err)
	}
	close(done)
	wg.Wait()
}

type scanResult struct {
	cf   *CFile
	err  error
	skip bool
}

func scanOne(p *parser, path string, opt ScanOptions) (r scanResult) {
	src, err := limits.ReadRegular(path, "--max-file", opt.MaxFile)
	if err != nil {
		r.cf, r.err = &CFile{Path: path}, err
		return
	}
	if opt.Contains != nil && !bytes.Contains(src, opt.Contains) {
		r.skip = true
		return
	}
	var after func(*CFile)
	if opt.Prepare != nil {
		src, after = opt.Prepare(path, src)
	}
	cf, err := parseWith(p, path, src, opt.ParseOptions)
	if err != nil {
		r.cf, r.err = &CFile{Path: path}, err
		return
	}
	if after != nil {
		after(cf)
	}
	r.cf = cf
	return
}
