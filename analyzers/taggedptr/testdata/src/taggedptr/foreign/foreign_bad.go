package foreign

import (
	"sync/atomic"
	"unsafe"
)

// setReaderOf marks another task's word.
func (t *task) setReaderOf(other *task) {
	atomic.OrUintptr(&other.ns, readerBit) // want `taggedptr/foreign-write: sets tag bits \(mask readerBit\) in other.ns, a field of a value this code does not own: other is not the receiver t but another task`
}

// setReader is not a method of task.
func setReader(t *task) {
	atomic.OrUintptr(&t.ns, readerBit) // want `taggedptr/foreign-write: sets tag bits \(mask readerBit\) in t.ns, a field of a value this code does not own: setReader is not a method of task`
}

// clearAll clears the bit of tasks loaded from a slice.
func (t *task) clearAll(ts []*task) {
	for _, o := range ts {
		atomic.AndUintptr(&o.ns, ^uintptr(readerBit)) // want `taggedptr/foreign-write: clears tag bits \(mask readerBit\) in o.ns`
	}
}

// switchNS is the owner's plain store of its own word.
func (t *task) switchNS(ns *nsproxy, keep map[*nsproxy]bool) {
	keep[ns] = true
	t.ns = uintptr(unsafe.Pointer(ns))
}

// casReader uses a CompareAndSwap, but the owner stores plainly.
func casReader(t *task) {
	old := atomic.LoadUintptr(&t.ns)
	atomic.CompareAndSwapUintptr(&t.ns, old, old|readerBit) // want `taggedptr/foreign-write: sets tag bits \(mask readerBit\) in t.ns.*the CompareAndSwap does not help, since task.ns is also written plainly at foreign_bad.go:\d+`
}
