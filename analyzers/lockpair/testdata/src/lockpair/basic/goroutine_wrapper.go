package basic

// finishAndUnlock is a release wrapper: every path releases s.plain.
func (s *Store) finishAndUnlock(k string) { // want finishAndUnlock:`releases \$0.plain`
	if !check(k) {
		s.plain.Unlock()
		return
	}
	work()
	s.plain.Unlock()
}

// Twin (grpc clientconn.go updateAddrs): the release wrapper is started
// with go; the lock is handed to it.
func (s *Store) UpdateGood(k string) { // want UpdateGood:`takes \$0\.plain`
	s.plain.Lock()
	if k == "" {
		s.plain.Unlock()
		return
	}
	s.data[k]++
	go s.finishAndUnlock(k)
}

// lockAndWait is an acquire wrapper; starting it with go takes nothing on
// the caller's path.
func (s *Store) lockAndWait() { // want lockAndWait:`acquires \$0.plain`
	s.plain.Lock()
}

// Twin: go of an acquire wrapper is no acquire, so no double acquire.
func (s *Store) StartWaiter() { // want StartWaiter:`takes \$0\.plain`
	s.plain.Lock()
	go s.lockAndWait()
	s.plain.Unlock()
}

// Bug: a goroutine that runs a plain function hands nothing over.
func (s *Store) UpdateForgot(k string) { // want UpdateForgot:`takes \$0\.plain`
	s.plain.Lock()
	if k == "" {
		s.plain.Unlock()
		return
	}
	go work()
} // want `lockpair/unreleased: s.plain acquired by s.plain.Lock\(\) at line 40 is still held`

// Bug: released by the goroutine and again by the caller.
func (s *Store) UpdateTwice(k string) { // want UpdateTwice:`takes \$0\.plain`
	s.plain.Lock()
	go s.finishAndUnlock(k)
	s.plain.Unlock() // want `lockpair/unheld-release: s.plain.Unlock\(\) releases s.plain, already released`
}
