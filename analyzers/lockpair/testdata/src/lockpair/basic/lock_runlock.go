package basic

// Bug: a write lock released with RUnlock.
func (s *Store) SetBad(k string, v int) { // want SetBad:`takes \$0\.mu`
	s.mu.Lock()
	s.data[k] = v
	s.mu.RUnlock() // want `lockpair/mismatched-release: s.mu.RUnlock\(\) does not pair with s.mu.Lock\(\)`
}

// Twin.
func (s *Store) SetGood(k string, v int) { // want SetGood:`takes \$0\.mu`
	s.mu.Lock()
	s.data[k] = v
	s.mu.Unlock()
}
