package align

import "unsafe"

const oneBit = 0x1

type holder1 struct {
	p unsafe.Pointer
}

func (h *holder1) set(s *small) {
	h.p = unsafe.Pointer(uintptr(unsafe.Pointer(s)) | oneBit)
}

func (h *holder1) get() *small {
	return (*small)(unsafe.Pointer(uintptr(h.p) &^ oneBit))
}

// big is 8-byte aligned: three tag bits fit.
type big struct{ a int64 }

type holder8 struct {
	p unsafe.Pointer
}

func (h *holder8) set(b *big) {
	h.p = unsafe.Pointer(uintptr(unsafe.Pointer(b)) | tagBits)
}

func (h *holder8) get() *big {
	return (*big)(unsafe.Pointer(uintptr(h.p) &^ tagBits))
}
