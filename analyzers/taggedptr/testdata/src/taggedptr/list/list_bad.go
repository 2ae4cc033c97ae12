// Package list is a Harris-style lock-free list: the low bit of a node's
// next word marks the node deleted.
package list

import (
	"sync/atomic"
	"unsafe"
)

const markBit = 1

// badNode's next holds a *badNode with markBit set once the node is
// deleted.
type badNode struct {
	key  int
	next uintptr
}

type badList struct {
	head uintptr
	all  []*badNode // keeps the nodes alive: the collector does not see next
}

func (l *badList) insert(key int) {
	n := &badNode{key: key}
	l.all = append(l.all, n)
	for {
		head := atomic.LoadUintptr(&l.head)
		atomic.StoreUintptr(&n.next, head)
		if atomic.CompareAndSwapUintptr(&l.head, head, uintptr(unsafe.Pointer(n))) {
			return
		}
	}
}

// markDeleted sets the mark with a CompareAndSwap: correct.
func (n *badNode) markDeleted() bool {
	old := atomic.LoadUintptr(&n.next)
	if old&markBit != 0 {
		return false
	}
	return atomic.CompareAndSwapUintptr(&n.next, old, old|markBit)
}

// find follows next without clearing the mark: after markDeleted the
// address is off by one.
func (l *badList) find(key int) *badNode {
	for n := (*badNode)(unsafe.Pointer(atomic.LoadUintptr(&l.head))); n != nil; n = (*badNode)(unsafe.Pointer(atomic.LoadUintptr(&n.next))) { // want `taggedptr/untagged-deref: n.next carries tag bits \(mask markBit, tagged at list_bad.go:\d+\) but is dereferenced as \*badNode`
		if n.key == key {
			return n
		}
	}
	return nil
}

// second goes through a local first: still the raw word.
func (l *badList) second() int {
	first := (*badNode)(unsafe.Pointer(atomic.LoadUintptr(&l.head)))
	w := atomic.LoadUintptr(&first.next)
	p := unsafe.Pointer(w)
	succ := (*badNode)(p) // want `taggedptr/untagged-deref: first.next carries tag bits`
	return succ.key
}

// captured keeps the raw word in a variable a closure also reads.
func (l *badList) captured() (int, func() uintptr) {
	first := (*badNode)(unsafe.Pointer(atomic.LoadUintptr(&l.head)))
	w := atomic.LoadUintptr(&first.next)
	f := func() uintptr { return w }
	return (*badNode)(unsafe.Pointer(w)).key, f // want `taggedptr/untagged-deref: first.next carries tag bits`
}

func keyOf(n *badNode) int { return n.key }

// passOn hands the raw successor to a function that dereferences it.
func (n *badNode) passOn() int {
	return keyOf((*badNode)(unsafe.Pointer(atomic.LoadUintptr(&n.next)))) // want `taggedptr/untagged-deref: n.next carries tag bits .* but is passed to keyOf as \*badNode`
}

// gnode is generic: the same checks apply to its instantiations.
type gnode[T any] struct {
	v    T
	next uintptr
}

func (n *gnode[T]) mark() { atomic.OrUintptr(&n.next, markBit) }

func (n *gnode[T]) raw() T {
	return (*gnode[T])(unsafe.Pointer(atomic.LoadUintptr(&n.next))).v // want `taggedptr/untagged-deref: n.next carries tag bits \(mask markBit, tagged at list_bad.go:\d+\) but is dereferenced as \*gnode\[T\]`
}

func (n *gnode[T]) succ() *gnode[T] {
	return (*gnode[T])(unsafe.Pointer(atomic.LoadUintptr(&n.next) &^ markBit))
}

func useG(n *gnode[int]) int {
	return (*gnode[int])(unsafe.Pointer(atomic.LoadUintptr(&n.next))).v // want `taggedptr/untagged-deref: n.next carries tag bits`
}
