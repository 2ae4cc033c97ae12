package atomicword

import (
	"sync/atomic"
	"unsafe"
)

type cell struct {
	v    int
	next atomic.Uintptr
}

// mark sets the flag with one atomic Or (Go 1.23).
func (n *cell) mark() { n.next.Or(flag) }

// unmark clears it with one atomic And.
func (n *cell) unmark() { n.next.And(^uintptr(flag)) }

func (n *cell) succ() *cell {
	return (*cell)(unsafe.Pointer(n.next.Load() &^ flag))
}
