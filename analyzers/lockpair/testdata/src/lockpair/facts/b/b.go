// Package b uses package a's wrappers, known here only through facts.
package b

import "lockpair/facts/a"

func Good(t *a.Table) { // want Good:`takes \$0\.mu shared; takes \$0\.mu`
	t.ReadLock()
	t.ReadUnlock()
	t.WriteLock()
	defer t.WriteUnlock()
}

func Bad(t *a.Table) { // want Bad:`takes \$0\.mu shared`
	t.ReadLock()
	t.WriteUnlock() // want `lockpair/mismatched-release: t.WriteUnlock\(\) does not pair with t.ReadLock\(\).*use t.ReadUnlock\(\)`
}

func Forgot(t *a.Table, fail bool) error { // want Forgot:`takes \$0\.mu`
	t.WriteLock()
	if fail {
		return nil // want `lockpair/unreleased: t.mu acquired by t.WriteLock\(\)`
	}
	t.WriteUnlock()
	return nil
}

// Handed over through a wrapper of package a, known only by its fact.
func Handover(t *a.Table, fail bool) error { // want Handover:`takes \$0\.mu`
	t.WriteLock()
	if fail {
		t.WriteUnlock()
		return nil
	}
	go t.WriteUnlock()
	return nil
}

func HandoverLater(t *a.Table) { // want HandoverLater:`takes \$0\.mu`
	t.WriteLock()
	t.UnlockLater()
}

// Bug: Len takes the read lock the caller holds for writing, known here
// only through Len's fact.
func Resize(t *a.Table) int { // want Resize:`takes \$0\.mu; takes \$0\.mu shared`
	t.WriteLock()
	defer t.WriteUnlock()
	return t.Len() // want `lockpair/double-acquire: t.Len\(\) acquires t.mu, already held since t.WriteLock\(\)`
}

// Twin.
func Size(t *a.Table) int { // want Size:`takes \$0\.mu shared`
	return t.Len()
}

// Bug: the deferred release is the write one.
func BadDefer(t *a.Table) int { // want BadDefer:`takes \$0\.mu shared`
	t.ReadLock()
	defer t.WriteUnlock() // want `lockpair/mismatched-release: t.WriteUnlock\(\) does not pair with t.ReadLock\(\).*use t.ReadUnlock\(\)`
	return 0
}

// TryFirst holds t.mu when it returns true, known here by its fact.
func PopGood(t *a.Table) {
	if t.TryFirst(2) {
		t.WriteUnlock()
	}
}

func PopBad(t *a.Table, quiet bool) {
	if t.TryFirst(2) {
		if quiet {
			return // want `lockpair/unreleased: t.mu acquired by t.TryFirst\(2\)`
		}
		t.WriteUnlock()
	}
}
