package basic

// Bug: the continue keeps the lock, and the next round locks it again
// (after the last round, the function returns with it).
func (s *Store) DrainBad(keys []string) { // want DrainBad:`takes \$0\.plain`
	for _, k := range keys {
		s.plain.Lock() // want `lockpair/double-acquire: s.plain.Lock\(\) acquires s.plain, already held since this same call on the previous iteration`
		if !check(k) {
			continue
		}
		delete(s.data, k)
		s.plain.Unlock()
	}
} // want `lockpair/unreleased: s.plain acquired by s.plain.Lock\(\) at line 7`

// Twin.
func (s *Store) DrainGood(keys []string) { // want DrainGood:`takes \$0\.plain`
	for _, k := range keys {
		s.plain.Lock()
		if !check(k) {
			s.plain.Unlock()
			continue
		}
		delete(s.data, k)
		s.plain.Unlock()
	}
}

type shard struct{ mu Store }

// Not a bug: each round locks another shard's lock, all released after.
func lockAllGood(shards []*shard) {
	for _, sh := range shards {
		sh.mu.plain.Lock()
	}
	work()
	for _, sh := range shards {
		sh.mu.plain.Unlock()
	}
}
