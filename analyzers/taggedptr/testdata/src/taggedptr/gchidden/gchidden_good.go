package gchidden

import "unsafe"

// registry uses addresses as IDs only: never converted back.
type registry struct {
	ids  map[uintptr]string
	last uintptr
}

func (r *registry) add(v *obj, name string) {
	id := uintptr(unsafe.Pointer(v))
	r.last = id
	r.ids[id] = name
}

// pinned keeps a real pointer beside the integer.
type pinned struct {
	obj *obj
	p   uintptr
}

func newPinned(v *obj) *pinned {
	return &pinned{obj: v, p: uintptr(unsafe.Pointer(v))}
}

func (p *pinned) get() *obj { return (*obj)(unsafe.Pointer(p.p)) }
