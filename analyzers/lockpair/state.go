package lockpair

import (
	"encoding/binary"
	"hash/maphash"
	"maps"
	"slices"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/rules"
)

// The path state: what is held (held), the pending conditions and facts of
// one path (state), how a state is copied and how states are merged (key).

// held is one resource held on a path.
type held struct {
	res   string
	mode  rules.Mode
	site  string // key of the acquire site (file:line:col)
	orig  string // res as the acquire spelled it, when a copy renamed it since
	pair  *rules.Pair
	call  *flow.Expr
	depth int
	// why: the reasons the walk gives no verdict on this hold (see
	// noVerdict); none for a lock the path took and tracks.
	why        noVerdict
	mismatchAt string // the release that did not pair, so its path keeps its own exit
	// pendingRel is a release that did not pair and left this (CPU
	// state) behind: reported if the path exits with it still held.
	pendingRel   *flow.Expr
	pendingFreed []string
}

// noVerdict is why the walk gives no verdict on a held lock. One hold
// can gather several reasons (a counted acquire whose guarded release
// the path skipped), so it is a set.
type noVerdict uint8

const (
	// rawTagWrite: a raw tag write, tracked for learning, never reported.
	rawTagWrite noVerdict = 1 << iota
	// unknownOrigin: held after a release we could not pair, or under a
	// name the code no longer has; never reported.
	unknownOrigin
	// guardedSkip: the path passed a release of this lock under a
	// condition the walk could not decide, and took the side that skips
	// it: the code says the lock is not held there, by a correlation we
	// cannot see (if (current->journal_info) gfs2_trans_end(sdp)).
	guardedSkip
	// loopCounted: a shared or recursive acquire inside one loop whose
	// releases run in another (RLock n times, then RUnlock n times): how
	// many are held is a count the walk does not keep.
	loopCounted
	// retaken: taken again after the path released it without having
	// taken it (a caller's lock dropped around a call): which irq state
	// goes with it is the caller's business.
	retaken
	// mismatchedRelease: the rest of a bundle whose release on this path
	// did not pair; the mismatch finding speaks for it.
	mismatchedRelease
	// callsUnknown: a call the rules do not know came after the acquire
	// on this path; it may have dropped the lock.
	callsUnknown
)

// unjudged are the reasons that leave a hold out of every verdict at an
// exit (and so tell states apart); the others excuse only some findings.
const unjudged = unknownOrigin | guardedSkip | loopCounted

// has reports whether n holds any of the reasons in r.
func (n noVerdict) has(r noVerdict) bool { return n&r != 0 }

// reasonIf is r when cond holds, else no reason.
func reasonIf(cond bool, r noVerdict) noVerdict {
	if cond {
		return r
	}
	return 0
}

// release is where the path released a resource, and how sure the walk
// is that it is still released.
type release struct {
	site  string // the release call's position (file:line:col)
	doubt doubt
}

// doubt is what has happened to a released resource since its release
// that the walk cannot see through.
type doubt uint8

const (
	certain doubt = iota
	// retakable: a call that may reach the lock came after the release
	// (unknownCall); it may have taken it again, so a second release
	// says nothing.
	retakable
	// perhaps: a callee releases it on some of its paths only, or a
	// guarded release the walk could not decide: perhaps still held, so
	// an exit says nothing either way.
	perhaps
)

// pending is a conditional acquire waiting for its result to be tested.
type pending struct {
	key   string // the variable or call key the result lives in
	items []held
	when  rules.When
}

type fact struct {
	key   string
	truth bool
}

// step is one step of the trail a finding shows: what the path did.
type step struct {
	prev *step
	pos  flow.Pos
	kind stepKind
	msg  string
	n    int
}

// stepKind is what a step of the trail is.
type stepKind uint8

const (
	stepEvent stepKind = iota // an acquire or a release
	stepTaken                 // a branch taken: "taken: cond"
	stepGoto                  // a jump: "goto out"
)

