// Package etcdlease reduces etcd-io/etcd ce61cd432 ("lease: Add Unlock
// before break in loop"): the benchmark's refresh loop breaks out when no
// lease has expired, with le.mu still locked.
package etcdlease

import "sync"

type Lease struct{ ID int64 }

type lessor struct {
	mu     sync.RWMutex
	leases map[int64]*Lease
}

func (le *lessor) findExpiredLeases(limit int) []*Lease {
	var ls []*Lease
	for _, l := range le.leases {
		if len(ls) == limit {
			break
		}
		ls = append(ls, l)
	}
	return ls
}

func (le *lessor) Revoke(id int64) {}

// Bug.
func popExpiredBad(le *lessor, limit int) {
	for {
		le.mu.Lock()
		ls := le.findExpiredLeases(limit)
		if len(ls) == 0 {
			break
		}
		le.mu.Unlock()
		for _, l := range ls {
			le.Revoke(l.ID)
		}
	}
} // want `lockpair/unreleased: le.mu acquired by le.mu.Lock\(\)`

// Twin (the fix).
func popExpiredGood(le *lessor, limit int) {
	for {
		le.mu.Lock()
		ls := le.findExpiredLeases(limit)
		if len(ls) == 0 {
			le.mu.Unlock()
			break
		}
		le.mu.Unlock()
		for _, l := range ls {
			le.Revoke(l.ID)
		}
	}
}
