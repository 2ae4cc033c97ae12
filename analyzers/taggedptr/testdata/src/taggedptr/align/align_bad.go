// Package align tags pointers to a 4-byte-aligned type.
package align

import "unsafe"

// small has 4-byte alignment: bits 0 and 1 of its address are free.
type small struct{ a, b int32 }

const tagBits = 0x7

type holder struct {
	p unsafe.Pointer // *small | tag
}

func (h *holder) set(s *small) {
	h.p = unsafe.Pointer(uintptr(unsafe.Pointer(s)) | tagBits) // want `taggedptr/mask-alignment: mask tagBits \(0x7\) of holder.p uses bit 2, but small has 4-byte alignment, which leaves only bits 0-1 of its address free`
}

func (h *holder) get() *small {
	return (*small)(unsafe.Pointer(uintptr(h.p) &^ tagBits))
}
