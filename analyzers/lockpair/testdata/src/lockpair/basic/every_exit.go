package basic

// Bug: three returns keep the lock; each is its own finding, so that a
// fix of one does not hide the others.
func (s *Store) ImportBad(keys []string) error { // want ImportBad:`takes \$0\.plain`
	s.plain.Lock()
	if len(keys) == 0 {
		return errBad // want `lockpair/unreleased: s.plain acquired by s.plain.Lock\(\) at line 6`
	}
	for _, k := range keys {
		if !check(k) {
			return errBad // want `lockpair/unreleased: s.plain acquired by s.plain.Lock\(\) at line 6`
		}
		if k == "stop" {
			return nil // want `lockpair/unreleased: s.plain acquired by s.plain.Lock\(\) at line 6`
		}
		s.data[k]++
	}
	s.plain.Unlock()
	return nil
}

// Twin.
func (s *Store) ImportGood(keys []string) error { // want ImportGood:`takes \$0\.plain`
	s.plain.Lock()
	defer s.plain.Unlock()
	if len(keys) == 0 {
		return errBad
	}
	for _, k := range keys {
		if !check(k) {
			return errBad
		}
		if k == "stop" {
			return nil
		}
		s.data[k]++
	}
	return nil
}
