package atomicword

import (
	"sync/atomic"
	"unsafe"
)

type link struct {
	v    int
	next atomic.Uintptr
}

// mark sets the flag with a CompareAndSwap loop.
func (n *link) mark() {
	for {
		old := n.next.Load()
		if n.next.CompareAndSwap(old, old|flag) {
			return
		}
	}
}

func (n *link) succ() *link {
	return (*link)(unsafe.Pointer(n.next.Load() &^ flag))
}
