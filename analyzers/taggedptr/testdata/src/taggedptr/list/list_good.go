package list

import (
	"sync/atomic"
	"unsafe"
)

type goodNode struct {
	key  int
	next uintptr
}

type goodList struct {
	head uintptr
	all  []*goodNode
}

func (l *goodList) insert(key int) {
	n := &goodNode{key: key}
	l.all = append(l.all, n)
	for {
		head := atomic.LoadUintptr(&l.head)
		atomic.StoreUintptr(&n.next, head)
		if atomic.CompareAndSwapUintptr(&l.head, head, uintptr(unsafe.Pointer(n))) {
			return
		}
	}
}

func (n *goodNode) markDeleted() bool {
	old := atomic.LoadUintptr(&n.next)
	if old&markBit != 0 {
		return false
	}
	return atomic.CompareAndSwapUintptr(&n.next, old, old|markBit)
}

// nextNode is the untag accessor.
func (n *goodNode) nextNode() *goodNode {
	return (*goodNode)(unsafe.Pointer(atomic.LoadUintptr(&n.next) &^ markBit))
}

func (l *goodList) find(key int) *goodNode {
	for n := (*goodNode)(unsafe.Pointer(atomic.LoadUintptr(&l.head))); n != nil; n = n.nextNode() {
		if n.key == key {
			return n
		}
	}
	return nil
}

// live follows next only when the mark tested clear.
func (n *goodNode) live() *goodNode {
	w := atomic.LoadUintptr(&n.next)
	if w&markBit != 0 {
		return nil
	}
	return (*goodNode)(unsafe.Pointer(w))
}

// strip clears the mark on the path where it is set.
func (n *goodNode) strip() int {
	w := atomic.LoadUintptr(&n.next)
	if w&markBit != 0 {
		w &^= markBit
	}
	return (*goodNode)(unsafe.Pointer(w)).key
}

// isLast compares the raw word's pointer with nil: not a dereference.
func (n *goodNode) isLast() bool {
	return (*goodNode)(unsafe.Pointer(atomic.LoadUintptr(&n.next))) == nil
}

// unlink is a list method marking another node's next with a
// CompareAndSwap: every write of goodNode.next is atomic, so this is the
// lock-free protocol, not a foreign write.
func (l *goodList) unlink(n *goodNode) bool {
	old := atomic.LoadUintptr(&n.next)
	return atomic.CompareAndSwapUintptr(&n.next, old&^markBit, old|markBit)
}

// tested reloads the word after testing it: the test still guards it.
func (n *goodNode) tested() int {
	if atomic.LoadUintptr(&n.next)&markBit == 0 {
		return (*goodNode)(unsafe.Pointer(atomic.LoadUintptr(&n.next))).key
	}
	return 0
}
