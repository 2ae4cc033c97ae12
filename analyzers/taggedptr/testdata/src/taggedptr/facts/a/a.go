// Package a declares an exported tagged field.
package a

import (
	"sync/atomic"
	"unsafe"
)

const Mark = 1

type Node struct {
	Val  int
	Next uintptr // want Next:"tagged mask=Mark accessor=.*Succ"
}

// Delete marks the node.
func (n *Node) Delete() { atomic.OrUintptr(&n.Next, Mark) }

// Succ is the untag accessor.
func (n *Node) Succ() *Node {
	return (*Node)(unsafe.Pointer(atomic.LoadUintptr(&n.Next) &^ Mark))
}
