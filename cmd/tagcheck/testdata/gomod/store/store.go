// Package store has a lock-pairing bug for the end-to-end test of
// `tagcheck go`: Get releases its read lock with Unlock on one path.
package store

import "sync"

type S struct {
	mu sync.RWMutex
	n  int
}

func (s *S) Get(bad bool) int {
	s.mu.RLock()
	if bad {
		s.mu.Unlock()
		return 0
	}
	n := s.n
	s.mu.RUnlock()
	return n
}

// Lock and Unlock are wrappers, learned and exported as facts.
func (s *S) Lock()   { s.mu.Lock() }
func (s *S) Unlock() { s.mu.Unlock() }
