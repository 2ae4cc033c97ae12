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

// TryFirst leaves its loop holding t.mu when it finds a row; First
// releases after a true result, so it is a try-lock wrapper, exported as
// such to other packages.
func (t *Table) TryFirst(n int) bool { // want TryFirst:`acquires \$0\.mu when nonzero`
	ok := false
	for i := 0; i < n; i++ {
		t.mu.Lock()
		if len(t.rows) > 0 {
			ok = true
			break
		}
		t.mu.Unlock()
	}
	return ok
}

func (t *Table) First() string {
	if !t.TryFirst(3) {
		return ""
	}
	r := t.rows[0]
	t.WriteUnlock()
	return r
}
