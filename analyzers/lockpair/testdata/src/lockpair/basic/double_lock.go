package basic

// Bug: locked again on the path where check fails.
func (s *Store) ResetBad(k string) { // want ResetBad:`takes \$0\.plain`
	s.plain.Lock()
	if !check(k) {
		s.plain.Lock() // want `lockpair/double-acquire: s.plain.Lock\(\) acquires s.plain, already held`
	}
	s.plain.Unlock()
}

// Twin.
func (s *Store) ResetGood(k string) { // want ResetGood:`takes \$0\.plain`
	s.plain.Lock()
	if !check(k) {
		work()
	}
	s.plain.Unlock()
}
