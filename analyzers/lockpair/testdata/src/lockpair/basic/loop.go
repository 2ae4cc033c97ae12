package basic

// Twin: released before continue and before break.
func (s *Store) LoopGood(keys []string) int { // want LoopGood:`takes \$0\.plain`
	n := 0
	for _, k := range keys {
		s.plain.Lock()
		if !check(k) {
			s.plain.Unlock()
			continue
		}
		if k == "stop" {
			s.plain.Unlock()
			break
		}
		n += s.data[k]
		s.plain.Unlock()
	}
	return n
}

// Bug: break leaves the loop with the lock held.
func (s *Store) LoopBad(keys []string) int { // want LoopBad:`takes \$0\.plain`
	n := 0
	for _, k := range keys {
		s.plain.Lock()
		if !check(k) {
			s.plain.Unlock()
			continue
		}
		if k == "stop" {
			break
		}
		n += s.data[k]
		s.plain.Unlock()
	}
	return n // want `lockpair/unreleased: s.plain acquired by s.plain.Lock\(\)`
}
