// Package atomicptr tags the pointer held in an atomic.Pointer[T].
package atomicptr

import (
	"sync/atomic"
	"unsafe"
)

// item32 has 4-byte alignment.
type item32 struct{ v int32 }

const lockBits = 7

type stack struct {
	top atomic.Pointer[item32]
}

func (s *stack) lock(p *item32) {
	s.top.Store((*item32)(unsafe.Pointer(uintptr(unsafe.Pointer(p)) | lockBits))) // want `taggedptr/mask-alignment: mask lockBits \(0x7\) of stack.top uses bit 2, but item32 has 4-byte alignment`
}

func (s *stack) peek() int32 {
	return s.top.Load().v // want `taggedptr/untagged-deref: s.top carries tag bits \(mask lockBits, tagged at atomicptr_bad.go:\d+\) but is dereferenced as \*item32`
}
