package lockpair

import (
	"sync"

	"github.com/tagcheck/tagcheck/internal/stampset"
)

// The visited set of a walk: the states (by key) walked from each block,
// and the lock states joined there (see joined). A Go map of visits grew
// through every power of two in each large walk and was made again for
// every walk: a twentieth of all a scan of fs/ allocated. The set's table
// is kept for the next walk instead (visitSets), and emptied in constant
// time (stampset).

// visitSets keeps the tables of finished walks for the next ones.
var visitSets = sync.Pool{New: func() any { return stampset.New(visit.hash) }}

func newVisitSet() *stampset.Set[visit] {
	s := visitSets.Get().(*stampset.Set[visit])
	s.Reset()
	return s
}

// hash mixes the block into the state's key, itself a hash.
func (v visit) hash() uint64 {
	h := v.state[0] ^ uint64(v.block)<<1
	if v.join {
		h ^= 1
	}
	return h
}
