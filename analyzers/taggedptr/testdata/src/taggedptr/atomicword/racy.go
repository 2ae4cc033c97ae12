// Package atomicword keeps a tagged pointer in an atomic.Uintptr.
package atomicword

import (
	"sync"
	"sync/atomic"
	"unsafe"
)

const flag = 1

type node struct {
	v    int
	next atomic.Uintptr // *node | flag
}

// mark loads, sets the flag and stores: a CompareAndSwap between the Load
// and the Store is lost.
func (n *node) mark() {
	n.next.Store(n.next.Load() | flag) // want `taggedptr/racy-rmw: sets the tag flag of n.next with an atomic Load followed by an atomic Store: a concurrent CompareAndSwap between the two is silently undone; use n.next.Or`
}

// unmark clears it the same way.
func (n *node) unmark() {
	old := n.next.Load()
	n.next.Store(old &^ flag) // want `taggedptr/racy-rmw: clears the tag flag of n.next`
}

func (n *node) succ() *node {
	return (*node)(unsafe.Pointer(n.next.Load() &^ flag))
}

// node64 keeps the tagged address in a 64-bit word.
type node64 struct {
	next atomic.Uint64
}

func (n *node64) mark() {
	n.next.Store(n.next.Load() | flag) // want `taggedptr/racy-rmw: sets the tag flag of n.next`
}

func (n *node64) succ() *node64 {
	return (*node64)(unsafe.Pointer(uintptr(n.next.Load() &^ flag)))
}

// lockedRacy takes a lock, but another writer uses CompareAndSwap
// without it.
type lockedRacy struct {
	mu   sync.Mutex
	next atomic.Uintptr
}

func (g *lockedRacy) mark() {
	g.mu.Lock()
	g.next.Store(g.next.Load() | flag) // want `taggedptr/racy-rmw`
	g.mu.Unlock()
}

func (g *lockedRacy) unmark() {
	old := g.next.Load()
	g.next.CompareAndSwap(old, old&^flag)
}

func (g *lockedRacy) succ() *lockedRacy {
	return (*lockedRacy)(unsafe.Pointer(g.next.Load() &^ flag))
}
