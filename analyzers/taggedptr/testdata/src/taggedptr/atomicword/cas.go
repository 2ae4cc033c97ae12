package atomicword

import (
	"sync"
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

// guarded: writers take mu, readers Load; no writer goes without mu.
type guarded struct {
	mu   sync.Mutex
	next atomic.Uintptr
}

func (g *guarded) mark() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.next.Store(g.next.Load() | flag)
}

func (g *guarded) succ() *guarded {
	return (*guarded)(unsafe.Pointer(g.next.Load() &^ flag))
}
