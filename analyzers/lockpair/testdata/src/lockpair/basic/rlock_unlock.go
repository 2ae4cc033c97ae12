package basic

// Bug: the error path releases a read lock with Unlock.
func (s *Store) GetBad(k string) (int, error) { // want GetBad:`takes \$0\.mu shared`
	s.mu.RLock()
	if !check(k) {
		s.mu.Unlock() // want `lockpair/mismatched-release: s.mu.Unlock\(\) does not pair with s.mu.RLock\(\)`
		return 0, errBad
	}
	v := s.data[k]
	s.mu.RUnlock()
	return v, nil
}

// Twin: RUnlock on both paths.
func (s *Store) GetGood(k string) (int, error) { // want GetGood:`takes \$0\.mu shared`
	s.mu.RLock()
	if !check(k) {
		s.mu.RUnlock()
		return 0, errBad
	}
	v := s.data[k]
	s.mu.RUnlock()
	return v, nil
}
