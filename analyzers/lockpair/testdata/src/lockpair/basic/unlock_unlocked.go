package basic

// Bug: unlocked twice on the error path.
func (s *Store) FlushBad(k string) error { // want FlushBad:`takes \$0\.plain`
	s.plain.Lock()
	if !check(k) {
		s.plain.Unlock()
	}
	s.plain.Unlock() // want `lockpair/unheld-release: s.plain.Unlock\(\) releases s.plain, already released`
	return nil
}

// Twin: the error path returns after its unlock.
func (s *Store) FlushGood(k string) error { // want FlushGood:`takes \$0\.plain`
	s.plain.Lock()
	if !check(k) {
		s.plain.Unlock()
		return errBad
	}
	s.plain.Unlock()
	return nil
}

// Not a bug: the caller took the lock (a release wrapper).
func (s *Store) unlockPlain() { // want unlockPlain:`releases \$0.plain`
	s.plain.Unlock()
}
