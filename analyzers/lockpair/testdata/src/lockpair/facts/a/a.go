// Package a defines a table whose locking is wrapped in methods.
package a

import "sync"

type Table struct {
	mu   sync.RWMutex
	rows []string
}

func (t *Table) ReadLock() { // want ReadLock:`acquires \$0.mu shared`
	t.mu.RLock()
}

func (t *Table) ReadUnlock() { // want ReadUnlock:`releases \$0.mu shared`
	t.mu.RUnlock()
}

func (t *Table) WriteLock() { // want WriteLock:`acquires \$0.mu`
	t.mu.Lock()
}

func (t *Table) WriteUnlock() { // want WriteUnlock:`releases \$0.mu`
	t.mu.Unlock()
}

// Len uses the wrappers inside the package.
func (t *Table) Len() int { // want Len:`takes \$0\.mu shared`
	t.ReadLock()
	defer t.ReadUnlock()
	return len(t.rows)
}

// UnlockLater hands the write lock to a goroutine: a release wrapper.
func (t *Table) UnlockLater() { // want UnlockLater:`releases \$0.mu`
	go t.WriteUnlock()
}
