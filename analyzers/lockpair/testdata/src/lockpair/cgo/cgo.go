// Package cgo checks a file that imports "C": go vet and go/packages see
// it rewritten by cgo, with //line directives pointing back here.
package cgo

// #include <stdlib.h>
import "C"

import "sync"

type Cache struct {
	mu sync.RWMutex
	m  map[string]int
}

// Bug.
func (c *Cache) Get(k string) int { // want Get:`takes \$0\.mu shared`
	c.mu.RLock()
	defer c.mu.Unlock() // want `lockpair/mismatched-release: c.mu.Unlock\(\) does not pair with c.mu.RLock\(\)`
	return c.m[k] + int(C.int(1))
}

// Twin.
func (c *Cache) Peek(k string) int { // want Peek:`takes \$0\.mu shared`
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[k]
}
