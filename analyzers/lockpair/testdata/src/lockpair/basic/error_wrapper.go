package basic

// Tx holds its store's read lock until Close.
type Tx struct{ s *Store }

// Close releases the read lock BeginTx took.
func (tx *Tx) Close() { tx.s.mu.RUnlock() } // want Close:`releases \$0.s.mu`

// Deliberate: an acquire wrapper. It returns with the read lock held on
// success (a nil error) and releases it on every failure, as bbolt's
// beginTx does; the lock belongs to the returned Tx.
func (s *Store) BeginTx(k string) (*Tx, error) { // want BeginTx:`acquires \$0.mu shared when zero`
	s.mu.RLock()
	if !check(k) {
		s.mu.RUnlock()
		return nil, errBad
	}
	return &Tx{s: s}, nil
}

// Twin: a failure return keeps the lock.
func (s *Store) BeginTxBad(k string) (*Tx, error) { // want BeginTxBad:`takes \$0\.mu shared`
	s.mu.RLock()
	if !check(k) {
		return nil, errBad // want `lockpair/unreleased: s.mu acquired by s.mu.RLock\(\) at line 23 is still held`
	}
	s.mu.RUnlock()
	return &Tx{s: s}, nil
}

// Deliberate: the same wrapper with a defer, which makes SSA return
// through result slots (bbolt's beginRWTx).
func (s *Store) BeginWrite(k string) (*Tx, error) { // want BeginWrite:`acquires \$0.plain when zero`
	s.plain.Lock()
	s.mu.RLock()
	defer s.mu.RUnlock()
	if !check(k) {
		s.plain.Unlock()
		return nil, errBad
	}
	return &Tx{s: s}, nil
}

// Twin: with the defer, a failure return keeps the lock.
func (s *Store) BeginWriteBad(k string) (*Tx, error) { // want BeginWriteBad:`takes \$0\.plain; takes \$0\.mu shared`
	s.plain.Lock()
	s.mu.RLock()
	defer s.mu.RUnlock()
	if !check(k) {
		return nil, errBad // want `lockpair/unreleased: s.plain acquired by s.plain.Lock\(\) at line 46 is still held`
	}
	s.plain.Unlock()
	return &Tx{s: s}, nil
}
