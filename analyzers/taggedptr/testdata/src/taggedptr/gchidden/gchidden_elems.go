package gchidden

import "unsafe"

// slotTable keeps objects only in a table of integers.
type slotTable struct {
	slots [8]uintptr
}

func (t *slotTable) put(i int, v *obj) {
	t.slots[i] = uintptr(unsafe.Pointer(v)) // want `taggedptr/gc-hidden: an element of t.slots keeps the address of v only as a uintptr`
}

func (t *slotTable) get(i int) *obj { return (*obj)(unsafe.Pointer(t.slots[i])) }

// handles maps IDs to addresses kept only as integers.
var handles = map[int]uintptr{}

func register(id int, v *obj) {
	handles[id] = uintptr(unsafe.Pointer(v)) // want `taggedptr/gc-hidden: an element of handles keeps the address of v only as a uintptr`
}

func lookup(id int) *obj { return (*obj)(unsafe.Pointer(handles[id])) }

// Twin: the table of addresses is an index only, never converted back.
type seen struct {
	addrs map[uintptr]bool
	order []uintptr
}

func (s *seen) add(v *obj) {
	a := uintptr(unsafe.Pointer(v))
	s.addrs[a] = true
	s.order = append(s.order, a)
}

// Twin: the objects are kept by pointer too.
type pinnedTable struct {
	objs  [8]*obj
	slots [8]uintptr
}

func (t *pinnedTable) put(i int, v *obj) {
	t.objs[i] = v
	t.slots[i] = uintptr(unsafe.Pointer(v))
}

func (t *pinnedTable) get(i int) *obj { return (*obj)(unsafe.Pointer(t.slots[i])) }
