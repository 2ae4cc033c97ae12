// Package dev pairs Acquire with Release only under the rule pack
// dev.yaml (-lockpair.rules).
package dev

type Dev struct{ n int }

func (d *Dev) Acquire() {}
func (d *Dev) Release() {}

func Use(d *Dev, bad bool) {
	d.Acquire()
	if bad {
		return
	}
	d.Release()
}
