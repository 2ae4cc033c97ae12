// Package radix reduces mediocregopher/radix cfd6620 ("add a method
// getting the masterNode without lock to fix the deadlock for
// DoSecondary"): secondaryAddrForKey read-locks c.l and calls addrForKey,
// which read-locks c.l again.
package radix

import "sync"

type topo struct {
	Addr  string
	Slots [][2]uint16
}

type Cluster struct {
	l           sync.RWMutex
	primTopo    []topo
	secondaries map[string]map[string]bool
}

func clusterSlot(key string) uint16 { return uint16(len(key)) }

func (c *Cluster) addrForKey(key string) string {
	s := clusterSlot(key)
	c.l.RLock()
	defer c.l.RUnlock()
	for _, t := range c.primTopo {
		for _, slot := range t.Slots {
			if s >= slot[0] && s < slot[1] {
				return t.Addr
			}
		}
	}
	return ""
}

func (c *Cluster) addrForKeyNoLock(key string) string {
	s := clusterSlot(key)
	for _, t := range c.primTopo {
		for _, slot := range t.Slots {
			if s >= slot[0] && s < slot[1] {
				return t.Addr
			}
		}
	}
	return ""
}

// Bug.
func (c *Cluster) secondaryAddrForKeyBad(key string) string {
	c.l.RLock()
	defer c.l.RUnlock()
	primAddr := c.addrForKey(key) // want `lockpair/double-acquire: c.addrForKey\(key\) acquires c.l`
	for addr := range c.secondaries[primAddr] {
		return addr
	}
	return primAddr
}

// Twin (the fix).
func (c *Cluster) secondaryAddrForKeyGood(key string) string {
	c.l.RLock()
	defer c.l.RUnlock()
	primAddr := c.addrForKeyNoLock(key)
	for addr := range c.secondaries[primAddr] {
		return addr
	}
	return primAddr
}
