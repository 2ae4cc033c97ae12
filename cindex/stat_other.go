//go:build !(linux || openbsd || dragonfly || solaris || illumos || darwin || freebsd || netbsd)

package cindex

import (
	"fmt"
	"io"
	"os"

	"github.com/tagcheck/tagcheck/internal/limits"
)

// statOf: on a system without a change time in its stat (Windows, Plan
// 9, AIX, wasm), no summary is ever taken from the cache: every run reads
// the tree, as with --no-cache.
func statOf(os.FileInfo) (fileStat, bool) { return fileStat{}, false }

// readInto: see stat_unix.go. Here the stat never matches one (ino -1):
// nothing is kept.
func readInto(path string, buf []byte) ([]byte, fileStat, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return buf[:0], fileStat{}, 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return buf[:0], fileStat{}, 0, fmt.Errorf("%s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return buf[:0], fileStat{}, 0, fmt.Errorf("%s: not a regular file", path)
	}
	st := fileStat{ino: -1}
	if fi.Size() > limits.DefaultSource {
		return buf[:0], st, fi.Size(), nil
	}
	buf, err = readBody(buf, fi.Size(), func(p []byte) (int, error) {
		n, err := f.Read(p)
		if err == io.EOF {
			return n, nil
		}
		return n, err
	})
	if err != nil {
		return buf, fileStat{}, 0, fmt.Errorf("%s: %w", path, err)
	}
	return buf, st, fi.Size(), nil
}
