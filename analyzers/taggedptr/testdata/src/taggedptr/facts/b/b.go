// Package b reads package a's tagged field.
package b

import (
	"unsafe"

	"taggedptr/facts/a"
)

func Second(n *a.Node) int {
	return (*a.Node)(unsafe.Pointer(n.Next)).Val // want `taggedptr/untagged-deref: n.Next carries tag bits \(mask Mark, tagged at a.go:\d+\) .*; use n.Succ\(\)`
}

func SecondOK(n *a.Node) int { return n.Succ().Val }