func (s *step) push(pos flow.Pos, msg string) *step { return s.pushKind(stepEvent, pos, msg) }

func (s *step) pushKind(kind stepKind, pos flow.Pos, msg string) *step {
	n := 1
	if s != nil {
		n = s.n + 1
	}
	return &step{prev: s, pos: pos, kind: kind, msg: msg, n: n}
}

type state struct {
	held     []held
	released map[string]release // resource -> its release on this path (acquired here first)
	external map[string]bool    // resources released that this function did not take
	// dropped: the caller's locks this path released (site of the
	// release) and has not taken again; a second release of one is a
	// double release of the caller's hold.
	dropped map[string]release
	// handed: locks this function promises to drop (__releases) that a
	// call on this path could reach, and so may have dropped.
	handed map[string]bool
	// freedUnseen: released in view with their acquire out of view; only a
	// removed release (flow.RemovedRelease) asks, so it is not in the key.
	freedUnseen map[string]bool
	failed      map[string]*flow.Expr // resource -> conditional acquire that did not take it on this path
	pend        []pending
	facts       []fact
	consts      map[string]retClass
	defers      []*flow.Event
	unknown     bool
	trail       *step
	// passed: acquire sites that took their lock on this path. An exit
	// that never passed an acquire says nothing about whether the
	// function means to return with it held.
	passed map[string]bool
	// alias: a local that holds a copy of a path (ctx = iocb->ki_ctx;
	// inode = dentry->d_inode): a lock named through either is one lock.
	alias map[string]string
	// eq: pairs of locals the path tested equal (dentry == old_parent):
	// a lock named through one is the other's.
	eq [][2]string
	// changed: tested locals assigned on this path while a lock was
	// held; a guard on one of them is not an opaque correlation.
	changed map[string]bool
	// lits: locals switched on (or compared with a number) whose value the
	// path set to a literal: int stage = 1; ... switch (stage).
	lits map[string]string
	// masks: bit tests of one word the path has seen (!(c->flags &
	// (SCANNING|BUILDING))), which decide later tests of fewer bits.
	masks []maskFact
	// spans: integers compared with constants (Go), see span.
	spans map[string]span
	// flagged: the path tested a bool parameter; what it takes after
	// that is not summarised (see flagTest).
	flagged bool
	// shared: the maps this state shares with a clone (see own).
	shared sharedMaps
}

// sharedMaps has a bit for each map of a state.
type sharedMaps uint16

const (
	mReleased sharedMaps = 1 << iota
	mExternal
	mDropped
	mHanded
	mFreedUnseen
	mFailed
	mConsts
	mPassed
	mAlias
	mChanged
	mLits
	mSpans
	allMaps = 1<<iota - 1
)

// clone returns a copy of s for another path. The maps are shared, not
// copied: both states copy a shared map when they first write to it
// (own). Most branches only test, and copying every map at every branch
// was a quarter of all a scan of fs/ allocated.
func (s *state) clone() *state {
	c := *s
	c.held = slices.Clone(s.held)
	c.pend = slices.Clone(s.pend)
	c.facts = slices.Clone(s.facts)
	c.defers = slices.Clone(s.defers)
	c.eq = slices.Clone(s.eq)
	c.masks = slices.Clone(s.masks)
	s.shared, c.shared = allMaps, allMaps
	return &c
}

// own returns the map *m of s (the field bit names) for s to write to:
// a copy of its own when s shares it with a clone, a new map when it is
// nil. Every write to a state's map, and every delete, goes through it.
func own[M ~map[K]V, K comparable, V any](s *state, bit sharedMaps, m *M) M {
	if s.shared&bit != 0 {
		s.shared &^= bit
		if len(*m) == 0 {
			*m = nil
		} else {
			*m = maps.Clone(*m)
		}
	}
	if *m == nil {
		*m = M{}
	}
	return *m
}

