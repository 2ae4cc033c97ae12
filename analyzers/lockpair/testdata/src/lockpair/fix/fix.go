package fix

import "sync"

type Cache struct {
	mu sync.RWMutex
	m  map[string]string
}

func (c *Cache) Get(k string) (string, bool) { // want Get:`takes \$0\.mu shared`
	c.mu.RLock()
	v, ok := c.m[k]
	if !ok {
		c.mu.Unlock() // want `lockpair/mismatched-release: c.mu.Unlock\(\) does not pair with c.mu.RLock\(\)`
		return "", false
	}
	c.mu.RUnlock()
	return v, true
}

func (c *Cache) Put(k, v string) { // want Put:`takes \$0\.mu`
	c.mu.Lock()
	defer c.mu.RUnlock() // want `lockpair/mismatched-release: c.mu.RUnlock\(\) does not pair with c.mu.Lock\(\)`
	c.m[k] = v
}
