//go:build linux || openbsd || dragonfly || solaris || illumos

package cindex

import "syscall"

func changeTime(st *syscall.Stat_t) int64 { return int64(st.Ctim.Sec)*1e9 + int64(st.Ctim.Nsec) }
