//go:build darwin || freebsd || netbsd

package cindex

import "syscall"

// changeTimes: these systems name the times Mtimespec and Ctimespec.
func changeTimes(st *syscall.Stat_t) (mtime, ctime int64) {
	return int64(st.Mtimespec.Sec)*1e9 + int64(st.Mtimespec.Nsec), int64(st.Ctimespec.Sec)*1e9 + int64(st.Ctimespec.Nsec)
}
