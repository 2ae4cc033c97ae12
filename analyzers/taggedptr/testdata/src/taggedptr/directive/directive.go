// Package directive declares a tagged field with a comment: the package
// itself never stores the tag (a C library or another goroutine does).
package directive

import (
	"sync/atomic"
	"unsafe"
)

const weakBit = 1

type obj struct{ n int }

type ref struct {
	// target points to an obj; weakBit says the reference is weak.
	target unsafe.Pointer //tagcheck:tagged mask=weakBit accessor=get
}

func (r *ref) get() *obj { return (*obj)(unsafe.Pointer(uintptr(r.target) &^ weakBit)) }

func count(r *ref) int {
	return (*obj)(r.target).n // want `taggedptr/untagged-deref: r.target carries tag bits \(mask weakBit, tagged at directive.go:\d+\) but is dereferenced as \*obj without clearing them: .*; use r.get\(\)`
}

func countOK(r *ref) int { return r.get().n }

func countAtomic(r *ref) int {
	return (*obj)(atomic.LoadPointer(&r.target)).n // want `taggedptr/untagged-deref: r.target carries tag bits .*; use r.get\(\)`
}

type bad struct {
	x uintptr //tagcheck:tagged mask=nosuch // want `taggedptr: directive needs mask=M`
}
