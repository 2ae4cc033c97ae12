package lockpair

import (
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/rules"
)

// The path state: what is held (held), the pending conditions and facts of
// one path (state), how a state is copied and how states are merged (key).

// held is one resource held on a path.
type held struct {
	res    string
	mode   rules.Mode
	site   string // key of the acquire site (file:line:col)
	orig   string // res as the acquire spelled it, when a copy renamed it since
	pair   *rules.Pair
	call   *flow.Expr
	quiet  bool // a raw tag write: tracked for learning, never reported
	depth  int
	extern bool // unknown origin (after a release we could not pair): never reported
	// guarded: the path passed a release of this lock under a condition
	// the walk could not decide, and took the side that skips it: the
	// code says the lock is not held there, by a correlation we cannot
	// see (if (current->journal_info) gfs2_trans_end(sdp)). No verdict.
	guarded bool
	// counted: a shared or recursive acquire inside one loop whose
	// releases run in another (RLock n times, then RUnlock n times): how
	// many are held is a count the walk does not keep. No verdict.
	counted bool
	// retake: taken again after the path released it without having
	// taken it (a caller's lock dropped around a call): which irq state
	// goes with it is the caller's business.
	retake bool
	// mismatched: the rest of a bundle whose release on this path did not
	// pair; the mismatch finding speaks for it.
	mismatched bool
	mismatchAt string // the release that did not pair, so its path keeps its own exit
	// pendingRel is a release that did not pair and left this (CPU
	// state) behind: reported if the path exits with it still held.
	pendingRel   *flow.Expr
	pendingFreed []string
	// unknownCalls: a call the rules do not know came after the acquire
	// on this path; it may have dropped the lock.
	unknownCalls bool
}

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

type step struct {
	prev *step
	pos  flow.Pos
	msg  string
	n    int
}

func (s *step) push(pos flow.Pos, msg string) *step {
	n := 1
	if s != nil {
		n = s.n + 1
	}
	return &step{prev: s, pos: pos, msg: msg, n: n}
}

type state struct {
	held     []held
	released map[string]string // resource -> site of the release on this path (acquired here first)
	external map[string]bool   // resources released that this function did not take
	// dropped: the caller's locks this path released (site of the
	// release) and has not taken again; a second release of one is a
	// double release of the caller's hold.
	dropped map[string]string
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
}

func (s *state) clone() *state {
	c := &state{
		held:    append([]held(nil), s.held...),
		pend:    append([]pending(nil), s.pend...),
		facts:   append([]fact(nil), s.facts...),
		defers:  append([]*flow.Event(nil), s.defers...),
		unknown: s.unknown,
		trail:   s.trail,
		flagged: s.flagged,
	}
	c.released = make(map[string]string, len(s.released))
	for k, v := range s.released {
		c.released[k] = v
	}
	if len(s.freedUnseen) > 0 {
		c.freedUnseen = maps.Clone(s.freedUnseen)
	}
	c.failed = make(map[string]*flow.Expr, len(s.failed))
	for k, v := range s.failed {
		c.failed[k] = v
	}
	if len(s.dropped) > 0 {
		c.dropped = make(map[string]string, len(s.dropped))
		for k, v := range s.dropped {
			c.dropped[k] = v
		}
	}
	c.external = make(map[string]bool, len(s.external))
	for k, v := range s.external {
		c.external[k] = v
	}
	c.consts = make(map[string]retClass, len(s.consts))
	for k, v := range s.consts {
		c.consts[k] = v
	}
	if len(s.alias) > 0 {
		c.alias = make(map[string]string, len(s.alias))
		for k, v := range s.alias {
			c.alias[k] = v
		}
	}
	c.eq = append([][2]string(nil), s.eq...)
	c.masks = append([]maskFact(nil), s.masks...)
	if len(s.spans) > 0 {
		c.spans = make(map[string]span, len(s.spans))
		for k, v := range s.spans {
			c.spans[k] = v
		}
	}
	if len(s.lits) > 0 {
		c.lits = make(map[string]string, len(s.lits))
		for k, v := range s.lits {
			c.lits[k] = v
		}
	}
	if len(s.changed) > 0 {
		c.changed = make(map[string]bool, len(s.changed))
		for k := range s.changed {
			c.changed[k] = true
		}
	}
	c.passed = make(map[string]bool, len(s.passed))
	for k := range s.passed {
		c.passed[k] = true
	}
	return c
}

