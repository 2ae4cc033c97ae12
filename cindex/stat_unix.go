//go:build linux || openbsd || dragonfly || solaris || illumos || darwin || freebsd || netbsd

package cindex

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"github.com/tagcheck/tagcheck/internal/limits"
)

// statOf returns what tells that a file changed (see fileStat), or false
// where the system does not say it: the file is then never taken from
// the cache.
func statOf(fi os.FileInfo) (fileStat, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileStat{}, false
	}
	return statFromSys(st), true
}

func statFromSys(st *syscall.Stat_t) fileStat {
	mtime, ctime := changeTimes(st)
	return fileStat{dev: int64(st.Dev), ino: int64(st.Ino), size: st.Size, mtime: mtime, ctime: ctime}
}

// readInto reads the file at path into buf, grown as needed, and returns
// its stat and size: a pass over a whole tree keeps nothing of most
// files, so one buffer per reader spares the allocations. A file over
// limits.DefaultSource is not read (buf comes back empty): a generated
// register header, not a place wrappers are defined. Anything but a
// regular file (a FIFO put where a source file was listed) is an error,
// opened without waiting for a writer. The system calls are made
// directly: an os.File costs a poller registration that fails for every
// regular file, a fifth of the reading's CPU over the kernel's 55,000
// files.
func readInto(path string, buf []byte) ([]byte, fileStat, int64, error) {
	fd, err := retryEINTR(func() (int, error) {
		return syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
	})
	if err != nil {
		return buf[:0], fileStat{}, 0, &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var sys syscall.Stat_t
	if _, err := retryEINTR(func() (int, error) { return 0, syscall.Fstat(fd, &sys) }); err != nil {
		return buf[:0], fileStat{}, 0, fmt.Errorf("%s: %w", path, err)
	}
	if uint32(sys.Mode)&syscall.S_IFMT != syscall.S_IFREG {
		return buf[:0], fileStat{}, 0, fmt.Errorf("%s: not a regular file", path)
	}
	st := statFromSys(&sys)
	if sys.Size > limits.DefaultSource {
		return buf[:0], st, sys.Size, nil
	}
	buf, err = readBody(buf, sys.Size, func(p []byte) (int, error) {
		return retryEINTR(func() (int, error) { return syscall.Read(fd, p) })
	})
	if err != nil {
		return buf, fileStat{}, 0, fmt.Errorf("%s: %w", path, err)
	}
	return buf, st, sys.Size, nil
}

func retryEINTR(call func() (int, error)) (int, error) {
	for {
		n, err := call()
		if !errors.Is(err, syscall.EINTR) {
			return n, err
		}
	}
}
