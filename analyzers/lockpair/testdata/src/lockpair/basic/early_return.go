package basic

// Bug: the early return keeps the lock.
func (s *Store) DeleteBad(k string) error { // want DeleteBad:`takes \$0\.plain`
	s.plain.Lock()
	if !check(k) {
		return errBad // want `lockpair/unreleased: s.plain acquired by s.plain.Lock\(\) at line 5 is still held`
	}
	delete(s.data, k)
	s.plain.Unlock()
	return nil
}

// Twin.
func (s *Store) DeleteGood(k string) error { // want DeleteGood:`takes \$0\.plain`
	s.plain.Lock()
	if !check(k) {
		s.plain.Unlock()
		return errBad
	}
	delete(s.data, k)
	s.plain.Unlock()
	return nil
}
