// Package quiet holds uintptr and unsafe code that is not tagged-pointer
// misuse; no finding is expected anywhere in it.
package quiet

import (
	"reflect"
	"sync"
	"sync/atomic"
	"unsafe"
)

// A SliceHeader overlay writes the real slice's data pointer.
func setData(s *[]byte, p *byte, n int) {
	h := (*reflect.SliceHeader)(unsafe.Pointer(s))
	h.Data = uintptr(unsafe.Pointer(p))
	h.Len, h.Cap = n, n
}

func data(s []byte) *byte {
	return (*byte)(unsafe.Pointer((*reflect.SliceHeader)(unsafe.Pointer(&s)).Data))
}

// Addresses used as keys and hashes, never converted back.
type seen struct {
	m    map[uintptr]bool
	hash uintptr
}

func (s *seen) add(p *int) {
	k := uintptr(unsafe.Pointer(p))
	s.m[k] = true
	s.hash = s.hash*31 + k
}

// Rounding an address down to its page is not untagging.
type region struct {
	addr uintptr
}

func (r *region) page() unsafe.Pointer { return unsafe.Pointer(r.addr &^ 4095) }

func (r *region) first() byte { return *(*byte)(unsafe.Pointer(r.addr)) }

// A flags word that never holds a pointer: atomic loads and plain |= are
// a race, but not a tagged-pointer one.
type state struct {
	flags uint32
}

func (s *state) set()        { s.flags |= 1 }
func (s *state) get() uint32 { return atomic.LoadUint32(&s.flags) }

// A tagged word guarded by a mutex, with no atomic access anywhere.
type guarded struct {
	mu   sync.Mutex
	next uintptr
	keep []*guarded
}

func (g *guarded) mark() {
	g.mu.Lock()
	g.next |= 1
	g.mu.Unlock()
}

func (g *guarded) succ() *guarded {
	g.mu.Lock()
	defer g.mu.Unlock()
	return (*guarded)(unsafe.Pointer(g.next &^ 1))
}

// A two-way union: bit 0 says which type the word points to; each branch
// only uses the word as the type its test selected.
type a struct{ x int }
type b struct{ y int }

type either struct {
	w    uintptr
	keep any
}

func (e *either) setB(p *b) {
	e.keep = p
	e.w = uintptr(unsafe.Pointer(p)) | 1
}

func (e *either) value() int {
	w := e.w
	if w&1 == 0 {
		return (*a)(unsafe.Pointer(w)).x
	}
	return (*b)(unsafe.Pointer(w &^ 1)).y
}

// A variable mask: unknown, so not followed.
func (e *either) masked(m uintptr) int { return (*a)(unsafe.Pointer(e.w & m)).x }
