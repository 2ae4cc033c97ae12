// Package gosolr reduces fullstorydev/gosolr 57f7e3b (PR #29): both
// GetCollectionState and GetCurrentState read-lock c.mu and call
// doGetCollectionState, which read-locked c.mu again; the fix removed the
// inner lock.
package gosolr

import "sync"

type CollectionState struct{ Name string }

type collection struct{ collectionState *CollectionState }

type SolrMonitor struct {
	mu          sync.RWMutex
	collections map[string]*collection
}

// Bug: called with c.mu read-locked, and locks it again.
func (c *SolrMonitor) doGetCollectionStateBad(name string) (*CollectionState, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	coll := c.collections[name]
	if coll == nil {
		return nil, nil
	}
	return coll.collectionState, nil
}

func (c *SolrMonitor) GetCollectionStateBad(name string) (*CollectionState, error) { // want GetCollectionStateBad:`takes \$0\.mu shared`
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.doGetCollectionStateBad(name) // want `lockpair/double-acquire: c.doGetCollectionStateBad\(name\) acquires c.mu`
}

func (c *SolrMonitor) GetCurrentStateBad() (map[string]*CollectionState, error) { // want GetCurrentStateBad:`takes \$0\.mu shared`
	result := map[string]*CollectionState{}
	c.mu.RLock()
	defer c.mu.RUnlock()
	for name := range c.collections {
		st, err := c.doGetCollectionStateBad(name) // want `lockpair/double-acquire: c.doGetCollectionStateBad\(name\) acquires c.mu`
		if err != nil {
			continue
		}
		if st != nil {
			result[name] = st
		}
	}
	return result, nil
}

// Twin (the fix): the callee relies on its callers' lock.
func (c *SolrMonitor) doGetCollectionStateGood(name string) (*CollectionState, error) {
	coll := c.collections[name]
	if coll == nil {
		return nil, nil
	}
	return coll.collectionState, nil
}

func (c *SolrMonitor) GetCollectionStateGood(name string) (*CollectionState, error) { // want GetCollectionStateGood:`takes \$0\.mu shared`
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.doGetCollectionStateGood(name)
}
