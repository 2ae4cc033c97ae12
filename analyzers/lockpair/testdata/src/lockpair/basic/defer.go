package basic

// Twin: defer release.
func (s *Store) LenGood() int { // want LenGood:`takes \$0\.mu shared`
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.data)
}

// Bug: deferred release of the wrong kind.
func (s *Store) LenBad() int { // want LenBad:`takes \$0\.mu shared`
	s.mu.RLock()
	defer s.mu.Unlock() // want `lockpair/mismatched-release: s.mu.Unlock\(\) does not pair with s.mu.RLock\(\)`
	return len(s.data)
}

// Twin: a deferred closure releases.
func (s *Store) ClosureGood() int { // want ClosureGood:`takes \$0\.plain`
	s.plain.Lock()
	defer func() {
		work()
		s.plain.Unlock()
	}()
	return len(s.data)
}

// Bug: the deferred closure releases a read lock with Unlock.
func (s *Store) ClosureBad() int { // want ClosureBad:`takes \$0\.mu shared`
	s.mu.RLock()
	defer func() {
		work()
		s.mu.Unlock() // want `lockpair/mismatched-release: s.mu.Unlock\(\) does not pair with s.mu.RLock\(\)`
	}()
	return len(s.data)
}
