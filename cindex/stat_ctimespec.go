//go:build darwin || freebsd || netbsd

package cindex

import "syscall"

// changeTime: these systems name the change time Ctimespec.
func changeTime(st *syscall.Stat_t) int64 {
	return int64(st.Ctimespec.Sec)*1e9 + int64(st.Ctimespec.Nsec)
}
