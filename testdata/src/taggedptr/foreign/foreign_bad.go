package foreign

import "sync/atomic"

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
