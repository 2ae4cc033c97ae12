package basic

// Deliberate: n read locks in one loop, n releases in the next (grpc's
// BenchmarkRLockUnlock). The walk keeps no count, so it says nothing.
func (s *Store) ReadN(n int) { // want ReadN:`takes \$0\.mu shared`
	for i := 0; i < n; i++ {
		s.mu.RLock()
	}
	work()
	for i := 0; i < n; i++ {
		s.mu.RUnlock()
	}
}

// Twin: lock and release in the same loop, and break skips the release.
func (s *Store) ReadEachBad(keys []string) int { // want ReadEachBad:`takes \$0\.mu shared`
	n := 0
	for _, k := range keys {
		s.mu.RLock()
		if k == "stop" {
			break
		}
		n += s.data[k]
		s.mu.RUnlock()
	}
	return n // want `lockpair/unreleased: s.mu acquired by s.mu.RLock\(\)`
}
