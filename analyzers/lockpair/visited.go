package lockpair

import "sync"

// visitSet is the visited set of one walk: the states (by key) walked
// from each block, and the lock states joined there (see joined). A Go
// map of visits grew through every power of two in each large walk and
// was made again for every walk: a twentieth of all a scan of fs/
// allocated. The set is open-addressed, and its table is kept for the
// next walk (visitSets) and emptied in constant time by a generation
// count.
type visitSet struct {
	slots []visitSlot
	gen   uint32
	n     int
}

type visitSlot struct {
	gen uint32 // the slot is in the set when gen is the set's
	v   visit
}

// visitSets keeps the tables of finished walks for the next ones.
var visitSets = sync.Pool{New: func() any { return new(visitSet) }}

func newVisitSet() *visitSet {
	s := visitSets.Get().(*visitSet)
	s.reset()
	return s
}

// release hands the table on to another walk; s is not used after.
func (s *visitSet) release() { visitSets.Put(s) }

func (s *visitSet) reset() {
	s.gen++
	s.n = 0
	if s.gen == 0 || len(s.slots) == 0 {
		s.slots = make([]visitSlot, 1<<6)
		s.gen = 1
	}
}

// Len is the number of visits in the set.
func (s *visitSet) Len() int { return s.n }

// add adds v and reports whether it was new.
func (s *visitSet) add(v visit) bool {
	if 2*(s.n+1) > len(s.slots) {
		s.grow()
	}
	mask := uint64(len(s.slots) - 1)
	for i := v.hash() & mask; ; i = (i + 1) & mask {
		sl := &s.slots[i]
		if sl.gen != s.gen {
			sl.gen, sl.v = s.gen, v
			s.n++
			return true
		}
		if sl.v == v {
			return false
		}
	}
}

// has reports whether v is in the set.
func (s *visitSet) has(v visit) bool {
	mask := uint64(len(s.slots) - 1)
	for i := v.hash() & mask; ; i = (i + 1) & mask {
		sl := &s.slots[i]
		if sl.gen != s.gen {
			return false
		}
		if sl.v == v {
			return true
		}
	}
}

func (s *visitSet) grow() {
	old, gen := s.slots, s.gen
	s.slots = make([]visitSlot, 2*len(old))
	s.gen, s.n = 1, 0
	for _, sl := range old {
		if sl.gen == gen {
			s.add(sl.v)
		}
	}
}

// hash mixes the block into the state's key, itself a hash.
func (v visit) hash() uint64 {
	h := v.state[0] ^ uint64(v.block)*0x9E3779B97F4A7C15
	if v.join {
		h ^= 0xD6E8FEB86659FD93
	}
	return h ^ h>>29
}
