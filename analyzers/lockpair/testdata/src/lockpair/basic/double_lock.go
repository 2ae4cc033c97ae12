package basic

// Bug: locked again on the path where check fails.
func (s *Store) ResetBad(k string) {
	s.plain.Lock()
	if !check(k) {
		s.plain.Lock() // want `lockpair/double-acquire: s.plain.Lock\(\) acquires s.plain, already held`
	}
	s.plain.Unlock()
}

// Twin.
func (s *Store) ResetGood(k string) {
	s.plain.Lock()
	if !check(k) {
		work()
	}
	s.plain.Unlock()
}
