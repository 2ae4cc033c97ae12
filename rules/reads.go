package rules

import (
	"crypto/sha256"
	"encoding/binary"
	"strings"
)

// Reads records which learnable entries of a Set a computation read:
// the entries a clone of a Set gains while code is learned from (pairs
// by function name, predicates, every pair, tagged fields). Everything
// else a Set answers (conventions, no-return names, owners, CPU states)
// comes from its packs, which Sum covers by their names and contents. A
// deterministic computation over the same input that reads the same
// answers from two clones of one Set therefore concludes the same: Sum
// over its Reads is what a memo of it must be keyed by, beside the input.
type Reads struct {
	keys []read
	seen map[read]bool // nil once Trim has run
}

type readKind byte

const (
	readAcquires readKind = iota
	readReleases
	readTakes
	readCallback
	readEnablesIRQ
	readNeutral
	readNeeds
	readPairs   // every pair, in order
	readTagged  // every tagged field, in order
	readEnabler // InterruptsEnabler
	readPreds   // TrueFor
	readKinds   // the number of kinds
)

type read struct {
	kind readKind
	name string
}

func (r *Reads) note(kind readKind, name string) {
	k := read{kind, name}
	if r.seen[k] {
		return
	}
	if r.seen == nil {
		r.seen = map[read]bool{}
	}
	// The name may point into a parsed file's text: a kept copy must not
	// keep the file.
	k.name = strings.Clone(name)
	r.seen[k] = true
	r.keys = append(r.keys, k)
}

// Len is the number of entries read.
func (r *Reads) Len() int { return len(r.keys) }

// note records in s's Reads, if any, that entry name of kind was read.
func (s *Set) note(kind readKind, name string) {
	if s.reads != nil {
		s.reads.note(kind, name)
	}
}

// Trim drops what recording needed and keeps the list of entries read,
// for a Reads kept long after its computation (a memo's key).
func (r *Reads) Trim() {
	r.seen = nil
	r.keys = r.keys[:len(r.keys):len(r.keys)]
}

// Traced returns a view of s that answers as s does and records in r
// every learnable entry it is asked for. The view is for reading only:
// a pair added to it would be seen by s's maps but not by s.Pairs().
func (s *Set) Traced(r *Reads) *Set {
	v := *s
	v.reads = r
	return &v
}

// Sum is the digest of what s answers to the reads of r, in their order.
// Two sets with the same Sum for r answered a computation that read r
// alike, content and sharing: a pair that answered two names in one
// answers both in the other.
func (s *Set) Sum(r *Reads) [sha256.Size]byte {
	pairsRead := [readKinds]map[string][]*Pair{readAcquires: s.byAcquire, readReleases: s.byRelease, readTakes: s.byTakes, readNeeds: s.needs}
	flagsRead := [readKinds]map[string]bool{readCallback: s.callbacks, readEnablesIRQ: s.irqOn, readNeutral: s.neutral}
	e := encoder{seen: map[*Pair]int{}}
	e.strs(s.Packs)
	e.str(string(s.digest))
	for _, k := range r.keys {
		e.str(k.name)
		e.num(int(k.kind))
		if m := pairsRead[k.kind]; m != nil {
			e.pairs(m[k.name])
			continue
		}
		if m := flagsRead[k.kind]; m != nil {
			e.flag(m[k.name])
			continue
		}
		switch k.kind {
		case readPairs:
			e.pairs(s.pairs)
		case readEnabler:
			e.str(s.interruptsEnabler())
		case readPreds:
			v, ok := s.preds[k.name]
			e.flag(ok)
			e.strs(v)
		case readTagged:
			e.num(len(s.tagged))
			for _, t := range s.tagged {
				e.tagged(t)
			}
		}
	}
	return sha256.Sum256(e.b)
}

// encoder writes values to b unambiguously: every string and list with
// its length before it.
type encoder struct {
	b    []byte
	seen map[*Pair]int // pairs written so far, by the order they came in
}

func (e *encoder) num(n int) { e.b = binary.AppendVarint(e.b, int64(n)) }

func (e *encoder) flag(b bool) {
	if b {
		e.num(1)
	} else {
		e.num(0)
	}
}

func (e *encoder) str(s string) {
	e.num(len(s))
	e.b = append(e.b, s...)
}

func (e *encoder) strs(ss []string) {
	e.num(len(ss))
	for _, s := range ss {
		e.str(s)
	}
}

func (e *encoder) pairs(ps []*Pair) {
	e.num(len(ps))
	for _, p := range ps {
		e.pair(p)
	}
}

// pair writes p whole the first time it comes, and its number after.
func (e *encoder) pair(p *Pair) {
	if i, ok := e.seen[p]; ok {
		e.num(-1 - i)
		return
	}
	e.seen[p] = len(e.seen)
	e.num(len(e.seen))
	e.str(p.Name)
	e.str(string(p.Lang))
	e.strs(p.Acquire)
	e.strs(p.Release)
	e.str(p.Resource)
	e.strs(p.Resources)
	e.str(string(p.Mode))
	e.str(string(p.When))
	e.flag(p.Recursive)
	e.flag(p.Scoped)
	e.str(p.Learned)
	e.flag(p.Maybe)
	e.str(p.Field)
	e.flag(p.Callback)
	e.flag(p.EnablesIRQ)
	e.flag(p.Neutral)
	e.flag(p.Needs)
	e.strs(p.Takes)
	e.strs(p.Links)
	e.flag(p.Balanced)
	e.strs(p.TrueFor)
}

func (e *encoder) tagged(t *TaggedField) {
	e.str(string(t.Lang))
	e.str(t.Struct)
	e.str(t.Field)
	e.str(t.Mask)
	e.strs(t.Accessors)
	e.strs(t.Setters)
	e.strs(t.Clearers)
	e.strs(t.Owner)
	e.str(t.Learned)
	e.strs(t.Scope)
}
