// Package gchidden keeps pointers in uintptr fields.
package gchidden

import "unsafe"

type obj struct{ n int }

type handle struct {
	p uintptr
}

func newHandle(v *obj) *handle {
	return &handle{p: uintptr(unsafe.Pointer(v))} // want `taggedptr/gc-hidden: handle.p keeps the address of v only as a uintptr: the garbage collector does not see integers`
}

func (h *handle) reset() {
	h.p = uintptr(unsafe.Pointer(&obj{n: 1})) // want `taggedptr/gc-hidden: h.p keeps the address of a new obj only as a uintptr`
}

func (h *handle) get() *obj { return (*obj)(unsafe.Pointer(h.p)) }

var current uintptr

func setCurrent(v *obj) {
	current = uintptr(unsafe.Pointer(v)) // want `taggedptr/gc-hidden: current keeps the address of v`
}

func getCurrent() *obj { return (*obj)(unsafe.Pointer(current)) }