// drop deletes k from the map *m of s, which is copied first (own) only
// when k is in it.
func drop[M ~map[K]V, K comparable, V any](s *state, bit sharedMaps, m *M, k K) {
	if _, ok := (*m)[k]; ok {
		delete(own(s, bit, m), k)
	}
}

// key identifies the state for the visited set; the trail is not part of
// it (the first path to reach a state speaks for all). It is a 128-bit
// hash of an encoding of the fields that tell states apart: maps and the
// held set are summed element by element (order-free, no sorting), the
// sequences are written in order. A collision would merge two states;
// with at most MaxStates states per function that is never met in
// practice, and building a string per state (as before) was a tenth of
// a scan's time and most of its garbage. The first part of the encoding
// is lockKey's, whose hash comes back beside the whole one.
func (s *state) key(k *keyer) (full, lock [2]uint64) {
	k.buf = k.buf[:0]
	lock = s.lockKey(k)
	var sum elemSum
	for _, f := range s.facts {
		k.str(f.key).flags(f.truth).add(&sum)
	}
	k.section('t', sum)
	sum = elemSum{}
	for name, c := range s.consts {
		k.str(name).num(int64(c)).add(&sum)
	}
	k.section('c', sum)
	if len(s.alias) > 0 && len(s.held) > 0 {
		k.section('a', s.heldAliases(k))
	}
	k.buf = append(k.buf, 'e')
	for _, e := range s.eq {
		k.buf = appendStr(appendStr(k.buf, e[0]), e[1])
	}
	// masks are left out too: they only prune. The price: a path that
	// merges into one that saw other bit tests is pruned by those, which
	// can hide a leak (never invent one); keeping them split the walk.
	sum = elemSum{}
	for name, v := range s.lits {
		k.str(name).str(v).add(&sum)
	}
	k.section('l', sum)
	k.section('n', s.spansKey(k))
	// passed and changed are left out: they only refine what an exit or
	// a guard says, and keeping them apart multiplied the states walked.
	return k.sum(), lock
}

// lockKey is the part of key that says what the path holds and has
// released: the locks themselves, not what the path knows of values.
// Past joinAfter states at one block, paths that agree on it are joined
// (run). It writes its part of the encoding into k.buf and returns the
// hash of it.
func (s *state) lockKey(k *keyer) [2]uint64 {
	var sum elemSum
	for _, h := range s.held {
		k.str(h.res).str(h.site).num(int64(h.depth)).str(h.mismatchAt).num(int64(h.why & unjudged)).add(&sum)
	}
	k.section('h', sum)
	k.section('r', sumKeys(k, s.released))
	k.section('x', sumKeys(k, s.external))
	k.section('d', sumKeys(k, s.dropped))
	k.section('g', sumKeys(k, s.handed))
	k.section('f', sumKeys(k, s.failed))
	k.buf = append(k.buf, 'p')
	for _, p := range s.pend {
		k.buf = appendStr(k.buf, p.key)
	}
	k.buf = append(k.buf, 'D')
	for _, d := range s.defers {
		k.buf = appendStr(k.buf, d.Pos.File)
		k.buf = binary.AppendVarint(binary.AppendVarint(k.buf, int64(d.Pos.Line)), int64(d.Pos.Col))
	}
	k.buf = append(k.buf, 'u')
	k.buf = appendFlags(k.buf, s.unknown)
	return k.sum()
}

// heldAliases sums the copies that reach a held lock: only those tell
// states apart; the rest would split the walk on every pointer
// assignment.
func (s *state) heldAliases(k *keyer) elemSum {
	roots := map[string]bool{}
	for _, h := range s.held {
		roots[rootIdent(objectPath(h.res))] = true
	}
	for grew := true; grew; { // copies of copies (child = this_parent = dentry)
		grew = false
		for a, v := range s.alias {
			if ra, rv := rootIdent(a), rootIdent(v); roots[ra] != roots[rv] {
				roots[ra], roots[rv], grew = true, true, true
			}
		}
	}
	var sum elemSum
	for a, v := range s.alias {
		if roots[rootIdent(a)] {
			k.str(a).str(v).add(&sum)
		}
	}
	return sum
}

