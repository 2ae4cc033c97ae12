// Package consistent reduces buraksezer/consistent 480106b (issue #23):
// getClosestN holds the read lock and asks the exported, locking
// GetPartitionOwner for the owner: a recursive RLock, which deadlocks
// once a writer waits between the two.
package consistent

import "sync"

type Member interface{ String() string }

type Consistent struct {
	mu         sync.RWMutex
	partitions map[int]Member
	members    map[string]Member
}

// GetPartitionOwner returns the owner of the given partition.
func (c *Consistent) GetPartitionOwner(partID int) Member { // want GetPartitionOwner:`takes \$0\.mu shared`
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.getPartitionOwner(partID)
}

// getPartitionOwner expects the caller to hold c.mu.
func (c *Consistent) getPartitionOwner(partID int) Member {
	member, ok := c.partitions[partID]
	if !ok {
		return nil
	}
	return member
}

// Bug: the locking accessor under the read lock.
func (c *Consistent) getClosestNBad(partID, count int) ([]Member, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var res []Member
	if count > len(c.members) {
		return res, nil
	}
	owner := c.GetPartitionOwner(partID) // want `lockpair/double-acquire: c.GetPartitionOwner\(partID\) acquires c.mu`
	res = append(res, owner)
	return res, nil
}

// Twin (the fix): the lock-free accessor.
func (c *Consistent) getClosestNGood(partID, count int) ([]Member, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var res []Member
	if count > len(c.members) {
		return res, nil
	}
	owner := c.getPartitionOwner(partID)
	res = append(res, owner)
	return res, nil
}
