package basic

import "sync"

type job struct {
	mu   sync.Mutex
	done bool
}

type Jobs struct {
	byKey map[string]*job
	last  *job
}

func (j *Jobs) get(k string) *job { return j.byKey[k] }

// Bug: the lock is named as the source writes it (js.mu), not after the
// SSA value the call returned.
func (j *Jobs) RunBad(k string) error {
	js := j.get(k)
	js.mu.Lock()
	if js.done {
		return errBad // want `lockpair/unreleased: js.mu acquired by js.mu.Lock\(\) at line 21`
	}
	js.mu.Unlock()
	return nil
}

// Bug: a copy of a field is named as the copy.
func (j *Jobs) LastBad() error { // want LastBad:`takes \$0\.last\.mu`
	if lj := j.last; lj != nil {
		lj.mu.Lock()
		if lj.done {
			return errBad // want `lockpair/unreleased: lj.mu acquired by lj.mu.Lock\(\) at line 32`
		}
		lj.mu.Unlock()
	}
	return nil
}

// Twin.
func (j *Jobs) RunGood(k string) error {
	js := j.get(k)
	js.mu.Lock()
	defer js.mu.Unlock()
	if js.done {
		return errBad
	}
	return nil
}