// keyer hashes states for one walk (see state.key); its buffers are
// reused from state to state.
type keyer struct {
	seed [2]maphash.Seed
	buf  []byte // the state's encoding
	elem []byte // the element being added to a set
}

func newKeyer() *keyer {
	return &keyer{seed: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}}
}

// elemSum is an order-free hash of a set: the sum of its elements' hashes.
type elemSum [2]uint64

func (k *keyer) str(v string) *keyer    { k.elem = appendStr(k.elem, v); return k }
func (k *keyer) num(v int64) *keyer     { k.elem = binary.AppendVarint(k.elem, v); return k }
func (k *keyer) flags(v ...bool) *keyer { k.elem = appendFlags(k.elem, v...); return k }

// add ends the element being written and adds it to sum.
func (k *keyer) add(sum *elemSum) {
	sum[0] += maphash.Bytes(k.seed[0], k.elem)
	sum[1] += maphash.Bytes(k.seed[1], k.elem)
	k.elem = k.elem[:0]
}

// sumKeys sums the keys of m.
func sumKeys[V any](k *keyer, m map[string]V) elemSum {
	var sum elemSum
	for name := range m {
		k.str(name).add(&sum)
	}
	return sum
}

// sum hashes what buf holds so far.
func (k *keyer) sum() [2]uint64 {
	return [2]uint64{maphash.Bytes(k.seed[0], k.buf), maphash.Bytes(k.seed[1], k.buf)}
}

func (k *keyer) section(tag byte, sum elemSum) {
	k.buf = append(k.buf, tag)
	k.buf = binary.LittleEndian.AppendUint64(k.buf, sum[0])
	k.buf = binary.LittleEndian.AppendUint64(k.buf, sum[1])
}

// appendStr appends v, its length first, so that no two sequences of
// strings encode alike.
func appendStr(b []byte, v string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(v))), v...)
}

func appendFlags(b []byte, v ...bool) []byte {
	var f byte
	for i, x := range v {
		if x {
			f |= 1 << i
		}
	}
	return append(b, f)
}

// exitObs is what one path saw at one exit for one acquire site.
type exitObs struct {
	class retClass
	held  bool
	mism  bool // held only because a release on this path did not pair
	freed bool // acquired and released on this path
	// passed: the path took this site's lock (and may have lost track
	// of it since); false means it never got there.
	passed bool
	// renamed: held under another spelling than the acquire's (a copy
	// of the pointer took over), so the acquire's text is no fix here.
	renamed string
	unknown bool     // released, perhaps, by a callee: no evidence either way
	still   []string // held: what of the site's resources is still held
	idx     int      // which exit (index into walker.exitRecs)
	pos     flow.Pos
	trail   *step
	label   string
}

type siteInfo struct {
	pos      flow.Pos
	call     *flow.Expr
	pair     *rules.Pair
	res      []string
	quiet    bool
	removed  bool // no acquire: a release the patch deletes here says it was held
	exits    []exitObs
	reported bool
	inLoop   bool // the acquire sits in a loop
}

func (s *state) find(res string) int {
	for i := len(s.held) - 1; i >= 0; i-- {
		if s.held[i].res == res {
			return i
		}
	}
	if len(s.alias) == 0 && len(s.eq) == 0 {
		return -1
	}
	names := []string{s.canon(res)}
	root := rootIdent(res)
	for _, e := range s.eq {
		for k := 0; k < 2; k++ {
			if e[k] == root {
				names = append(names, s.canon(replaceRoot(res, root, e[1-k])))
			}
		}
	}
	for i := len(s.held) - 1; i >= 0; i-- {
		if !s.held[i].why.has(unknownOrigin) && slices.Contains(names, s.canon(s.held[i].res)) {
			return i
		}
	}
	return -1
}
