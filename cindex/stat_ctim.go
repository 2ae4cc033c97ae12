//go:build linux || openbsd || dragonfly || solaris || illumos

package cindex

import "syscall"

// changeTimes returns the modification and change times of st, in
// nanoseconds.
func changeTimes(st *syscall.Stat_t) (mtime, ctime int64) {
	return int64(st.Mtim.Sec)*1e9 + int64(st.Mtim.Nsec), int64(st.Ctim.Sec)*1e9 + int64(st.Ctim.Nsec)
}
