package basic

// Twin: unlock around slow work, relock before the deferred unlock runs.
func (s *Store) SlowGood() { // want SlowGood:`takes \$0\.plain`
	s.plain.Lock()
	defer s.plain.Unlock()
	s.plain.Unlock()
	work()
	s.plain.Lock()
	s.data["x"]++
}

// Bug: the early return skips the relock, so the deferred unlock
// releases an unlocked mutex.
func (s *Store) SlowBad(k string) { // want SlowBad:`takes \$0\.plain`
	s.plain.Lock()
	defer s.plain.Unlock() // want `lockpair/unheld-release: s.plain.Unlock\(\) releases s.plain, already released`
	s.plain.Unlock()
	if !check(k) {
		return
	}
	s.plain.Lock()
	s.data[k]++
}
