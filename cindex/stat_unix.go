//go:build linux || openbsd || dragonfly || solaris || illumos || darwin || freebsd || netbsd

package cindex

import (
	"os"
	"syscall"
)

// statOf returns what tells that a file changed (see fileStat), or false
// where the system does not say it: the file is then never taken from
// the cache.
func statOf(fi os.FileInfo) (fileStat, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileStat{}, false
	}
	return fileStat{
		dev: int64(st.Dev), ino: int64(st.Ino), size: st.Size,
		mtime: fi.ModTime().UnixNano(), ctime: changeTime(st),
	}, true
}
