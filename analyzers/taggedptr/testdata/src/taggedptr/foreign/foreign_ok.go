// Package foreign has a task whose ns word carries a reader bit, like the
// kernel's task_struct.nsproxy in the motivating patch.
package foreign

import (
	"sync/atomic"
	"unsafe"
)

const readerBit = 1

type nsproxy struct{ count int }

type task struct {
	name string
	ns   uintptr // *nsproxy | readerBit
}

// setReader marks the receiver's own word.
func (t *task) setReader() { atomic.OrUintptr(&t.ns, readerBit) }

func (t *task) clearReader() { atomic.AndUintptr(&t.ns, ^uintptr(readerBit)) }

func (t *task) nsproxy() *nsproxy {
	return (*nsproxy)(unsafe.Pointer(atomic.LoadUintptr(&t.ns) &^ readerBit))
}

// newReader allocated the task it marks.
func newReader(name string) *task {
	t := &task{name: name}
	atomic.OrUintptr(&t.ns, readerBit)
	return t
}

// inClosure marks the receiver from a closure.
func (t *task) inClosure() func() {
	return func() { atomic.OrUintptr(&t.ns, readerBit) }
}