// key identifies the state for the visited set; the trail is not part of
// it (the first path to reach a state speaks for all).
func (s *state) key() string {
	var b strings.Builder
	b.WriteString(s.lockKey())
	b.WriteString("|")
	fs := make([]string, len(s.facts))
	for i, f := range s.facts {
		fs[i] = f.key + "=" + strconv.FormatBool(f.truth)
	}
	sort.Strings(fs)
	b.WriteString(strings.Join(fs, ","))
	b.WriteString("|")
	cs := make([]string, 0, len(s.consts))
	for k, v := range s.consts {
		cs = append(cs, k+"="+strconv.Itoa(int(v)))
	}
	sort.Strings(cs)
	b.WriteString(strings.Join(cs, ","))
	if len(s.alias) > 0 && len(s.held) > 0 {
		// Only copies that reach a held lock tell states apart; the
		// rest would split the walk on every pointer assignment.
		roots := map[string]bool{}
		for _, h := range s.held {
			roots[rootIdent(strings.TrimPrefix(h.res, "tag:"))] = true
		}
		for grew := true; grew; { // copies of copies (child = this_parent = dentry)
			grew = false
			for k, v := range s.alias {
				if rk, rv := rootIdent(k), rootIdent(v); roots[rk] != roots[rv] {
					roots[rk], roots[rv], grew = true, true, true
				}
			}
		}
		as := make([]string, 0, len(s.alias))
		for k, v := range s.alias {
			if roots[rootIdent(k)] {
				as = append(as, k+"="+v)
			}
		}
		sort.Strings(as)
		b.WriteString("|" + strings.Join(as, ","))
	}
	for _, e := range s.eq {
		b.WriteString("|" + e[0] + "==" + e[1])
	}
	// masks are left out too: they only prune. The price: a path that
	// merges into one that saw other bit tests is pruned by those, which
	// can hide a leak (never invent one); keeping them split the walk.
	if len(s.lits) > 0 {
		ls := make([]string, 0, len(s.lits))
		for k, v := range s.lits {
			ls = append(ls, k+"="+v)
		}
		sort.Strings(ls)
		b.WriteString("|l" + strings.Join(ls, ","))
	}
	b.WriteString(s.spansKey())
	// passed and changed are left out: they only refine what an exit or
	// a guard says, and keeping them apart multiplied the states walked.
	return b.String()
}

// lockKey is the part of key that says what the path holds and has
// released: the locks themselves, not what the path knows of values.
// Past joinAfter states at one block, paths that agree on it are joined
// (run).
func (s *state) lockKey() string {
	var b strings.Builder
	hs := make([]string, len(s.held))
	for i, h := range s.held {
		hs[i] = h.res + "@" + h.site + "#" + strconv.Itoa(h.depth) + h.mismatchAt
		if h.extern {
			hs[i] += "~"
		}
		if h.guarded {
			hs[i] += "g"
		}
		if h.counted {
			hs[i] += "n"
		}
	}
	sort.Strings(hs)
	b.WriteString(strings.Join(hs, ","))
	b.WriteString("|")
	b.WriteString(sortedKeys(s.released))
	b.WriteString("|")
	b.WriteString(sortedBoolKeys(s.external))
	b.WriteString(sortedKeys(s.dropped))
	b.WriteString("|")
	for _, k := range sortedFailed(s.failed) {
		b.WriteString(k + ";")
	}
	b.WriteString("|")
	for _, p := range s.pend {
		b.WriteString(p.key + ";")
	}
	b.WriteString("|")
	for _, d := range s.defers {
		b.WriteString("|d" + d.Pos.String())
	}
	if s.unknown {
		b.WriteString("|?")
	}
	return b.String()
}

func sortedKeys(m map[string]string) string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
}

func sortedFailed(m map[string]*flow.Expr) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func sortedBoolKeys(m map[string]bool) string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
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
		if !s.held[i].extern && slices.Contains(names, s.canon(s.held[i].res)) {
			return i
		}
	}
	return -1
}
