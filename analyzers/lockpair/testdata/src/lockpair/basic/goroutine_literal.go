package basic

// Twin (prometheus summary.go asyncFlush): the lock is handed to the
// goroutine, whose body releases it. flushLater is no acquire wrapper, so
// calling it twice is no double acquire.
func (s *Store) flushLater() {
	s.plain.Lock()
	work()
	go func() {
		work()
		s.plain.Unlock()
	}()
}

func (s *Store) FlushTwice() { // want FlushTwice:`takes \$0\.plain`
	s.flushLater()
	s.flushLater()
}

// Twin: handed over on one path, released on the other.
func (s *Store) FlushOrDrop(k string) error { // want FlushOrDrop:`takes \$0\.plain`
	s.plain.Lock()
	if !check(k) {
		s.plain.Unlock()
		return errBad
	}
	go func() {
		defer s.plain.Unlock()
		work()
	}()
	return nil
}

// Bug: the goroutine does not release the lock; it is still held when
// the function returns.
func (s *Store) FlushForgot(k string) error { // want FlushForgot:`takes \$0\.plain`
	s.plain.Lock()
	if !check(k) {
		s.plain.Unlock()
		return nil // nothing to flush: a success too
	}
	go func() {
		work()
	}()
	return nil // want `lockpair/unreleased: s.plain acquired by s.plain.Lock\(\) at line 37 is still held`
}

// Bug: the goroutine takes and releases the lock itself; the caller's own
// hold is not handed over and is left held.
func (s *Store) FlushOwn(k string) error { // want FlushOwn:`takes \$0\.plain`
	s.plain.Lock()
	if !check(k) {
		s.plain.Unlock()
		return nil // nothing to flush: a success too
	}
	go func() {
		s.plain.Lock()
		defer s.plain.Unlock()
		work()
	}()
	return nil // want `lockpair/unreleased: s.plain acquired by s.plain.Lock\(\) at line 51 is still held`
}

// Bug: a read lock handed to a goroutine that releases it with Unlock.
func (s *Store) ReadLater() { // want ReadLater:`takes \$0\.mu shared`
	s.mu.RLock()
	go func() {
		work()
		s.mu.Unlock() // want `lockpair/mismatched-release: s.mu.Unlock\(\) does not pair with s.mu.RLock\(\)`
	}()
}
