package mixed

import (
	"sync/atomic"
	"unsafe"
)

type item struct {
	v    int
	next uintptr
}

func (e *item) delete() {
	atomic.OrUintptr(&e.next, 1)
}

func (e *item) succ() *item {
	return (*item)(unsafe.Pointer(atomic.LoadUintptr(&e.next) &^ 1))
}

// plain has no atomic access anywhere: a plain update is not a race by
// itself (a lock may guard it).
type plain struct {
	next uintptr
}

func (p *plain) delete() { p.next |= 1 }

func (p *plain) succ() *plain { return (*plain)(unsafe.Pointer(p.next &^ 1)) }

// newDeleted tags an element nobody else can see yet.
func newDeleted() *item {
	e := &item{}
	e.next |= 1
	return e
}
