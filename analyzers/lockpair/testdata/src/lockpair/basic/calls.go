package basic

import "sync"

type Counter struct {
	mu sync.RWMutex
	n  int
}

// size takes c.mu for reading while it runs.
func (c *Counter) size() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.n
}

// sizeLocked expects c.mu held.
func (c *Counter) sizeLocked() int { return c.n }

// report takes c.mu through size: a chain.
func (c *Counter) report() string {
	if c.size() == 0 {
		return "empty"
	}
	return "some"
}

// Bug: size read-locks the mutex the caller holds for writing.
func (c *Counter) AddBad(k int) int { // want AddBad:`takes \$0\.mu; takes \$0\.mu shared`
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n += k
	return c.size() // want `lockpair/double-acquire: c.size\(\) acquires c.mu, already held since c.mu.Lock\(\) at line 30`
}

// Twin.
func (c *Counter) AddGood(k int) int { // want AddGood:`takes \$0\.mu`
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n += k
	return c.sizeLocked()
}

// Bug: a read lock taken again under a read lock deadlocks once a writer
// waits between the two.
func (c *Counter) PeekBad() int { // want PeekBad:`takes \$0\.mu shared`
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.size() // want `lockpair/double-acquire: c.size\(\) acquires c.mu, .*a read lock taken again deadlocks`
}

// Bug: through a chain of two calls.
func (c *Counter) ChainBad() string { // want ChainBad:`takes \$0\.mu; takes \$0\.mu shared`
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.report() // want `lockpair/double-acquire: c.report\(\) acquires c.mu`
}

// Twin: the chain runs after the unlock.
func (c *Counter) ChainGood() string { // want ChainGood:`takes \$0\.mu; takes \$0\.mu shared`
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return c.report()
}

// Bug: through a method value.
func (c *Counter) ValueBad() int { // want ValueBad:`takes \$0\.mu; takes \$0\.mu shared`
	f := c.size
	c.mu.Lock()
	defer c.mu.Unlock()
	return f() // want `lockpair/double-acquire: f\(\) acquires c.mu`
}

// Twin.
func (c *Counter) ValueGood() int { // want ValueGood:`takes \$0\.mu`
	f := c.sizeLocked
	c.mu.Lock()
	defer c.mu.Unlock()
	return f()
}

// Another object's lock is not the caller's.
func (c *Counter) OtherGood(d *Counter) int { // want OtherGood:`takes \$0\.mu; takes \$1\.mu shared`
	c.mu.Lock()
	defer c.mu.Unlock()
	return d.size()
}

// A helper that drops the caller's lock and takes it back does not take it
// anew.
func (c *Counter) slowLocked() {
	c.mu.Unlock()
	work()
	c.mu.Lock()
}

func (c *Counter) DropGood() { // want DropGood:`takes \$0\.mu`
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slowLocked()
}

// Sink is implemented by one type of the package only.
type Sink interface {
	Put(k int)
}

type batch struct {
	mu   sync.Mutex
	rows []int
}

func (b *batch) flush() {
	b.mu.Lock()
	b.rows = b.rows[:0]
	b.mu.Unlock()
}

func (b *batch) Put(k int) { // want Put:`takes \$0\.mu`
	if len(b.rows) > 8 {
		b.flush()
	}
	b.rows = append(b.rows, k)
}

// Bug: the dynamic type is known at the call.
func fillBad(b *batch) {
	var s Sink = b
	b.mu.Lock()
	s.Put(1) // want `lockpair/double-acquire: s.Put\(1\) acquires b.mu`
	b.mu.Unlock()
}

// Twin.
func fillGood(b *batch) {
	var s Sink = b
	s.Put(1)
}

// Ledger is implemented by one type of the package only: a call through
// it runs that type's method.
type Ledger interface {
	Begin()
	End()
	Record(k int)
}

type ledger struct {
	mu   sync.Mutex
	rows []int
}

func (l *ledger) Begin() { l.mu.Lock() }   // want Begin:`acquires \$0\.mu`
func (l *ledger) End()   { l.mu.Unlock() } // want End:`releases \$0\.mu`

func (l *ledger) compact() {
	l.mu.Lock()
	l.rows = l.rows[:0]
	l.mu.Unlock()
}

func (l *ledger) Record(k int) { // want Record:`takes \$0\.mu`
	if len(l.rows) > 8 {
		l.compact()
	}
	l.rows = append(l.rows, k)
}

// Bug: Begin locks, and Record may compact, which locks again.
func recordBad(l Ledger) {
	l.Begin()
	l.Record(1) // want `lockpair/double-acquire: l.Record\(1\) acquires l.mu`
	l.End()
}

// Twin.
func recordGood(l Ledger) {
	l.Record(1)
	l.Begin()
	l.End()
}

// sizeFlag takes c.mu unless its caller says it holds it.
func (c *Counter) sizeFlag(locked bool) int {
	if !locked {
		c.mu.RLock()
		defer c.mu.RUnlock()
	}
	return c.n
}

// Not a bug: the flag says the lock is held.
func (c *Counter) FlagGood() int { // want FlagGood:`takes \$0\.mu`
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sizeFlag(true)
}

// sizeOr takes c.mu before it looks at its flag.
func (c *Counter) sizeOr(zero bool) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if zero {
		return 0
	}
	return c.n
}

// Bug: a bool parameter that does not guard the lock excuses nothing.
func (c *Counter) FlagBad() int { // want FlagBad:`takes \$0\.mu; takes \$0\.mu shared`
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sizeOr(false) // want `lockpair/double-acquire: c.sizeOr\(false\) acquires c.mu`
}
