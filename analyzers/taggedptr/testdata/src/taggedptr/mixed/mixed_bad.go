// Package mixed writes a tagged word plainly and reads it atomically.
package mixed

import (
	"sync/atomic"
	"unsafe"
)

type elem struct {
	v    int
	next uintptr // *elem | 1 when deleted
}

func (e *elem) delete() {
	e.next |= 1 // want `taggedptr/racy-rmw: sets the tag 1 of e.next with a plain read-modify-write, but elem.next is accessed atomically at mixed_bad.go:\d+`
}

func (e *elem) succ() *elem {
	return (*elem)(unsafe.Pointer(atomic.LoadUintptr(&e.next) &^ 1))
}
