package basic

// Twin: every case releases.
func (s *Store) SwitchGood(op int) error { // want SwitchGood:`takes \$0\.mu`
	s.mu.Lock()
	switch op {
	case 0:
		s.mu.Unlock()
		return errBad
	case 1:
		s.data["a"] = 1
	default:
		s.data["b"] = 2
	}
	s.mu.Unlock()
	return nil
}

// Bug: one case returns with the lock held.
func (s *Store) SwitchBad(op int) error { // want SwitchBad:`takes \$0\.mu`
	s.mu.Lock()
	switch op {
	case 0:
		return errBad // want `lockpair/unreleased: s.mu acquired by s.mu.Lock\(\)`
	case 1:
		s.data["a"] = 1
	}
	s.mu.Unlock()
	return nil
}

// Twin: select with a release in every arm.
func (s *Store) SelectGood(c chan int, done chan struct{}) { // want SelectGood:`takes \$0\.plain`
	s.plain.Lock()
	select {
	case v := <-c:
		s.data["v"] = v
		s.plain.Unlock()
	case <-done:
		s.plain.Unlock()
	}
}

// Bug: the done arm forgets to release.
func (s *Store) SelectBad(c chan int, done chan struct{}) { // want SelectBad:`takes \$0\.plain`
	s.plain.Lock()
	select {
	case v := <-c:
		s.data["v"] = v
		s.plain.Unlock()
	case <-done:
	}
} // want `lockpair/unreleased: s.plain acquired by s.plain.Lock\(\)`
