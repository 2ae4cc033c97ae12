package check

// The scan cache keeps the result of a scan, keyed like go vet's action
// cache by everything that decides it: the tagcheck binary, the rule
// packs, the options, and the path and bytes of every scanned file. A
// second scan of an unchanged tree reads and hashes the files and parses
// nothing. The unit is the whole scan, not a directory: since wrappers
// are also learned from definitions anywhere in the scanned files
// (defs.go), a change in one file may change another directory's
// findings, and a per-directory entry would have to record which
// definitions it read.

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"time"

	"github.com/tagcheck/tagcheck/cindex"
	"github.com/tagcheck/tagcheck/internal/limits"
	"github.com/tagcheck/tagcheck/internal/safefile"
	"github.com/tagcheck/tagcheck/report"
)

// Cache is an on-disk store of scan results.
type Cache struct {
	dir   string
	tool  string // identifies the binary: its own bytes' hash
	limit int64  // bytes the store may hold after a put
}

// DefaultCacheDir is where scans keep results unless told otherwise:
// os.UserCacheDir()/tagcheck/scan.
func DefaultCacheDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(base, "tagcheck", "scan"), nil
}

// OpenCache opens (creating) the store at dir, bounded to limit bytes.
func OpenCache(dir string, limit int64) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cache %s: %w", dir, err)
	}
	tool, err := toolID()
	if err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	return &Cache{dir: dir, tool: tool, limit: limit}, nil
}

// toolID hashes the running executable: another build, another cache.
func toolID() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// cachedScan is what a cache entry holds, in gob: JSON would replace the
// bytes of a file name that is not UTF-8.
type cachedScan struct {
	Findings []report.Finding `json:"findings"`
	Notes    []string         `json:"notes"`
	Stats    report.Stats     `json:"stats"`
	Degraded []Degraded       `json:"degraded"`
}

// key names the result of scanning files with opt, reading the files on
// workers goroutines; ok is false when one cannot be read (the scan then
// runs and reports it).
func (c *Cache) key(files []string, opt Options, workers int) (key string, ok bool) {
	sums := make([][sha256.Size]byte, len(files))
	var bad atomic.Bool
	forEach(len(files), workers, func(i int) {
		src, err := limits.ReadRegular(files[i], "--max-file", opt.MaxFile)
		if tooLarge := (*limits.TooLargeError)(nil); errors.As(err, &tooLarge) {
			// The scan skips it whatever it holds.
			sums[i] = sha256.Sum256([]byte("over --max-file"))
			return
		}
		if err != nil {
			bad.Store(true)
			return
		}
		sums[i] = sha256.Sum256(src)
	})
	if bad.Load() {
		return "", false
	}
	h := sha256.New()
	fmt.Fprintf(h, "tagcheck scan cache 1\x00%s\x00%s\x00%v\x00%d\x00", c.tool, opt.Rules.Digest(), opt.AllFunctions, opt.MaxFile)
	for i, f := range files {
		fmt.Fprintf(h, "%s\x00%x\x00", f, sums[i])
	}
	return hex.EncodeToString(h.Sum(nil)), true
}

func (c *Cache) path(key string) string { return filepath.Join(c.dir, key[:2], key) }

// read reads a stored file: a regular file no larger than the store may
// hold (anything else was not written by put or storeSummaries, and is
// a miss).
func (c *Cache) read(p string) ([]byte, error) {
	return limits.ReadRegular(p, "cache limit", c.limit)
}

// get returns the stored result for key, marking it used.
func (c *Cache) get(key string) (*Result, bool) {
	p := c.path(key)
	data, err := c.read(p)
	if err != nil {
		return nil, false
	}
	var e cachedScan
	if gob.NewDecoder(bytes.NewReader(data)).Decode(&e) != nil {
		return nil, false // a damaged entry is a miss; put replaces it
	}
	now := time.Now()
	os.Chtimes(p, now, now) // Trim's least-recently-used order; best effort
	return &Result{Findings: e.Findings, Notes: e.Notes, Stats: e.Stats, Degraded: e.Degraded}, true
}

// put stores a result atomically and trims the store to its limit.
func (c *Cache) put(key string, r *Result) error {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(cachedScan{Findings: r.Findings, Notes: r.Notes, Stats: r.Stats, Degraded: r.Degraded}); err != nil {
		return err
	}
	data := buf.Bytes()
	if err := os.MkdirAll(filepath.Dir(c.path(key)), 0o755); err != nil {
		return err
	}
	if err := safefile.WriteFile(c.path(key), data, 0o644, nil); err != nil {
		return err
	}
	return c.trim()
}

// trim removes the least recently used entries until the store holds at
// most its limit.
func (c *Cache) trim() error {
	type entry struct {
		path string
		size int64
		used time.Time
	}
	var all []entry
	var total int64
	err := filepath.WalkDir(c.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return nil // removed meanwhile
		}
		all = append(all, entry{p, fi.Size(), fi.ModTime()})
		total += fi.Size()
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(all, func(a, b entry) int { return a.used.Compare(b.used) })
	for _, e := range all {
		if total <= c.limit {
			break
		}
		if err := os.Remove(e.path); err != nil && !os.IsNotExist(err) {
			return err
		}
		total -= e.size
	}
	return nil
}

// The tree summaries of check --tree (cindex.Survey) are kept in the same
// store, one entry per tree and binary, under trees/: bounded with the
// scan results, trimmed with them, least recently used first.

// summariesPath is where the summaries of the tree at root, as this
// binary makes them, are kept.
func (c *Cache) summariesPath(root string) string {
	abs, err := filepath.Abs(root)
	if err != nil {
		abs = root
	}
	h := sha256.Sum256([]byte("tagcheck tree summaries\x00" + c.tool + "\x00" + abs))
	return filepath.Join(c.dir, "trees", hex.EncodeToString(h[:16]))
}

// summaries returns the kept summaries of the tree at root, marking
// them used; nil when there are none (or c is nil, or they are damaged:
// the survey then reads every file, and replaces them).
func (c *Cache) summaries(root string) *cindex.SummaryCache {
	if c == nil {
		return nil
	}
	p := c.summariesPath(root)
	data, err := c.read(p)
	if err != nil {
		return nil
	}
	s, err := cindex.DecodeSummaries(data)
	if err != nil {
		return nil
	}
	now := time.Now()
	os.Chtimes(p, now, now) // trim's least-recently-used order; best effort
	return s
}

// storeSummaries keeps data as the summaries of the tree at root,
// atomically, and trims the store to its limit.
func (c *Cache) storeSummaries(root string, data []byte) error {
	p := c.summariesPath(root)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	if err := safefile.WriteFile(p, data, 0o644, nil); err != nil {
		return err
	}
	return c.trim()
}
