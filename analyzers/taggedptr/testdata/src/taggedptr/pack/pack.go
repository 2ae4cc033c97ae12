// Package pack never shows the tag: a rule pack declares it.
package pack

import "unsafe"

const readerBit = 1

type NS struct{ count int }

type Task struct {
	ns unsafe.Pointer // *NS, with readerBit set by code elsewhere
}

func untagNS(p unsafe.Pointer) *NS { return (*NS)(unsafe.Pointer(uintptr(p) &^ readerBit)) }

// NS is the accessor the pack names.
func (t *Task) NS() *NS { return untagNS(t.ns) }

func peek(t *Task) int {
	return (*NS)(t.ns).count // want `taggedptr/untagged-deref: t.ns carries tag bits \(mask readerBit, declared by a rule pack\) .*; use t.NS\(\)`
}

func peekOK(t *Task) int { return t.NS().count }
