// Package nsproxy is the motivating kernel RFC told in Go: a reader bit
// in the low bit of another task's nsproxy word.
package nsproxy

import (
	"sync/atomic"
	"unsafe"
)

const readerBit = 1

type NSProxy struct{ mounts int }

type task struct {
	nsproxy uintptr // *NSProxy | readerBit
}

// setReader is set_reader_nsproxy: a plain read, then a separate
// exchange, into a task the caller does not own.
func setReader(t *task) {
	atomic.SwapUintptr(&t.nsproxy, t.nsproxy|readerBit) // want `taggedptr/racy-rmw: sets the tag readerBit of t.nsproxy with a plain read followed by atomic.SwapUintptr` `taggedptr/foreign-write: sets tag bits \(mask readerBit\) in t.nsproxy`
}

// mountsOpen is mounts_open_common reading the pointer raw.
func mountsOpen(t *task) int {
	setReader(t)
	ns := (*NSProxy)(unsafe.Pointer(atomic.LoadUintptr(&t.nsproxy))) // want `taggedptr/untagged-deref: t.nsproxy carries tag bits \(mask readerBit, tagged at nsproxy_bad.go:21\) .*; use t.nsProxy\(\)$`
	return ns.mounts
}
