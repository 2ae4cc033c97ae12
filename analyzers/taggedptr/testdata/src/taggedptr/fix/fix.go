// Package fix has findings with mechanical fixes.
package fix

import (
	"sync/atomic"
	"unsafe"
)

const mark = 1

type node struct {
	v    int
	next uintptr
}

func (n *node) succ() *node { return (*node)(unsafe.Pointer(n.next &^ mark)) }

func (n *node) setMark() { n.next |= mark }

func value(n *node) int {
	return (*node)(unsafe.Pointer(n.next)).v // want `taggedptr/untagged-deref: n.next .*; use n.succ\(\)`
}

type word struct {
	next atomic.Uintptr
}

func (w *word) mark() {
	w.next.Store(w.next.Load() | mark) // want `taggedptr/racy-rmw`
}

func (w *word) ptr() *node { return (*node)(unsafe.Pointer(w.next.Load() &^ mark)) }

var raw uintptr

func markRaw() {
	atomic.StoreUintptr(&raw, atomic.LoadUintptr(&raw)|mark) // want `taggedptr/racy-rmw`
}

func rawPtr() *node { return (*node)(unsafe.Pointer(atomic.LoadUintptr(&raw) &^ mark)) }

type elem struct {
	next uintptr
}

func (e *elem) del() {
	e.next |= mark // want `taggedptr/racy-rmw`
}

func (e *elem) undel() {
	e.next &^= mark // want `taggedptr/racy-rmw`
}

func (e *elem) succ() *elem { return (*elem)(unsafe.Pointer(atomic.LoadUintptr(&e.next) &^ mark)) }

func (w *word) unmark() {
	w.next.Store(w.next.Load() &^ mark) // want `taggedptr/racy-rmw`
}

type anode struct {
	v    int
	next uintptr
}

func (n *anode) succ() *anode {
	return (*anode)(unsafe.Pointer(atomic.LoadUintptr(&n.next) &^ mark))
}

func (n *anode) del() { atomic.OrUintptr(&n.next, mark) }

func avalue(n *anode) int {
	return (*anode)(unsafe.Pointer(atomic.LoadUintptr(&n.next))).v // want `taggedptr/untagged-deref: n.next .*; use n.succ\(\)`
}
