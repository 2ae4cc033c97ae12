package basic

// Twin: TryLock used correctly.
func (s *Store) TryGood() bool {
	if !s.plain.TryLock() {
		return false
	}
	s.plain.Unlock()
	return true
}

// Bug: unlocking when TryLock failed.
func (s *Store) TryBad() {
	ok := s.plain.TryLock()
	if !ok {
		s.plain.Unlock() // want `lockpair/unheld-release`
		return
	}
	s.plain.Unlock()
}

// Twin: TryRLock then RUnlock only when it succeeded.
func (s *Store) TryRGood() int {
	if s.mu.TryRLock() {
		defer s.mu.RUnlock()
		return len(s.data)
	}
	return -1
}

// Bug: TryRLock released with Unlock.
func (s *Store) TryRBad() int {
	if s.mu.TryRLock() {
		defer s.mu.Unlock() // want `lockpair/mismatched-release: s.mu.Unlock\(\) does not pair with s.mu.TryRLock\(\)`
		return len(s.data)
	}
	return -1
}
