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
