// Package stampset is a set of comparable keys for hot loops that fill a
// set, ask it, and start again many times: open-addressed (no buckets to
// allocate), grown by doubling, and emptied in constant time by a
// generation stamp on each slot instead of by clearing the table, which
// is kept for the next fill. cindex uses it to drop repeated member names
// file after file; lockpair for the visited set of walk after walk.
package stampset

// Set is a set of K, made by New. Not safe for concurrent use.
type Set[K comparable] struct {
	slots []slot[K]
	gen   uint32
	n     int
	hash  func(K) uint64
}

type slot[K comparable] struct {
	gen uint32 // the slot holds a key of the set when gen is the set's
	key K
}

const firstSize = 1 << 6

// New returns an empty set whose keys hash by hash. The hash need not be
// strong: the slot is its low bits after a final mix.
func New[K comparable](hash func(K) uint64) *Set[K] {
	s := &Set[K]{hash: hash}
	s.Reset()
	return s
}

// Reset empties s, keeping its table.
func (s *Set[K]) Reset() {
	s.gen++
	s.n = 0
	if s.gen == 0 || len(s.slots) == 0 {
		s.slots = make([]slot[K], firstSize)
		s.gen = 1
	}
}

// Len is the number of keys in s.
func (s *Set[K]) Len() int { return s.n }

// Add adds k and reports whether it was new.
func (s *Set[K]) Add(k K) bool {
	if 2*(s.n+1) > len(s.slots) {
		s.grow()
	}
	mask := uint64(len(s.slots) - 1)
	for i := mix(s.hash(k)) & mask; ; i = (i + 1) & mask {
		sl := &s.slots[i]
		if sl.gen != s.gen {
			sl.gen, sl.key = s.gen, k
			s.n++
			return true
		}
		if sl.key == k {
			return false
		}
	}
}

// Has reports whether k is in s.
func (s *Set[K]) Has(k K) bool {
	if len(s.slots) == 0 {
		return false
	}
	mask := uint64(len(s.slots) - 1)
	for i := mix(s.hash(k)) & mask; ; i = (i + 1) & mask {
		sl := &s.slots[i]
		if sl.gen != s.gen {
			return false
		}
		if sl.key == k {
			return true
		}
	}
}

func (s *Set[K]) grow() {
	if len(s.slots) == 0 {
		s.Reset()
		return
	}
	old, gen := s.slots, s.gen
	s.slots = make([]slot[K], 2*len(old))
	s.gen, s.n = 1, 0
	for _, sl := range old {
		if sl.gen == gen {
			s.Add(sl.key)
		}
	}
}

// mix spreads the high bits of h into the low ones the table indexes by
// (Fibonacci hashing's multiplier, then a fold).
func mix(h uint64) uint64 {
	h *= 0x9E3779B97F4A7C15
	return h ^ h>>32
}
