package basic

import "sync"

type Pool struct {
	mu   sync.Mutex
	free int
	used int
}

// Bug: the loop breaks out holding p.mu, and the result looks like a
// try-lock's, but no caller releases after true.
func (p *Pool) claim(n int) bool {
	ok := false
	for i := 0; i < n; i++ {
		p.mu.Lock()
		if p.free > 0 {
			p.free--
			ok = true
			break
		}
		p.mu.Unlock()
	}
	return ok // want `lockpair/unreleased: p.mu acquired by p.mu.Lock\(\)`
}

func (p *Pool) Take() bool { return p.claim(3) } // want Take:`takes \$0\.mu`

// Twin: its caller releases after a true result, so it is a try-lock
// wrapper.
func (p *Pool) tryClaim(n int) bool { // want tryClaim:`acquires \$0\.mu when nonzero`
	ok := false
	for i := 0; i < n; i++ {
		p.mu.Lock()
		if p.free > 0 {
			ok = true
			break
		}
		p.mu.Unlock()
	}
	return ok
}

func (p *Pool) TakeCounted() bool {
	if !p.tryClaim(3) {
		return false
	}
	p.free--
	p.used++
	p.mu.Unlock()
	return true
}

// Bug: exported, and no caller in view releases after it.
func (p *Pool) Claim(n int) bool { // want Claim:`takes \$0\.mu`
	ok := false
	for i := 0; i < n; i++ {
		p.mu.Lock()
		if p.free > 0 {
			ok = true
			break
		}
		p.mu.Unlock()
	}
	return ok // want `lockpair/unreleased: p.mu acquired by p.mu.Lock\(\)`
}

// Twin: exported and declared to return holding p.mu.
//
//tagcheck:acquires p.mu
func (p *Pool) ClaimHeld(n int) bool { // want ClaimHeld:`acquires \$0\.mu`
	ok := false
	for i := 0; i < n; i++ {
		p.mu.Lock()
		if p.free > 0 {
			ok = true
			break
		}
		p.mu.Unlock()
	}
	return ok
}
