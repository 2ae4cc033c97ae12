package basic

func next() (int, error) { return 0, nil }
func use(int)            {}
func parts(int) []int    { return nil }

// Not a bug (grpc's FullDuplexCall, interop/test_utils.go): a flag says
// whether the lock is held; the first round that needs it takes it, the
// defer releases it at the return. SSA carries the flag round the loop
// through copies (a phi after the if, one at the head of the inner loop,
// another at the outer loop's head), and a round that does not need the
// lock copies it to itself.
func (s *Store) flagOnceGood() error {
	held := false
	for {
		v, err := next()
		if err != nil {
			return err
		}
		if v > 0 {
			if !held {
				s.plain.Lock()
				defer s.plain.Unlock()
				held = true
			}
			use(v)
		}
		for _, p := range parts(v) {
			use(p)
		}
	}
}

// Bug: the flag is never set, so the second round that needs the lock
// takes it again while the defer still holds it.
func (s *Store) flagOnceBad() error {
	held := false
	for {
		v, err := next()
		if err != nil {
			return err
		}
		if v > 0 {
			if !held {
				s.plain.Lock() // want `lockpair/double-acquire: s.plain.Lock\(\) acquires s.plain, already held since this same call on the previous iteration`
				defer s.plain.Unlock()
			}
			use(v)
		}
		for _, p := range parts(v) {
			use(p)
		}
	}
}

// Bug: the flag is set, but cleared again at the end of every round.
func (s *Store) flagClearedBad() error {
	held := false
	for {
		v, err := next()
		if err != nil {
			return err
		}
		if !held {
			s.plain.Lock() // want `lockpair/double-acquire: s.plain.Lock\(\) acquires s.plain, already held since this same call on the previous iteration`
			defer s.plain.Unlock()
			held = true
		}
		use(v)
		held = false
	}
}
