package basic

// Not a bug: the unlock is guarded by the same flag the lock set.
func (s *Store) FlagGood(k string) { // want FlagGood:`takes \$0\.plain`
	locked := false
	if check(k) {
		s.plain.Lock()
		locked = true
	}
	work()
	if locked {
		s.plain.Unlock()
	}
}

// Not a bug: the same condition, tested twice.
func (s *Store) SameCondGood(k string, exclusive bool) {
	if exclusive {
		s.mu.Lock()
	} else {
		s.mu.RLock()
	}
	work()
	if exclusive {
		s.mu.Unlock()
	} else {
		s.mu.RUnlock()
	}
}

// Bug: the flag is tested the wrong way round.
func (s *Store) FlagBad(k string) { // want FlagBad:`takes \$0\.plain`
	locked := false
	if check(k) {
		s.plain.Lock()
		locked = true
	}
	work()
	if !locked {
		s.plain.Unlock()
	}
} // want `lockpair/unreleased: s.plain acquired by s.plain.Lock\(\)`
