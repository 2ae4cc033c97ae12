// Package linedir checks a file whose positions a //line directive moves,
// as generated code's are.
package linedir

import "sync"

type Cache struct {
	mu sync.RWMutex
	m  map[string]int
}

//line linedir.tmpl:100
func (c *Cache) Get(k string) int { // want Get:`takes \$0\.mu shared`
	c.mu.RLock()
	defer c.mu.Unlock() // want `lockpair/mismatched-release: c.mu.Unlock\(\) does not pair with c.mu.RLock\(\)`
	return c.m[k]
}

// Twin.
func (c *Cache) Peek(k string) int { // want Peek:`takes \$0\.mu shared`
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[k]
}
