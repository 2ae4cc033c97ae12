//go:build !(linux || openbsd || dragonfly || solaris || illumos || darwin || freebsd || netbsd)

package cindex

import "os"

// statOf: on a system without a change time in its stat (Windows, Plan
// 9, AIX, wasm), no summary is ever taken from the cache: every run reads
// the tree, as with --no-cache.
func statOf(os.FileInfo) (fileStat, bool) { return fileStat{}, false }
