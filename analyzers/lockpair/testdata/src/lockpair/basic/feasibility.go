package basic

// Bug: a == 0 and a < 0 both went false, so a > 0: the path to the
// missing unlock is real (it was once judged impossible).
func (s *Store) PositiveBad(a int) (int, error) { // want PositiveBad:`takes \$0\.plain`
	if a == 0 {
		return 0, nil
	}
	if a < 0 {
		return 0, errBad
	}
	s.plain.Lock()
	if !check("x") {
		return 0, errBad // want `lockpair/unreleased: s.plain acquired by s.plain.Lock\(\)`
	}
	s.plain.Unlock()
	return a, nil
}

// Twin.
func (s *Store) PositiveGood(a int) (int, error) { // want PositiveGood:`takes \$0\.plain`
	if a == 0 {
		return 0, nil
	}
	if a < 0 {
		return 0, errBad
	}
	s.plain.Lock()
	if !check("x") {
		s.plain.Unlock()
		return 0, errBad
	}
	s.plain.Unlock()
	return a, nil
}

// Not a bug: n < 3 and n <= 2 are one test; the path that locks and
// skips the unlock does not exist.
func (s *Store) RangeGood(n int) { // want RangeGood:`takes \$0\.plain`
	if n < 3 {
		s.plain.Lock()
	}
	work()
	if n <= 2 {
		s.plain.Unlock()
	}
}

// Bug: n == 2 locks and skips the unlock.
func (s *Store) RangeBad(n int) { // want RangeBad:`takes \$0\.plain`
	if n < 3 {
		s.plain.Lock()
	}
	work()
	if n < 2 {
		s.plain.Unlock()
	}
} // want `lockpair/unreleased: s.plain acquired by s.plain.Lock\(\)`

// Not a bug: 1 < n < 3 is n == 2.
func (s *Store) PointGood(n int) { // want PointGood:`takes \$0\.plain`
	if n == 2 {
		s.plain.Lock()
	}
	work()
	if 1 < n && n < 3 {
		s.plain.Unlock()
	}
}

const (
	verbose = false
	strict  = true
)

// Not a bug: the return under a false constant is dead code.
func (s *Store) DeadGood() { // want DeadGood:`takes \$0\.plain`
	s.plain.Lock()
	if verbose {
		return
	}
	if false {
		return
	}
	s.plain.Unlock()
}

// Bug: under a true constant the return is taken.
func (s *Store) LiveBad(k string) { // want LiveBad:`takes \$0\.plain`
	s.plain.Lock()
	if !check(k) {
		s.plain.Unlock()
		return
	}
	if strict {
		return // want `lockpair/unreleased: s.plain acquired by s.plain.Lock\(\)`
	}
	s.plain.Unlock()
}
