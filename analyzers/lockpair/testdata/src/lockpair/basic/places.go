package basic

import "sync"

type Embeds struct {
	sync.Mutex
	n int
}

type Holder struct {
	mu    *sync.Mutex
	inner struct{ mu sync.Mutex }
}

// Bug: promoted Lock, early return.
func (e *Embeds) IncBad() int { // want IncBad:`takes \$0\.Mutex`
	e.Lock()
	if e.n > 10 {
		return e.n // want `lockpair/unreleased: e.Mutex acquired by e.Lock\(\)`
	}
	e.n++
	e.Unlock()
	return e.n
}

// Twin.
func (e *Embeds) IncGood() int { // want IncGood:`takes \$0\.Mutex`
	e.Lock()
	defer e.Unlock()
	if e.n > 10 {
		return e.n
	}
	e.n++
	return e.n
}

// Bug: a pointer field locked twice, a nested field never released on one path.
func (h *Holder) Bad(k string) { // want Bad:`takes \$0\.mu; takes \$0\.inner\.mu`
	h.mu.Lock()
	h.inner.mu.Lock()
	if check(k) {
		h.mu.Lock() // want `lockpair/double-acquire: h.mu.Lock\(\) acquires h.mu`
	}
	h.inner.mu.Unlock()
	h.mu.Unlock()
}

// Twin.
func (h *Holder) Good(k string) { // want Good:`takes \$0\.mu; takes \$0\.inner\.mu`
	h.mu.Lock()
	h.inner.mu.Lock()
	if check(k) {
		work()
	}
	h.inner.mu.Unlock()
	h.mu.Unlock()
}

// Global and parameter mutexes.
var global sync.Mutex

func GlobalGood(mu *sync.Mutex) { // want GlobalGood:`takes \$0`
	global.Lock()
	mu.Lock()
	mu.Unlock()
	global.Unlock()
}
