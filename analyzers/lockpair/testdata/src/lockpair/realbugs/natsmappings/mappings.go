// Package natsmappings reduces nats-io/nats-server f6acc9d28 ("[FIXED]
// Possible deadlock", PR #2803): processClientOrLeafAuthentication holds
// acc.mu for reading while it calls acc.hasMappings(), which read-locks
// acc.mu again; the fix calls hasMappingsLocked.
package natsmappings

import (
	"fmt"
	"sync"
)

type Account struct {
	mu       sync.RWMutex
	mappings []string
	nameTag  string
}

func (a *Account) hasMappings() bool {
	if a == nil {
		return false
	}
	a.mu.RLock()
	n := len(a.mappings)
	a.mu.RUnlock()
	return n > 0
}

// Read or write lock held on entry.
func (a *Account) hasMappingsLocked() bool {
	return len(a.mappings) > 0
}

// Bug.
func authenticateBad(acc *Account) bool {
	acc.mu.RLock()
	fmt.Printf("account %q has mappings %t\n", acc.nameTag, acc.hasMappings()) // want `lockpair/double-acquire: acc.hasMappings\(\) acquires acc.mu`
	acc.mu.RUnlock()
	return true
}

// Twin (the fix).
func authenticateGood(acc *Account) bool {
	acc.mu.RLock()
	fmt.Printf("account %q has mappings %t\n", acc.nameTag, acc.hasMappingsLocked())
	acc.mu.RUnlock()
	return true
}
