package atomicptr

import (
	"sync/atomic"
	"unsafe"
)

type item64 struct{ v int64 }

type stack64 struct {
	top atomic.Pointer[item64]
}

func (s *stack64) lock(p *item64) {
	s.top.Store((*item64)(unsafe.Pointer(uintptr(unsafe.Pointer(p)) | lockBits)))
}

func (s *stack64) topItem() *item64 {
	return (*item64)(unsafe.Pointer(uintptr(unsafe.Pointer(s.top.Load())) &^ lockBits))
}

func (s *stack64) peek() int64 { return s.topItem().v }

// A field that points to an atomic.Pointer (grpc and otel have them):
// ordinary use, nothing to report, and no crash looking through the
// pointer.
type holder struct {
	cur *atomic.Pointer[item64]
}

func (h *holder) get() *item64 { return h.cur.Load() }

func (h *holder) set(p *item64) { h.cur.Store(p) }
