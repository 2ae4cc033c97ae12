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
	buf = buf[:0]
	chunk := make([]byte, 64<<10)
	for {
		n, err := f.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if err == io.EOF {
			return buf, st, fi.Size(), nil
		}
		if err != nil {
			return buf[:0], fileStat{}, 0, fmt.Errorf("%s: %w", path, err)
		}
		if len(buf) > int(limits.DefaultSource) {
			return buf, st, fi.Size(), nil
		}
	}
}
