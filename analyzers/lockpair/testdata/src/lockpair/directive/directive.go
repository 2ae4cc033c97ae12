// Package directive declares a lock built on a channel, which no body
// shows to be a lock, with //tagcheck: directives.
package directive

type Sem struct{ ch chan struct{} }

//tagcheck:acquires s
func (s *Sem) Acquire() { // want Acquire:`acquires \$0`
	s.ch <- struct{}{}
}

//tagcheck:releases s
func (s *Sem) Release() { // want Release:`releases \$0`
	<-s.ch
}

//tagcheck:acquires x shared // want `lockpair: //tagcheck:acquires x: x is neither a parameter nor a package variable`
func bad() {}

func Good(s *Sem, fail bool) error { // want Good:`takes \$0`
	s.Acquire()
	defer s.Release()
	if fail {
		return nil
	}
	return nil
}

func Bad(s *Sem, fail bool) error { // want Bad:`takes \$0`
	s.Acquire()
	if fail {
		return nil // want `lockpair/unreleased: s acquired by s.Acquire\(\)`
	}
	s.Release()
	return nil
}

func Twice(s *Sem) { // want Twice:`takes \$0`
	s.Acquire()
	s.Acquire() // want `lockpair/double-acquire`
	s.Release()
}
