package nsproxy

import (
	"sync/atomic"
	"unsafe"
)

// nsProxy is task_nsproxy: the untag accessor.
func (t *task) nsProxy() *NSProxy {
	return (*NSProxy)(unsafe.Pointer(atomic.LoadUintptr(&t.nsproxy) &^ readerBit))
}

// setReaderSelf marks the receiver's own word with a CompareAndSwap loop.
func (t *task) setReaderSelf() {
	for {
		old := atomic.LoadUintptr(&t.nsproxy)
		if atomic.CompareAndSwapUintptr(&t.nsproxy, old, old|readerBit) {
			return
		}
	}
}

func (t *task) mountsOpenOK() int {
	t.setReaderSelf()
	return t.nsProxy().mounts
}
