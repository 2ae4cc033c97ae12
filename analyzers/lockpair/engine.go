package lockpair

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/report"
	"github.com/tagcheck/tagcheck/rules"
)

// Options configure one walk.
type Options struct {
	Lang rules.Lang
	// NoWrapper says the function hands no lock to its callers (none of
	// them releases what it leaves held): every lock held at an exit is
	// a finding.
	NoWrapper bool
	// MaxStates bounds the distinct (block, state) pairs explored in one
	// function; past it the function is reported Degraded rather than
	// analyzed partially in silence. 0 means the default.
	MaxStates int
}

// Result is what the walk of one function found and learned.
type Result struct {
	Findings []report.Finding
	// Wrapper is set when the function leaves resources held on every
	// success exit: it is an acquire wrapper of them. Its templates are in
	// terms of the parameters ($0 is the first; the receiver in Go).
	Wrapper *rules.Pair
	// WrapperInLoop: the Wrapper's lock is taken inside a loop, which it
	// leaves holding it (a break, a return from the loop): a wrapper by
	// shape only, unless its callers release what it returns holding.
	WrapperInLoop bool
	// Releases lists the resource templates the function releases on every
	// exit without having acquired them: it is a release wrapper.
	Releases []string
	// MayRelease lists the templates of resources the function releases
	// on some paths without acquiring them (C only): a caller holding one
	// cannot tell afterwards whether it still does.
	MayRelease []string
	// Takes lists what the function acquires on some path and gives back
	// before it returns (Go only), one pair per resource and mode, each
	// Learned at the acquire: a caller that already holds one deadlocks.
	Takes    []*rules.Pair
	Degraded bool
	// OutOfView lists the acquires whose paths went into lines the patch
	// does not show with the lock held: nothing was judged of them there.
	OutOfView []OutOfView
	walkMay   []string // MayRelease as the walk saw it
}

// OutOfView is an acquire in view that some path held into unseen lines.
type OutOfView struct {
	Site flow.Pos // the acquire
	Lost flow.Pos // the last line in view of the first such path
	What string   // what it took and how: "dev->lock taken by mutex_lock(&dev->lock)"
}

const (
	defaultMaxStates = 5000
	maxDepth         = 3
)

// dialect is how far the walk may infer what the code does not spell out.
// The C front end hands over raw pointers copied between locals and
// fields, helpers that drop and retake their callers' locks, and tests
// the walk cannot see into; Go's SSA names every value exactly and its
// callees are summarised by facts, so Go keeps the exact walk.
type dialect struct {
	names  bool // one lock reached through copies, fields, accessors and tested equalities
	opaque bool // callees that may drop a lock, and guards the walk cannot decide, give no verdict
	// sharedNests: a shared acquire of a lock held shared is nesting
	// (down_read twice). Go's RWMutex forbids recursive read locking: a
	// writer waiting between the two RLocks blocks the second forever.
	sharedNests bool
	// takes: summarise what each function takes while it runs (Go); C
	// callees are read through rules and learned wrappers only.
	takes bool
	// everyExit: report an unreleased lock at each exit line that keeps
	// it (Go, as checklocks does), not once per acquire.
	everyExit bool
	// sourceNames: name resources in messages as the call that took them
	// writes them (Go: lmb.mu, not the SSA's fs.lmb.mu or t21.mu).
	sourceNames bool
	// negIsError: "x < 0" tests a call's result for a negative error, so
	// its false side says x is zero (ret = mutex_lock_killable(); if
	// (ret < 0) ...). In Go it only says x >= 0.
	negIsError bool
	// spans: integers compared with constants narrow what later tests
	// can find (Go), and conditions on constants are decided.
	spans bool
}

func dialectOf(lang rules.Lang) dialect {
	if lang == rules.Go {
		return dialect{takes: true, everyExit: true, sourceNames: true, spans: true}
	}
	return dialect{names: true, opaque: true, sharedNests: true, negIsError: true}
}

// CheckFunc walks every path of f, tracking what is held, and reports
// releases that do not pair with their acquire, resources still held on
// some exit, second acquires of a held lock and second releases.
func CheckFunc(f *flow.Func, rs *rules.Set, opt Options) Result {
	if !relevant(f, rs) {
		return Result{}
	}
	if dialectOf(opt.Lang).takes && onlyTakes(f, rs) {
		return Result{Takes: takesOf(f, rs, opt)}
	}
	w := &walker{f: f, rs: rs, opt: opt, sites: map[string]*siteInfo{}, mismatch: map[string]int{}}
	if w.opt.MaxStates == 0 {
		w.opt.MaxStates = defaultMaxStates
	}
	w.d = dialectOf(opt.Lang)
	w.retested, w.tested, w.returned = retestedAndReturned(f)
	w.run()
	r := w.result()
	if w.d.opaque {
		r.MayRelease = w.mayRelease(r.Releases)
		for _, t := range r.walkMay {
			if !slices.Contains(r.MayRelease, t) && !slices.Contains(r.Releases, t) {
				r.MayRelease = append(r.MayRelease, t)
			}
		}
		sort.Strings(r.MayRelease)
	}
	return r
}

// mayRelease finds, without walking, the caller's resources the function
// releases somewhere: released by a call in its body, named through its
// parameters, and never acquired in it. Lexical on purpose: it must hold
// for functions too branchy to walk (handle_cap_grant).
func (w *walker) mayRelease(always []string) []string {
	acquired := map[string]bool{}
	released := map[string]bool{}
	visit := func(x *flow.Expr) {
		for _, c := range flow.Calls(x) {
			args := argKeys(c)
			for _, p := range w.rs.Acquires(c.Name) {
				for _, r := range instantiate(p.Holds(), args) {
					acquired[r] = true
				}
			}
			certain := false
			for _, p := range w.rs.Releases(c.Name) {
				if !w.langOK(p) || p.Field != "" || certain && !p.Maybe {
					continue // as call() applies them: the first certain release speaks, and every maybe
				}
				for _, r := range instantiate(p.Holds(), args) {
					released[r] = true
				}
				certain = certain || !p.Maybe
			}
		}
	}
	for _, b := range w.f.Blocks {
		for _, ev := range b.Events {
			visit(ev.X)
			for _, d := range ev.Body {
				visit(d.X)
			}
		}
	}
	var out []string
	for r := range released {
		if acquired[r] || isCPUState(r) {
			continue
		}
		// Only a lock the caller names through an argument: a global one
		// (rcu, a static mutex) dropped on some path of some helper would
		// blind every caller in the tree.
		if t := w.template(r); t != "" && !slices.Contains(always, t) && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}

// relevant reports whether f calls anything the rules acquire or release
// with, or writes tag bits: most functions do not, and skipping them keeps
// a whole-tree pass near parse speed.
func relevant(f *flow.Func, rs *rules.Set) bool {
	found := false
	visit := func(x *flow.Expr) {
		if found || x == nil {
			return
		}
		for _, c := range flow.Calls(x) {
			if len(rs.Acquires(c.Name)) > 0 || len(rs.Releases(c.Name)) > 0 || len(rs.Takes(c.Name)) > 0 {
				found = true
				return
			}
		}
		if len(rules.TagWrites(x)) > 0 {
			found = true
		}
	}
	for _, b := range f.Blocks {
		for _, ev := range b.Events {
			visit(ev.X)
			for _, d := range ev.Body {
				visit(d.X)
			}
			if ev.Kind == flow.EvScopeEnd {
				found = true
			}
		}
		if found {
			return true
		}
	}
	return found
}

// onlyTakes reports whether the only calls of f the rules know are to
// functions that take locks and give them back: nothing is ever held on
// its paths, so it has nothing to report and is no wrapper; what it takes
// is read off its calls without a walk.
func onlyTakes(f *flow.Func, rs *rules.Set) bool {
	only := true
	visit := func(x *flow.Expr) {
		if !only || x == nil {
			return
		}
		for _, c := range flow.Calls(x) {
			if len(rs.Acquires(c.Name)) > 0 || len(rs.Releases(c.Name)) > 0 || rs.EnablesIRQ(c.Name) {
				only = false
				return
			}
		}
		if len(rules.TagWrites(x)) > 0 {
			only = false
		}
	}
	for _, b := range f.Blocks {
		for _, ev := range b.Events {
			visit(ev.X)
			for _, d := range ev.Body {
				visit(d.X)
			}
			if ev.Kind == flow.EvScopeEnd {
				return false
			}
		}
	}
	return only
}

// takesOf lists what f takes through its calls, for a function that
// onlyTakes.
func takesOf(f *flow.Func, rs *rules.Set, opt Options) []*rules.Pair {
	w := &walker{f: f, rs: rs, opt: opt, d: dialectOf(opt.Lang)}
	s := &state{external: map[string]bool{}}
	note := func(x *flow.Expr) {
		for _, c := range flow.Calls(x) {
			for _, p := range rs.Takes(c.Name) {
				w.noteTakes(s, c, p, instantiate(p.Holds(), argKeys(c)), c.Pos)
			}
		}
	}
	for _, b := range f.Blocks {
		for _, ev := range b.Events {
			note(ev.X)
			for _, d := range ev.Body {
				note(d.X)
			}
		}
	}
	return w.takes
}

// retestedAndReturned finds the conditions tested in more than one place
// (only those can correlate, so only those are remembered along a path)
// and the variables returned (only their values sort exits into success
// and failure). Remembering everything would make every path distinct
// and the walk exponential.
func retestedAndReturned(f *flow.Func) (retested, tested, returned map[string]bool) {
	seen := map[string]int{}
	returned = map[string]bool{}
	for _, b := range f.Blocks {
		counted := map[string]bool{}
		for _, e := range b.Succs {
			if e.Cond == nil {
				continue
			}
			base, _ := normalizeCond(e.Cond, true)
			k := base.Key()
			if !counted[k] {
				counted[k] = true
				seen[k]++
			}
		}
		for _, ev := range b.Events {
			if ev.Kind == flow.EvReturn && ev.X != nil {
				flow.Walk(ev.X, func(x *flow.Expr) bool {
					if x.Op == flow.OpIdent {
						returned[x.Name] = true
					}
					return true
				})
			}
		}
	}
	retested, tested = map[string]bool{}, map[string]bool{}
	for k, n := range seen {
		tested[k] = true
		if n > 1 {
			retested[k] = true
		}
	}
	return retested, tested, returned
}

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
	failed  map[string]*flow.Expr // resource -> conditional acquire that did not take it on this path
	pend    []pending
	facts   []fact
	consts  map[string]retClass
	defers  []*flow.Event
	unknown bool
	trail   *step
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
	for _, d := range s.defers {
		b.WriteString("|d" + d.Pos.String())
	}
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
	exits    []exitObs
	reported bool
	inLoop   bool // the acquire sits in a loop
}

type walker struct {
	f        *flow.Func
	rs       *rules.Set
	opt      Options
	findings []report.Finding
	sites    map[string]*siteInfo
	order    []string       // site keys in first-seen order
	mismatch map[string]int // site -> finding index of its mismatched release
	reported map[string]bool
	lost     map[string]flow.Pos // site -> where a path holding it went out of view
	// externalExits counts, per resource released without being taken,
	// the exits that saw it released; returnExits counts all Return exits.
	externalExits map[string]int
	returnExits   int
	degraded      bool
	retaken       map[string]bool // resources released and taken again by the function
	releaseSeen   map[string]bool // resources some release call in the function names
	linked        map[string]bool // alias keys a wrapper's links made (fd.tree)
	exitHeld      []exitState     // per Return exit reached: held resources and the return's class
	exitRecs      []exitRec       // every Return exit reached, in walk order
	retested      map[string]bool // condition keys tested in more than one place
	d             dialect
	cur           *flow.Block         // the block being walked
	litVarSet     map[string]bool     // locals compared with numbers (switch cases)
	maskWordSet   map[string]bool     // words bit-tested with different masks
	loops         *loopInfo           // computed on first need
	tested        map[string]bool     // condition keys tested anywhere
	returned      map[string]bool     // variables that appear in a return
	takes         []*rules.Pair       // what the function takes while it runs, see Result.Takes
	spell         map[string]string   // resource key -> as the source writes it (Go)
	compared      map[string]bool     // see comparedTwice
	spelled       map[*flow.Expr]bool // calls noteSpelling has read
	takesRes      map[callPair][]string
	takesNoted    map[callPair]bool
}

func (w *walker) run() {
	entry := w.f.Entry()
	if entry == nil {
		return
	}
	w.reported = map[string]bool{}
	w.lost = map[string]flow.Pos{}
	w.externalExits = map[string]int{}
	w.retaken = map[string]bool{}
	w.releaseSeen = map[string]bool{}
	type item struct {
		b *flow.Block
		s *state
	}
	visited := map[string]bool{}
	stack := []item{{entry, &state{released: map[string]string{}, external: map[string]bool{}, failed: map[string]*flow.Expr{}, consts: map[string]retClass{}, passed: map[string]bool{}}}}
	if w.f.Partial {
		// A fragment whose start is not shown: what was held on entry is
		// unknown. The front end marks it with EvUnseen; nothing to do.
		_ = 0
	}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		k := strconv.Itoa(it.b.Index) + "/" + it.s.key()
		if visited[k] {
			continue
		}
		if len(visited) >= w.opt.MaxStates {
			w.degraded = true
			return
		}
		visited[k] = true
		s := it.s.clone()
		w.cur = it.b
		for _, ev := range it.b.Events {
			w.event(s, ev)
		}
		if len(it.b.Succs) == 0 {
			w.exit(s, it.b)
			continue
		}
		// Push in reverse so the first successor is explored first.
		for i := len(it.b.Succs) - 1; i >= 0; i-- {
			e := it.b.Succs[i]
			ns := s.clone()
			open := w.d.opaque && len(s.held)+len(s.failed) > 0 && len(it.b.Succs) == 2 && e.Cond != nil && !w.decided(s, e.Cond)
			if w.switchInfeasible(s, it.b, i) || !w.edge(ns, e) {
				continue
			}
			if e.To.Index <= it.b.Index {
				// Back round a loop, SSA values take new values:
				// what the last round knew of them no longer holds.
				ns.spans = nil
			}
			if open {
				w.skipGuarded(ns, it.b.Succs[1-i].To, e.To)
				w.enterGuarded(ns, e.To, it.b.Succs[1-i].To, e.Pos)
			}
			stack = append(stack, item{e.To, ns})
		}
	}
}

func (w *walker) event(s *state, ev *flow.Event) {
	switch ev.Kind {
	case flow.EvUnseen:
		last := ev.Pos
		last.Line-- // the marker sits on the first unseen line
		w.loseSight(s, last)
		s.held = nil
		s.pend = nil
		s.facts = nil
		s.released = map[string]string{}
		s.failed = map[string]*flow.Expr{}
		s.unknown = true
	case flow.EvExpr:
		w.expr(s, ev.X, ev)
	case flow.EvReturn:
		if ev.X != nil {
			w.expr(s, ev.X, ev)
		}
	case flow.EvDefer:
		// A defer in a loop registers once: its release runs at the
		// return whatever the count, and the loop's acquire is one site.
		for _, d := range s.defers {
			if d.Pos == ev.Pos {
				return
			}
		}
		s.defers = append(s.defers, ev)
	case flow.EvRunDefers:
		for i := len(s.defers) - 1; i >= 0; i-- {
			d := s.defers[i]
			if d.Body != nil {
				for _, b := range d.Body {
					w.event(s, b)
				}
			} else {
				w.expr(s, d.X, d)
			}
		}
		s.defers = nil
	case flow.EvScopeEnd:
		if ev.X != nil {
			end := *ev.X
			end.Name = "__scope_end"
			w.call(s, &end, ev)
		}
	}
}

// expr applies the effects of evaluating x: calls that acquire or
// release, tag writes, and assignments that invalidate what the path knew.
func (w *walker) expr(s *state, x *flow.Expr, ev *flow.Event) {
	if x == nil {
		return
	}
	for _, c := range flow.Calls(x) {
		w.call(s, c, ev)
	}
	for _, tw := range rules.TagWrites(x) {
		res := rules.TagResource(tw.Field.Key())
		if tw.Set {
			w.acquire(s, tw.Node, nil, []string{res}, rules.Exclusive, true)
		} else {
			w.release(s, tw.Node, nil, []string{res}, ev)
		}
	}
	flow.Walk(x, func(e *flow.Expr) bool {
		switch {
		case e.Op == flow.OpAssign:
			lhs := flow.Strip(e.Arg(0))
			if lhs != nil && lhs.Op == flow.OpIdent {
				w.assign(s, lhs.Name, e.Arg(1))
			} else if lhs != nil {
				k := lhs.Key()
				w.forget(s, k)
				// dio->inode = inode: the field is a copy of the local.
				if a := aliasPath(k, e.Arg(1)); a != "" && e.Name == "=" && w.d.names && lhs.Op == flow.OpField && !strings.Contains(a, "(") {
					if s.alias == nil {
						s.alias = map[string]string{}
					}
					s.alias[k] = a
				}
			}
			if lhs != nil && e.Name == "=" {
				w.learnConst(s, lhs.Key(), e.Arg(1))
			}
			if r := flow.Strip(e.Arg(1)); r != nil && r.Op == flow.OpUnary && r.Name == "&" {
				return false // p = &x takes x's address to copy, not to change x
			}
		case e.Op == flow.OpUnary && (e.Name == "++" || e.Name == "--"):
			if a := flow.Strip(e.Arg(0)); a != nil && a.Op == flow.OpIdent {
				w.rename(s, a.Name)
			}
		case e.Op == flow.OpUnary && e.Name == "&":
			// &x handed to a call may change x's value, not what it names;
			// the fields a wrapper linked stay linked.
			if a := flow.Strip(e.Arg(0)); a != nil && a.Op == flow.OpIdent {
				kept := w.linkedFields(s, a.Name)
				w.invalidate(s, a.Name)
				for k, v := range kept {
					s.alias[k] = v
				}
			}
		}
		return true
	})
	// After &fd was handed over (and invalidated what the path knew of
	// fd): the fields the callee linked.
	for _, c := range flow.Calls(x) {
		for _, p := range w.rs.Acquires(c.Name) {
			w.applyLinks(s, p, argKeys(c))
		}
	}
}

// assign records what the path knows after `name = rhs`.
func (w *walker) assign(s *state, name string, rhs *flow.Expr) {
	if len(s.held) > 0 && w.tested[name] && !w.acquireCall(rhs) {
		if s.changed == nil {
			s.changed = map[string]bool{}
		}
		s.changed[name] = true
	}
	w.rescue(s, name)
	w.rename(s, name)
	if r := flow.Strip(rhs); r != nil && r.Op == flow.OpNumber && w.litVars()[name] {
		if s.lits == nil {
			s.lits = map[string]string{}
		}
		s.lits[name] = r.Name
	}
	if a := aliasPath(name, rhs); a != "" && w.d.names && (!strings.Contains(a, "(") || w.pointerLocal(name)) {
		if s.alias == nil {
			s.alias = map[string]string{}
		}
		s.alias[name] = a
	}
	r := flow.Strip(rhs)
	if r == nil {
		return
	}
	if c := classify(r, w.f.Result, s); c != retUnknown && w.returned[name] {
		s.consts[name] = c
	}
	if r.Op == flow.OpCall {
		// A conditional acquire whose result lands in name: the test of
		// name decides whether it is held.
		ck := r.Key()
		for i := range s.pend {
			if s.pend[i].key == ck {
				s.pend[i].key = name
			}
		}
	}
}

// rename is an assignment to name: a held lock named through the
// variable now names another object. It is still held, but no longer by
// that name (the loop's previous element), so it can neither be released
// nor taken twice by it. One such entry per acquire site is kept, so a
// loop does not grow the state.
func (w *walker) rename(s *state, name string) {
	for i := 0; i < len(s.held); i++ {
		h := &s.held[i]
		if h.extern || !mentions(h.res, name) {
			continue
		}
		dup := false
		for _, o := range s.held {
			dup = dup || o.extern && o.site == h.site
		}
		if dup {
			s.held = append(s.held[:i], s.held[i+1:]...)
			i--
			continue
		}
		h.extern = true
		h.res += "#" + name + "@old"
	}
	// What was released or failed under the old name says nothing about
	// the new object.
	for r := range s.released {
		if mentions(r, name) {
			delete(s.released, r)
		}
	}
	for r := range s.failed {
		if mentions(r, name) {
			delete(s.failed, r)
		}
	}
	for r := range s.dropped {
		if mentions(r, name) {
			delete(s.dropped, r)
		}
	}
	w.invalidate(s, name)
}

// forget drops what the path knew of a place that is assigned
// (*ilock_shared = false, s->flag = 1).
func (w *walker) forget(s *state, key string) {
	s.dropMasks(key)
	s.dropSpans(key)
	for r := range s.dropped {
		if strings.Contains(r, strings.TrimLeft(key, "*&")) {
			delete(s.dropped, r) // *hb = futex_q_lock(q): a new lock behind the name
		}
	}
	for p, a := range s.alias {
		if strings.HasPrefix(p, key) || mentions(a, key) {
			delete(s.alias, p)
		}
	}
	keep := s.facts[:0]
	for _, f := range s.facts {
		if !strings.Contains(f.key, key) {
			keep = append(keep, f)
		}
	}
	s.facts = keep
}

// learnConst remembers a flag set to a constant, when the flag is tested
// later: `locked = 1; ... if (locked) unlock()`.
func (w *walker) learnConst(s *state, key string, rhs *flow.Expr) {
	if !w.tested[key] {
		return
	}
	r := flow.Strip(rhs)
	if r == nil {
		return
	}
	var truth bool
	switch {
	case isZero(r):
		truth = false
	case r.Op == flow.OpNumber || r.Op == flow.OpIdent && r.Name == "true",
		r.Op == flow.OpUnary && r.Name == "&": // a pointer set to an address is not NULL
		truth = true
	default:
		return
	}
	s.facts = append(s.facts, fact{key: key, truth: truth})
}

// assignedFlag reports whether the path set key to a constant: a test of
// it then decides, and must agree with the assignment.
func (w *walker) assignedFlag(s *state, key string) bool {
	for _, f := range s.facts {
		if f.key == key {
			return true
		}
	}
	return false
}

func (w *walker) invalidate(s *state, name string) {
	delete(s.consts, name)
	s.dropSpans(name)
	s.dropMasks(name)
	delete(s.lits, name)
	// A copy of name keeps its value: child = this_parent; this_parent =
	// child->d_parent leaves child a copy of what this_parent was.
	if len(s.eq) > 0 {
		keep := s.eq[:0:0]
		for _, e := range s.eq {
			if e[0] != name && e[1] != name {
				keep = append(keep, e)
			}
		}
		s.eq = keep
	}
	old, had := s.alias[name]
	for v, a := range s.alias {
		switch {
		case v == name || rootIdent(v) == name && strings.ContainsAny(v, ".>"):
			delete(s.alias, v)
		case had && rootIdent(a) == name && !mentions(old, v):
			s.alias[v] = replaceRoot(a, name, old)
		case mentions(a, name):
			delete(s.alias, v)
		}
	}
	keep := s.facts[:0]
	for _, f := range s.facts {
		if !mentions(stripSizeof(f.key), name) {
			keep = append(keep, f)
		}
	}
	s.facts = keep
	kp := s.pend[:0]
	for _, p := range s.pend {
		if p.key != name {
			kp = append(kp, p)
		}
	}
	s.pend = kp
}

// mentions reports whether key uses the identifier name.
// stripSizeof drops sizeof(...) from a key: what it names is not read, so
// assigning a variable does not change `sizeof(x) > sizeof(long)`.
func stripSizeof(key string) string {
	for {
		i := strings.Index(key, "sizeof(")
		if i < 0 {
			return key
		}
		depth, j := 0, i+len("sizeof")
		for ; j < len(key); j++ {
			if key[j] == '(' {
				depth++
			} else if key[j] == ')' {
				depth--
				if depth == 0 {
					break
				}
			}
		}
		if j >= len(key) {
			return key[:i]
		}
		key = key[:i] + key[j+1:]
	}
}

func mentions(key, name string) bool {
	for i := 0; i+len(name) <= len(key); {
		j := strings.Index(key[i:], name)
		if j < 0 {
			return false
		}
		j += i
		before := j == 0 || !isIdentByte(key[j-1]) && key[j-1] != '.' && !strings.HasSuffix(key[:j], "->") // a field of that name is not the variable
		after := j+len(name) == len(key) || !isIdentByte(key[j+len(name)])
		if before && after {
			return true
		}
		i = j + 1
	}
	return false
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func argKeys(c *flow.Expr) []string {
	ks := make([]string, len(c.Args))
	for i, a := range c.Args {
		ks[i] = a.Key()
	}
	return ks
}

func instantiate(templates []string, args []string) []string {
	var out []string
	for _, t := range templates {
		if r := rules.Instantiate(t, args); r != "" {
			out = append(out, r)
		}
	}
	return out
}

func (w *walker) langOK(p *rules.Pair) bool {
	return p.Lang == "" || w.opt.Lang == "" || p.Lang == w.opt.Lang
}

func (w *walker) call(s *state, c *flow.Expr, ev *flow.Event) {
	args := argKeys(c)
	w.noteSpelling(c, args)
	w.callbackArgs(s, c, args)
	w.escape(s, c)
	w.namedUnlock(s, c)
	w.unknownCall(s, c)
	if w.rs.EnablesIRQ(c.Name) {
		w.irqReenabled(s, c, " (its body turns them on: "+c.Name+" calls spin_unlock_irq or a helper that does)")
	}
	released := false
	for _, p := range w.rs.Releases(c.Name) {
		if !w.langOK(p) {
			continue
		}
		if p.Maybe {
			w.maybeRelease(s, c, instantiate(p.Holds(), args))
			continue
		}
		if enablesIRQ(p) && p.ReleasedBy(c.Name) {
			w.irqReenabled(s, c, "")
		}
		if p.Field != "" {
			if r := w.heldByField(s, p.Field); r != "" && !released {
				site := s.held[s.find(r)].site
				w.release(s, c, p, []string{r}, ev)
				w.dropCPUState(s, site, c)
				released = true
			}
			continue
		}
		if !released {
			w.release(s, c, p, instantiate(p.Holds(), args), ev)
			released = true
		}
	}
	for _, p := range w.rs.Acquires(c.Name) {
		if !w.langOK(p) {
			continue
		}
		res := instantiate(withResult(p.Holds(), resultKey(c, ev)), args)
		if len(res) == 0 {
			continue
		}
		if p.When != rules.Always {
			items := make([]held, len(res))
			for i, r := range res {
				items[i] = held{res: r, mode: p.Mode, site: c.Pos.String(), pair: p, call: c}
			}
			w.noteSite(c, p, res, false)
			// One pending result per call: a loop re-running the call
			// replaces it rather than piling up states.
			k := c.Key()
			kept := s.pend[:0]
			for _, q := range s.pend {
				if q.key != k {
					kept = append(kept, q)
				}
			}
			s.pend = append(kept, pending{key: k, items: items, when: p.When})
			continue
		}
		w.noteTakes(s, c, p, res, c.Pos)
		w.acquire(s, c, p, res, p.Mode, false)
		break
	}
	if w.d.takes {
		for _, p := range w.rs.Takes(c.Name) {
			k := callPair{c, p}
			res, ok := w.takesRes[k]
			if !ok {
				res = instantiate(p.Holds(), args)
				if w.takesRes == nil {
					w.takesRes = map[callPair][]string{}
				}
				w.takesRes[k] = res
			}
			w.takesCall(s, c, p, res)
		}
	}
}

// callPair is a call and one of the pairs the rules give it: the walk
// visits each call once per state, so what depends on these two only is
// worked out once.
type callPair struct {
	c *flow.Expr
	p *rules.Pair
}

// noteSpelling records how the call writes the resources the rules say
// it acquires, releases or takes.
func (w *walker) noteSpelling(c *flow.Expr, args []string) {
	if !w.d.sourceNames || w.spelled[c] {
		return
	}
	if w.spelled == nil {
		w.spelled = map[*flow.Expr]bool{}
	}
	w.spelled[c] = true
	texts := argTexts(c)
	note := func(ps []*rules.Pair) {
		for _, p := range ps {
			for _, t := range p.Holds() {
				k, text := rules.Instantiate(t, args), rules.Instantiate(t, texts)
				if k == "" || text == "" || k == text {
					continue
				}
				if w.spell == nil {
					w.spell = map[string]string{}
				}
				if _, ok := w.spell[k]; !ok {
					w.spell[k] = text
				}
			}
		}
	}
	note(w.rs.Acquires(c.Name))
	note(w.rs.Releases(c.Name))
	note(w.rs.Takes(c.Name))
}

// takesCall checks a call to a function that takes res and gives it back
// before it returns: with res held here, the call blocks on the caller's
// own lock.
func (w *walker) takesCall(s *state, c *flow.Expr, p *rules.Pair, res []string) {
	inner, _ := parsePos(p.Learned)
	w.noteTakes(s, c, p, res, c.Pos)
	for _, r := range res {
		i := s.find(r)
		if i < 0 {
			continue
		}
		h := s.held[i]
		if h.extern || h.quiet || p.Recursive || isCPUState(r) || w.reported["double:"+c.Pos.String()] {
			continue
		}
		w.reported["double:"+c.Pos.String()] = true
		related := trailRelated(s.trail, 7)
		if inner.File != "" {
			related = append(related, report.Related{File: inner.File, Line: inner.Line, Column: inner.Col,
				Message: fmt.Sprintf("%s acquires %s here", p.Name, w.describe(r))})
		}
		w.add(report.Finding{
			Rule: report.DoubleAcquire, File: c.Pos.File, Line: c.Pos.Line, Column: c.Pos.Col,
			Message: fmt.Sprintf("%s acquires %s, already held since %s at line %d; %s",
				c.Text, w.describe(r), h.call.Text, h.call.Pos.Line, deadlockWhy(p.Mode, h.mode)),
			Related: related,
		})
	}
}

// deadlockWhy says why taking a lock in mode again deadlocks when it is
// held in mode held.
func deadlockWhy(mode, held rules.Mode) string {
	if mode == rules.Shared && held == rules.Shared {
		return "a read lock taken again deadlocks as soon as a writer waits between the two"
	}
	return "a non-recursive lock taken twice deadlocks"
}

// noteTakes records that the function takes res (blocking) while it runs,
// unless the path released it first without having taken it: a helper
// that drops its caller's lock and retakes it does not take it anew.
func (w *walker) noteTakes(s *state, c *flow.Expr, p *rules.Pair, res []string, at flow.Pos) {
	if !w.d.takes || p == nil || p.When != rules.Always || w.takesNoted[callPair{c, p}] || s.flagged {
		return
	}
	all := true // every resource noted: the next visit has nothing to add
	defer func() {
		if all {
			if w.takesNoted == nil {
				w.takesNoted = map[callPair]bool{}
			}
			w.takesNoted[callPair{c, p}] = true
		}
	}()
	for _, r := range res {
		if s.external[r] {
			all = false
			continue
		}
		if isCPUState(r) {
			continue
		}
		t := w.template(r)
		if t == "" {
			continue
		}
		dup := false
		for _, q := range w.takes {
			if q.Resources[0] == t && q.Mode == p.Mode {
				dup = true
			}
		}
		if !dup {
			w.takes = append(w.takes, &rules.Pair{Name: w.f.Name, Lang: w.opt.Lang, Takes: []string{w.f.Name},
				Resources: []string{t}, Mode: p.Mode, Recursive: p.Recursive, Learned: at.String()})
		}
	}
}

// flagTest reports whether cond tests a bool parameter: whether the
// function takes a lock after such a test is often the caller's to say
// (func (c *Conn) close(locked bool) { if !locked { c.mu.Lock(); defer
// c.mu.Unlock() }; ... }), which a summary of the function cannot tell.
func (w *walker) flagTest(cond *flow.Expr) bool {
	base, _ := normalizeCond(cond, true)
	if base == nil || base.Op != flow.OpIdent {
		return false
	}
	i := w.f.ParamIndex(base.Name)
	return i >= 0 && w.f.Params[i].Type == "bool"
}

// parsePos reads "file:line:col" back.
func parsePos(s string) (flow.Pos, bool) {
	parts := strings.Split(s, ":")
	if len(parts) < 3 {
		return flow.Pos{}, false
	}
	line, err1 := strconv.Atoi(parts[len(parts)-2])
	col, err2 := strconv.Atoi(parts[len(parts)-1])
	if err1 != nil || err2 != nil {
		return flow.Pos{}, false
	}
	return flow.Pos{File: strings.Join(parts[:len(parts)-2], ":"), Line: line, Col: col}, true
}

// heldByField returns the one held lock whose path ends in field, or "".
func (w *walker) heldByField(s *state, field string) string {
	found := ""
	for _, h := range s.held {
		if h.extern || h.quiet || lastField(h.res) != field {
			continue
		}
		if found != "" && found != h.res {
			return "" // two candidates: no guess
		}
		found = h.res
	}
	return found
}

// callbackArgs: a function that drops locks, handed to a call as a
// pointer, may drop those of the objects handed over with it.
func (w *walker) callbackArgs(s *state, c *flow.Expr, args []string) {
	if !w.d.opaque {
		return
	}
	cb := -1
	for i, a := range c.Args {
		if x := flow.Strip(a); x != nil && x.Op == flow.OpIdent && w.rs.Callback(x.Name) {
			cb = i
		}
	}
	if cb < 0 {
		return
	}
	for i, k := range args {
		root := rootIdent(k)
		if i == cb || root == "" {
			continue
		}
		var res []string
		for _, h := range s.held {
			if !h.extern && !isCPUState(h.res) && rootIdent(strings.TrimPrefix(h.res, "tag:")) == root {
				res = append(res, h.res)
			}
		}
		w.maybeRelease(s, c, res)
	}
}

// maybeRelease forgets the held resources a callee releases on some of
// its paths: from here on the path neither holds them nor has released
// them for certain, and says nothing about them.
func (w *walker) maybeRelease(s *state, c *flow.Expr, res []string) {
	for _, r := range res {
		i := s.find(r)
		if i < 0 {
			continue
		}
		site := s.held[i].site
		s.held = append(s.held[:i], s.held[i+1:]...)
		s.released[r] = c.Pos.String() + maybeMark
		w.dropCPUState(s, site, c)
	}
}

// dropCPUState forgets the irq or bh state an acquire site took with a
// lock that a callee has dropped (or may have): whether the callee
// restored it is as unknown as the lock.
func (w *walker) dropCPUState(s *state, site string, c *flow.Expr) {
	for j := 0; j < len(s.held); j++ {
		if h := s.held[j]; h.site == site && isCPUState(h.res) {
			s.held = append(s.held[:j], s.held[j+1:]...)
			s.released[h.res] = c.Pos.String() + maybeMark
			j--
		}
	}
}

// maybeMark ends the release site of a resource a callee may have
// released (it ends in "?" too: nothing certain may be said of it).
const maybeMark = "~?"

// escape gives up on locks a callee may re-take in another mode: a call
// that receives the address of a flag the function tests (the mode it
// locked in): ext4_dio_write_checks(iocb, from, &ilock_shared, ...)
// re-locks the inode and says how in ilock_shared.
func (w *walker) escape(s *state, c *flow.Expr) {
	flag := false
	for _, a := range c.Args {
		if x := flow.Strip(a); x != nil && x.Op == flow.OpUnary && x.Name == "&" {
			if v := flow.Strip(x.Arg(0)); v != nil && v.Op == flow.OpIdent && w.tested[v.Name] {
				flag = true
			}
		}
	}
	if !flag {
		return
	}
	// The callee sees the flag and (through its other arguments, often
	// only indirectly: iocb -> inode) the lock: nothing held is certain
	// any more.
	for i := range s.held {
		s.held[i].extern = true
	}
}

// namedUnlock treats a call the rules do not know, whose name says it
// unlocks (fiq->ops->wake_forget_and_unlock(fiq), xfs_..._unlock), as
// releasing the held locks of the objects it is given: the kernel names
// such helpers for what they do, and reporting their callers is noise.
func (w *walker) namedUnlock(s *state, c *flow.Expr) {
	if w.certain(c.Name) {
		return
	}
	name := c.Name
	if i := strings.LastIndexAny(name, ".>"); i >= 0 {
		name = name[i+1:]
	}
	if !strings.Contains(name, "unlock") {
		return
	}
	for i := 0; i < len(s.held); i++ {
		h := s.held[i]
		hit := false
		for _, a := range c.Args {
			if k := flow.Strip(a).Key(); k != "" && mentions(h.res, rootIdent(k)) {
				hit = true
			}
		}
		if hit {
			s.held = append(s.held[:i], s.held[i+1:]...)
			i--
		}
	}
}

// unknownCall notes a call the rules know nothing of: it may take or drop
// a lock it can reach, so a later second acquire or second release of
// that lock on this path is no longer certain enough to report.
func (w *walker) unknownCall(s *state, c *flow.Expr) {
	// Go code does not hand its mutexes to callees to drop and re-take
	// the way kernel helpers do; the pairing there stays exact.
	if w.opt.Lang == rules.Go || len(c.Args) == 0 || w.certain(c.Name) || benign[c.Name] {
		return
	}
	for i := range s.held {
		if w.mayReach(s, c, s.held[i].res) {
			s.held[i].unknownCalls = true
		}
	}
	for r, site := range s.released {
		if !strings.HasSuffix(site, "?") && w.mayReach(s, c, r) {
			s.released[r] = site + "?"
		}
	}
	for r, site := range s.dropped {
		if !strings.HasSuffix(site, "?") && w.mayReach(s, c, r) {
			s.dropped[r] = site + "?"
		}
	}
}

// mayReach reports whether a callee given c's arguments can reach the
// lock res: it is handed the lock, an object on the lock's path or an
// alias of one, or the lock hangs off no local or parameter (a global
// any function may take). kmemdup(entry, ...) between two releases of
// mas.tree->ma_lock cannot have retaken it, and neither can
// get_cap(ci, session->mds) retake session->s_mutex: a sibling field
// does not lead to the lock.
func (w *walker) mayReach(s *state, c *flow.Expr, res string) bool {
	paths := w.lockPaths(s, res)
	if len(paths) == 0 {
		return true
	}
	for _, a := range c.Args {
		for _, p := range paths {
			if leadsTo(a, p) {
				return true
			}
		}
	}
	return false
}

// leadsTo reports whether the value of argument e can lead to the lock
// at path: e names the path itself or an object on it (&fd, fd.tree,
// session), or computes a pointer from one (p + 1, a call given one, a
// choice between them). An integer computed from a field
// ((min - mas.index) * 8, session->mds) does not.
func leadsTo(e *flow.Expr, path string) bool {
	e = flow.Strip(e)
	if e == nil {
		return false
	}
	switch e.Op {
	case flow.OpIdent, flow.OpField, flow.OpIndex:
		k := e.Key()
		if k == path || strings.HasPrefix(path, k+"->") || strings.HasPrefix(path, k+".") {
			return true
		}
		return e.Op == flow.OpIndex && leadsTo(e.Arg(0), path)
	case flow.OpUnary:
		switch e.Name {
		case "&", "*", "++", "--":
			return leadsTo(e.Arg(0), path)
		}
		return false
	case flow.OpBinary:
		if e.Name != "+" && e.Name != "-" {
			return false // comparisons, bit operations, products: integers
		}
		return leadsTo(e.Arg(0), path) || leadsTo(e.Arg(1), path)
	case flow.OpCond:
		return leadsTo(e.Arg(1), path) || leadsTo(e.Arg(2), path)
	case flow.OpCall, flow.OpComma:
		for _, a := range e.Args {
			if leadsTo(a, path) {
				return true
			}
		}
		return false
	case flow.OpAssign:
		return leadsTo(e.Arg(1), path)
	case flow.OpNumber, flow.OpString, flow.OpSizeof:
		return false
	}
	return mentions(e.Text, rootIdent(path))
}

// lockPaths returns the spellings of a lock reached through locals and
// parameters: its own, the one through the path its root was copied from,
// and the ones through locals copied from its root; nil when its root is
// neither a local nor a parameter (a global).
func (w *walker) lockPaths(s *state, res string) []string {
	res = strings.TrimLeft(strings.TrimPrefix(res, "tag:"), "&")
	if isCPUState(res) {
		return nil
	}
	paths := []string{res}
	if c := strings.TrimLeft(s.canon(res), "&"); c != res {
		paths = append(paths, c)
	}
	for k, v := range s.alias {
		v = strings.TrimLeft(v, "&")
		if !strings.ContainsAny(k, ".>") && (strings.HasPrefix(res, v+"->") || strings.HasPrefix(res, v+".")) {
			paths = append(paths, k+"->"+strings.TrimLeft(res[len(v):], ".->"))
		}
	}
	for _, p := range paths {
		r := rootIdent(p)
		if _, local := w.f.Locals[r]; !local && w.f.ParamIndex(r) < 0 {
			return nil
		}
	}
	return paths
}

// certain reports whether the rules say for sure what fn does to locks: a
// function that only may release one is still a call we cannot see into.
func (w *walker) certain(fn string) bool {
	if len(w.rs.Acquires(fn)) > 0 {
		return true
	}
	for _, p := range w.rs.Releases(fn) {
		if !p.Maybe {
			return true
		}
	}
	return false
}

// benign are calls that take no lock: asserting and logging helpers.
var benign = map[string]bool{
	"lockdep_assert_held": true, "WARN_ON": true, "WARN_ON_ONCE": true, "BUG_ON": true,
	"unlikely": true, "likely": true, "READ_ONCE": true, "WRITE_ONCE": true,
	"pr_err": true, "pr_warn": true, "pr_info": true, "pr_debug": true, "printk": true,
	"list_empty": true, "list_add": true, "list_del": true, "list_add_tail": true, "list_del_init": true,
}

// rootIdent returns the first identifier of a key ("inode" of "inode->i_rwsem").
func rootIdent(k string) string {
	i := 0
	for i < len(k) && !isIdentByte(k[i]) {
		i++
	}
	j := i
	for j < len(k) && isIdentByte(k[j]) {
		j++
	}
	return k[i:j]
}

func (w *walker) noteSite(c *flow.Expr, p *rules.Pair, res []string, quiet bool) *siteInfo {
	k := c.Pos.String()
	si := w.sites[k]
	if si == nil {
		si = &siteInfo{pos: c.Pos, call: c, pair: p, res: res, quiet: quiet, inLoop: w.inLoop()}
		w.sites[k] = si
		w.order = append(w.order, k)
	}
	return si
}

func (w *walker) acquire(s *state, c *flow.Expr, p *rules.Pair, res []string, mode rules.Mode, quiet bool) {
	si := w.noteSite(c, p, res, quiet)
	s.trail = s.trail.push(c.Pos, fmt.Sprintf("%s acquires %s", c.Text, w.describeAll(res)))
	for _, r := range res {
		if i := s.find(r); i >= 0 {
			h := &s.held[i]
			again := h.site == si.pos.String()
			if again && !w.relockReported(r, h) {
				continue // a loop back to the same acquire: a release we could not see
			}
			if p != nil && p.Recursive || quiet || h.quiet || w.d.sharedNests && mode == rules.Shared && h.mode == rules.Shared || isCPUState(r) {
				// Nesting is counted up to a bound: a loop that
				// re-enters rcu_read_lock must not make every
				// iteration a new state.
				if h.depth < maxDepth {
					h.depth++
				}
				continue
			}
			if !h.extern && !h.unknownCalls && (w.opt.Lang == rules.Go || fromPack(p) && fromPack(h.pair)) && !w.reported["double:"+si.pos.String()] {
				w.reported["double:"+si.pos.String()] = true
				since := fmt.Sprintf("since %s at line %d", h.call.Text, h.call.Pos.Line)
				if again {
					since = "since this same call on the previous iteration"
				}
				w.add(report.Finding{
					Rule: report.DoubleAcquire, File: c.Pos.File, Line: c.Pos.Line, Column: c.Pos.Col,
					Message: fmt.Sprintf("%s acquires %s, already held %s; %s",
						c.Text, w.describe(r), since, deadlockWhy(mode, h.mode)),
					Related: trailRelated(s.trail, 8),
				})
			}
			continue
		}
		delete(s.released, r)
		delete(s.dropped, r)
		delete(s.dropped, s.canon(r))
		s.held = append(s.held, held{res: r, mode: mode, site: si.pos.String(), pair: p, call: c, quiet: quiet,
			retake:  s.external[r] || s.external[s.canon(r)],
			counted: (mode == rules.Shared || p != nil && p.Recursive) && w.countedLoop(r)})
		s.passed[si.pos.String()] = true
		// A pointer the lock was reached through is not NULL: a later
		// `if (p) unlock(&p->lock)` is taken.
		if root := rootIdent(strings.TrimPrefix(r, "tag:")); w.tested[root] && !w.assignedFlag(s, root) {
			s.facts = append(s.facts, fact{key: root, truth: true})
		}
	}
}

// relockReported reports whether reaching the acquire of h again with
// r still held is a finding: in Go, whose walk sees every release, when r
// is the same lock on every iteration (rooted in a parameter or a global,
// not in a slice element or a local the loop moves on). In C a callee may
// have released it unseen.
func (w *walker) relockReported(r string, h *held) bool {
	return !w.d.opaque && !h.counted && !strings.Contains(r, "[") && w.template(r) != ""
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

// acquireCall reports whether x is a call that acquires: locked =
// compact_lock_irqsave(...) makes locked the lock's own flag, not state
// changed under it.
func (w *walker) acquireCall(x *flow.Expr) bool {
	x = flow.Strip(x)
	return x != nil && x.Op == flow.OpCall && len(w.rs.Acquires(x.Name)) > 0
}

// release drops res from the held set, reporting a release whose function
// does not pair with the acquire and a release of something already
// released on this path.
func (w *walker) release(s *state, c *flow.Expr, p *rules.Pair, res []string, ev *flow.Event) {
	if len(res) == 0 {
		return
	}
	w.resolvePendingFor(s, res)
	if p != nil {
		for _, r := range res {
			w.releaseSeen[r] = true
		}
	}
	var mismatched *held
	var releasedHere []string
	for _, r := range res {
		i := s.find(r)
		if i < 0 {
			if site, ok := s.released[r]; ok && strings.HasSuffix(site, maybeMark) && s.failed[r] == nil {
				continue // perhaps released by a callee, perhaps still held: no verdict
			}
			if site, ok := s.released[r]; ok && p != nil && !p.Maybe && !p.Balanced && !p.Recursive && !p.Scoped &&
				site != c.Pos.String() && !strings.HasSuffix(site, "?") {
				key := "unheld:" + c.Pos.String()
				if !w.reported[key] {
					w.reported[key] = true
					w.add(report.Finding{
						Rule: report.UnheldRelease, File: c.Pos.File, Line: c.Pos.Line, Column: c.Pos.Col,
						Message: fmt.Sprintf("%s releases %s, already released at line %s on this path", c.Text, w.describe(r), lineOf(site)),
						Related: trailRelated(s.trail, 8),
					})
				}
			} else if acq := s.failed[r]; acq != nil {
				key := "unheld:" + c.Pos.String()
				if !w.reported[key] {
					w.reported[key] = true
					w.add(report.Finding{
						Rule: report.UnheldRelease, File: c.Pos.File, Line: c.Pos.Line, Column: c.Pos.Col,
						Message: fmt.Sprintf("%s releases %s, which %s at line %d did not take on this path", c.Text, w.describe(r), acq.Text, acq.Pos.Line),
						Related: trailRelated(s.trail, 8),
					})
				}
			} else if !s.unknown {
				w.dropCallers(s, c, p, s.canon(r))
				s.external[s.canon(r)] = true // named as the caller can: inode = dentry->d_inode
			}
			continue
		}
		h := s.held[i]
		if h.depth > 0 {
			s.held[i].depth--
			continue
		}
		if !w.pairs(h, c.Name) && !isCPUState(r) && mismatched == nil && !h.quiet && !h.extern {
			hh := h
			mismatched = &hh
		}
		s.held = append(s.held[:i], s.held[i+1:]...)
		if !h.quiet {
			s.released[r] = c.Pos.String()
			names := []string{h.orig}
			if s.canon(h.res) == s.canon(r) {
				names = append(names, h.res) // not a lock merely tested equal
			}
			for _, name := range names {
				if name != "" && name != r {
					// The acquire site's own name for it (found through a
					// copy: fd.tree->tree_lock is tree->tree_lock).
					s.released[name] = c.Pos.String()
					if p != nil {
						w.releaseSeen[name] = true
					}
				}
			}
		}
		releasedHere = append(releasedHere, r)
	}
	if len(releasedHere) > 0 && c.Text != "" {
		s.trail = s.trail.push(c.Pos, fmt.Sprintf("%s releases %s", c.Text, w.describeAll(releasedHere)))
	}
	if mismatched != nil && (mismatched.retake || releasesWhole(p, s, mismatched.site) || !w.mismatchMatters(s, mismatched, p)) {
		// A release wrapper learned from its body (__dentry_kill) that
		// drops everything the acquire took pairs with it, whatever the
		// acquire was.
		mismatched = nil
	}
	if mismatched != nil && w.deferMismatch(s, c, mismatched, releasedHere) {
		return
	}
	// The right lock released by its family's release with other CPU
	// state (spin_unlock_irq for spin_lock): fine when nothing is left.
	if mismatched != nil && !sameFamily(mismatched.pair, c.Name) {
		w.reportMismatch(s, c, mismatched, releasedHere)
	}
}

// isCPUState reports whether a resource is the CPU's interrupt or
// bottom-half state rather than a lock: it is per CPU, so another lock's
// release may restore it.
func isCPUState(res string) bool {
	return res == "irq" || res == "bh" || strings.HasPrefix(res, "irqflags:")
}

// deferMismatch postpones judging a release that leaves only the CPU
// state behind (spin_unlock after spin_lock_irqsave): a later release of
// another lock may restore it (lock hand-over). If it is still held at an
// exit, the release is reported there.
func (w *walker) deferMismatch(s *state, c *flow.Expr, h *held, releasedHere []string) bool {
	left := 0
	for _, o := range s.held {
		if o.site != h.site || o.extern {
			continue
		}
		if !isCPUState(o.res) {
			return false
		}
		left++
	}
	if left == 0 {
		return false
	}
	for i := range s.held {
		if s.held[i].site == h.site {
			s.held[i].pendingRel = c
			s.held[i].pendingFreed = releasedHere
		}
	}
	return true
}

// releasesWhole reports whether p is a learned release wrapper and no
// resource of the acquire at site is left held.
func releasesWhole(p *rules.Pair, s *state, site string) bool {
	if p == nil || p.Learned == "" || len(p.Acquire) != 0 {
		return false
	}
	for _, h := range s.held {
		if h.site == site {
			return false
		}
	}
	return true
}

// sameFamily reports whether release fn differs from the acquire's own
// releases only in the CPU state it restores (spin_unlock_irq for a lock
// taken with spin_lock): the lock itself is released right, and the CPU
// state is tracked as a resource of its own.
func sameFamily(p *rules.Pair, fn string) bool {
	if p == nil {
		return false
	}
	f := lockFamily(fn)
	for _, r := range p.Release {
		if lockFamily(r) == f {
			return true
		}
	}
	return false
}

func lockFamily(fn string) string {
	for _, suf := range []string{"_irqrestore", "_irq", "_bh"} {
		fn = strings.TrimSuffix(fn, suf)
	}
	return fn
}

func fromPack(p *rules.Pair) bool { return p != nil && p.Learned == "" }

// mismatchMatters decides whether a release that the acquire's pair does
// not list is worth a report: a release that leaves a tag bit set (the
// seed's task_unlock after set_reader_nsproxy), the wrong release of a
// rule pack's acquire (spin_unlock after spin_lock_irqsave, up_read after
// down_write), or a pack release of a learned one-lock wrapper
// (spin_unlock after a wrapper of spin_lock_bh). Two learned wrappers
// that disagree are more likely two spellings of one lock.
func (w *walker) mismatchMatters(s *state, h *held, p *rules.Pair) bool {
	if w.opt.Lang == rules.Go {
		return true // pairs learned in Go are exact, by mode (facts)
	}
	for _, o := range s.held {
		if o.site == h.site && !o.extern && strings.HasPrefix(o.res, "tag:") {
			return true
		}
	}
	if !fromPack(p) {
		return false
	}
	locks := 0
	for _, r := range h.pair.Holds() {
		if !isCPUState(r) {
			locks++
		}
	}
	return fromPack(h.pair) || locks == 1
}

// pairs reports whether a release by fn pairs with the acquire of h.
func (w *walker) pairs(h held, fn string) bool {
	if h.pair == nil {
		return true // a raw tag write: any clear pairs
	}
	if h.pair.ReleasedBy(fn) {
		return true
	}
	return false
}

func (w *walker) reportMismatch(s *state, c *flow.Expr, h *held, releasedHere []string) {
	key := "mismatch:" + c.Pos.String()
	if w.reported[key] {
		return
	}
	w.reported[key] = true
	// What the acquire took that this release leaves behind.
	var left []string
	for _, other := range s.held {
		if other.site == h.site && !other.extern {
			left = append(left, other.res)
		}
	}
	msg := fmt.Sprintf("%s does not pair with %s at line %d", c.Text, h.call.Text, h.call.Pos.Line)
	if h.pair.Scoped {
		msg += ", which releases it when its scope ends: it is released twice"
	} else if len(left) > 0 {
		msg = fmt.Sprintf("%s releases %s but not %s taken by %s at line %d",
			c.Text, w.describeAll(releasedHere), w.describeAll(left), h.call.Text, h.call.Pos.Line)
	}
	var fix *report.Fix
	if len(h.pair.Release) > 0 && !h.pair.Scoped {
		repl := replacement(c, h.call, h.pair.Release[0], w.opt.Lang)
		msg += "; use " + repl
		fix = &report.Fix{File: c.Pos.File, Line: c.Pos.Line, Old: c.Text, New: repl}
	}
	w.mismatch[c.Pos.String()] = len(w.findings)
	w.add(report.Finding{
		Rule: report.MismatchedRelease, File: c.Pos.File, Line: c.Pos.Line, Column: c.Pos.Col,
		Message: msg,
		Related: trailRelated(since(s.trail.prev, h.call.Pos), 8),
		Fix:     fix,
	})
	// Keep walking with what is left, but do not report it again as
	// unreleased on this path: the mismatch is the finding.
	for i := range s.held {
		if s.held[i].site == h.site {
			s.held[i].mismatched = true
			s.held[i].mismatchAt = c.Pos.String()
		}
	}
}

// replacement spells the release that pairs with acquire, in place of the
// release call rel: C takes the acquire's arguments
// (spin_lock_irqsave(&l, flags) -> spin_unlock_irqrestore(&l, flags)); Go
// renames the method.
func replacement(rel, acquire *flow.Expr, release string, lang rules.Lang) string {
	short := func(n string) string {
		if i := strings.LastIndexAny(n, ".)"); i >= 0 {
			return n[i+1:]
		}
		return n
	}
	if lang == rules.Go || strings.Contains(release, ".") {
		old := short(rel.Name)
		if i := strings.LastIndex(rel.Text, old+"("); i >= 0 {
			return rel.Text[:i] + short(release) + rel.Text[i+len(old):]
		}
		return rel.Text
	}
	if strings.Contains(acquire.Name, "_nested") && len(acquire.Args) > 0 {
		// mutex_lock_nested(&m, SUBCLASS) is released by mutex_unlock(&m).
		return release + "(" + acquire.Args[0].Text + ")"
	}
	if strings.HasPrefix(acquire.Text, acquire.Name) {
		return release + acquire.Text[len(acquire.Name):]
	}
	return release + "(" + strings.Join(argTexts(rel), ", ") + ")"
}

func argTexts(c *flow.Expr) []string {
	out := make([]string, len(c.Args))
	for i, a := range c.Args {
		out[i] = a.Text
	}
	return out
}

// resolvePendingFor treats a pending conditional acquire of res as taken
// when the code releases it: the code knows it holds it.
func (w *walker) resolvePendingFor(s *state, res []string) {
	for i := 0; i < len(s.pend); i++ {
		p := s.pend[i]
		hit := false
		for _, it := range p.items {
			for _, r := range res {
				if it.res == r {
					hit = true
				}
			}
		}
		if hit {
			s.held = append(s.held, p.items...)
			for _, it := range p.items {
				s.passed[it.site] = true
			}
			s.pend = append(s.pend[:i], s.pend[i+1:]...)
			i--
		}
	}
}

// edge applies what taking e tells the path; false means the path is
// infeasible (it contradicts an earlier test of the same expression).
func (w *walker) edge(s *state, e flow.Edge) bool {
	if e.Cond != nil {
		if v, known := constTruth(e.Cond, s); known && v != e.Value {
			return false // ret = 0; ...; if (ret) cannot be taken
		}
		if w.d.spans && !w.spanEdge(s, e.Cond, e.Value) {
			return false // a == 0 went false, a < 1 cannot go true
		}
		if w.d.takes && !s.flagged && w.flagTest(e.Cond) {
			s.flagged = true
		}
		pos := e.Pos
		if !pos.IsValid() {
			pos = e.Cond.Pos
		}
		if !w.d.negIsError && signOnly(e.Cond, e.Value) {
			// x >= 0 says nothing of x being zero.
			s.trail = s.trail.push(pos, "taken: "+condText(e))
			return true
		}
		if a, b, ok := equality(e.Cond, e.Value); ok && w.d.names && len(s.eq) < 4 && w.rootOfHeld(s, a, b) {
			s.eq = append(s.eq, [2]string{a, b})
		}
		base, truth := normalizeCond(e.Cond, e.Value)
		if !w.maskEdge(s, base, truth) {
			return false // !(f & (A|B)) was taken, so f & A is zero
		}
		bk := base.Key()
		dup := false
		cbk := s.canon(bk)
		if !truth && w.lockedThrough(s, bk, cbk) {
			return false // a pointer a held lock was reached through is not NULL
		}
		for _, f := range s.facts {
			if (f.key == bk || len(s.alias) > 0 && s.canon(f.key) == cbk) && f.truth != truth {
				return false // cur_op = op; ... if (!cur_op) after locking op
			}
			dup = dup || f.key == bk
		}
		for _, q := range s.eq { // tested equal: one's truth is the other's
			for k := 0; k < 2; k++ {
				if q[k] != bk {
					continue
				}
				for _, f := range s.facts {
					if f.key == q[1-k] && f.truth != truth {
						return false
					}
				}
			}
		}
		if !dup && (w.retested[bk] || w.assignedFlag(s, bk)) { // a loop re-testing a field must not grow the state forever
			s.facts = append(s.facts, fact{key: bk, truth: truth})
		}
		w.resolvePending(s, bk, truth)
		if b := flow.Strip(base); b != nil && b.Op == flow.OpIdent && w.returned[b.Name] {
			if truth {
				if c, ok := s.consts[b.Name]; !ok || c == retUnknown {
					s.consts[b.Name] = retNonZero
				}
			} else if !negTest(e.Cond) {
				s.consts[b.Name] = retZero
			} else if s.consts[b.Name] == retFailure {
				delete(s.consts, b.Name) // not negative: zero or positive
			}
		}
		s.trail = s.trail.push(pos, "taken: "+condText(e))
	} else if strings.HasPrefix(e.Label, "goto") {
		s.trail = s.trail.push(e.Pos, e.Label)
	}
	return true
}

// signOnly reports whether taking c as value only says x >= 0 of the x
// that normalizeCond takes "x < 0" to test.
func signOnly(c *flow.Expr, value bool) bool {
	for {
		c = flow.Strip(c)
		if c == nil || c.Op != flow.OpUnary || c.Name != "!" {
			break
		}
		c, value = c.Arg(0), !value
	}
	return !value && c != nil && c.Op == flow.OpBinary && c.Name == "<" && isZero(c.Arg(1))
}

func condText(e flow.Edge) string {
	t := e.Cond.Text
	if !e.Value {
		if strings.HasPrefix(t, "!") && !strings.HasPrefix(t, "!=") {
			t = strings.TrimPrefix(t, "!")
		} else {
			t = "!(" + t + ")"
		}
	}
	return t
}

func (w *walker) resolvePending(s *state, key string, nonzero bool) {
	for i := 0; i < len(s.pend); i++ {
		p := s.pend[i]
		if p.key != key {
			continue
		}
		heldNow := p.when == rules.NonZero && nonzero || p.when == rules.Zero && !nonzero
		for _, it := range p.items {
			if heldNow {
				delete(s.failed, it.res)
				w.acquire(s, it.call, it.pair, []string{it.res}, it.mode, false)
			} else {
				s.failed[it.res] = it.call
			}
		}
		s.pend = append(s.pend[:i], s.pend[i+1:]...)
		i--
	}
}

// normalizeCond reduces a tested expression to a base and whether the base
// is non-zero on this edge: !x, x == 0, x != NULL, x < 0 (kernel calls
// return 0 or a negative error).
func normalizeCond(c *flow.Expr, value bool) (*flow.Expr, bool) {
	for {
		c = flow.Strip(c)
		switch {
		case c.Op == flow.OpUnary && c.Name == "!" && c.Arg(0) != nil:
			c, value = c.Arg(0), !value
			continue
		case c.Op == flow.OpBinary && (c.Name == "==" || c.Name == "!=") && isZero(c.Arg(1)):
			if c.Name == "==" {
				value = !value
			}
			c = c.Arg(0)
			continue
		case c.Op == flow.OpBinary && c.Name == "<" && isZero(c.Arg(1)):
			c = c.Arg(0)
			continue
		case c.Op == flow.OpCall && (c.Name == "likely" || c.Name == "unlikely") && len(c.Args) == 1:
			c = c.Args[0] // branch hints evaluate to their argument
			continue
		case c.Op == flow.OpAssign && c.Name == "=" && c.Arg(0) != nil:
			c = c.Arg(0) // if ((ret = mutex_lock_interruptible(m))): the test is of ret
			continue
		case c.Op == flow.OpCall && (c.Name == "IS_ERR" || c.Name == "IS_ERR_OR_NULL") && len(c.Args) == 1:
			// An error pointer is, for what a call acquired, a failure:
			// the acquire did not happen.
			c, value = c.Args[0], !value
			continue
		}
		return c, value
	}
}

func isZero(e *flow.Expr) bool {
	e = flow.Strip(e)
	if e == nil {
		return false
	}
	switch e.Op {
	case flow.OpNumber:
		n := strings.TrimRight(strings.ToLower(e.Name), "ul")
		return n == "0" || n == "0x0"
	case flow.OpIdent:
		return e.Name == "NULL" || e.Name == "false" || e.Name == "nil"
	}
	return false
}

func (w *walker) exit(s *state, b *flow.Block) {
	if b.Exit == flow.Unseen {
		w.loseSight(s, exitPos(b, w.f))
	}
	if b.Exit != flow.Return && b.Exit != flow.NotExit {
		return // NoReturn or Unseen: nothing to say about what is held
	}
	// Go: deferred calls registered but not run by an explicit RunDefers
	// run at the return.
	if len(s.defers) > 0 {
		w.event(s, &flow.Event{Kind: flow.EvRunDefers})
	}
	class := w.returnClass(s, b)
	w.returnExits++
	if !s.unknown {
		for r := range s.external {
			if i := s.find(r); i >= 0 {
				// Dropped and taken again (wait_on_state): the function
				// needs the lock held, it neither acquires nor releases it.
				w.retaken[r] = true
				w.retaken[s.held[i].res] = true // under the spelling of its acquire
			} else {
				w.externalExits[r]++
			}
		}
	}
	pos := exitPos(b, w.f)
	label := exitLabel(s, b)
	idx := len(w.exitRecs)
	rec := exitRec{class: class, pos: pos, released: map[string]bool{}}
	for r := range s.released {
		rec.released[r] = true
	}
	w.exitRecs = append(w.exitRecs, rec)
	for _, h := range s.held {
		if h.pendingRel != nil && !h.extern && !h.mismatched {
			hh := h
			w.reportMismatch(s, h.pendingRel, &hh, h.pendingFreed)
		}
	}
	heldNow := map[string]bool{}
	for _, h := range s.held {
		if !h.extern && !h.mismatched && !h.guarded && !h.counted {
			heldNow[h.res] = true
		}
	}
	w.exitHeld = append(w.exitHeld, exitState{held: heldNow, failure: class == retFailure})
	seen := map[string]bool{}
	for _, h := range s.held {
		if seen[h.site] {
			continue
		}
		seen[h.site] = true
		if h.extern || h.guarded || h.counted {
			continue // held under a name the code no longer has, skipped a guarded release, or counted: no verdict
		}
		si := w.sites[h.site]
		if si == nil {
			continue
		}
		if h.mismatched {
			// Released on this path, if by the wrong call: the mismatch
			// finding speaks for it.
			si.exits = append(si.exits, exitObs{class: class, freed: true, mism: true, idx: idx, pos: pos, trail: s.trail, label: label})
		} else {
			si.exits = append(si.exits, exitObs{class: class, held: true, renamed: renamedAs(h), still: stillHeld(s, h.site), idx: idx, pos: pos, trail: s.trail, label: label})
		}
		if idx, ok := w.mismatch[h.mismatchAt]; ok && h.mismatched && !h.quiet {
			f := &w.findings[idx]
			if !hasExit(f) {
				f.Related = append(f.Related, report.Related{File: pos.File, Line: pos.Line, Column: pos.Col,
					Message: fmt.Sprintf("exits with %s still held%s", w.describeAll(heldFrom(s, h.site)), label)})
			}
		}
	}
	for _, k := range w.order {
		if seen[k] {
			continue
		}
		si := w.sites[k]
		freed, maybe := false, false
		for _, r := range si.res {
			site, ok := s.released[r]
			freed = freed || ok && !strings.HasSuffix(site, maybeMark)
			maybe = maybe || ok && strings.HasSuffix(site, maybeMark)
		}
		if maybe && !freed {
			// A callee may or may not have dropped it: this exit says
			// nothing either way.
			si.exits = append(si.exits, exitObs{class: class, unknown: true, idx: idx, pos: pos})
			continue
		}
		tried := s.passed[k]
		for _, r := range si.res {
			tried = tried || s.failed[r] != nil // a trylock that failed here: the exit answers it
		}
		si.exits = append(si.exits, exitObs{class: class, held: false, freed: freed, passed: tried, idx: idx, pos: pos, trail: s.trail, label: label})
	}
}

func (w *walker) releasesAny(res []string) bool {
	for _, r := range res {
		if w.releaseSeen[r] {
			return true
		}
	}
	return false
}

func anyFreed(es []exitObs) bool {
	for _, e := range es {
		if e.freed {
			return true
		}
	}
	return false
}

func hasExit(f *report.Finding) bool {
	for _, r := range f.Related {
		if strings.HasPrefix(r.Message, "exits with") {
			return true
		}
	}
	return false
}

func heldFrom(s *state, site string) []string {
	var out []string
	for _, h := range s.held {
		if h.site == site {
			out = append(out, h.res)
		}
	}
	return out
}

func exitPos(b *flow.Block, f *flow.Func) flow.Pos {
	if n := len(b.Events); n > 0 && b.Events[n-1].Kind == flow.EvReturn {
		return b.Events[n-1].Pos
	}
	if f.End.IsValid() {
		return f.End // falling off the end: the closing brace
	}
	return b.Pos
}

func exitLabel(s *state, b *flow.Block) string {
	for st := s.trail; st != nil; st = st.prev {
		if strings.HasPrefix(st.msg, "goto") {
			return " (" + st.msg + ")"
		}
		if strings.HasPrefix(st.msg, "taken:") {
			break
		}
	}
	return ""
}

func (w *walker) add(f report.Finding) {
	f.Function = w.f.Name
	f.Message = fold(f.Message)
	for i := range f.Related {
		f.Related[i].Message = fold(f.Related[i].Message)
	}
	if f.Fix != nil {
		f.Fix.Old, f.Fix.New = fold(f.Fix.Old), fold(f.Fix.New)
	}
	w.findings = append(w.findings, f)
}

// fold puts a call written over several lines on one: a finding is one
// line of text.
func fold(s string) string {
	if !strings.ContainsAny(s, "\n\t") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// result turns what every exit saw into findings and a wrapper summary.
func (w *walker) result() Result {
	res := Result{Degraded: w.degraded}
	if w.degraded {
		// A partial walk would pass off missing paths as clean, and what
		// it found on the way rests on facts the unexplored paths may
		// contradict: the function is reported as not checked instead.
		return res
	}
	res.Takes = w.takes
	var wrapperRes []string
	var wrapperPairs []*rules.Pair
	wrapperWhen := rules.Always
	for _, k := range w.order {
		si := w.sites[k]
		heldAt, freeAt, unknown := w.exitsOf(si)
		if len(heldAt) == 0 {
			continue
		}
		when, wrapper := w.wrapperShape(heldAt, freeAt)
		if unknown && len(freeAt) == 0 {
			// Held wherever it is known, but some exits follow a callee
			// that may have dropped it: not "held on every exit".
			wrapper = false
		}
		if !wrapper {
			// Held on the exits of one outcome by several acquires
			// (down_read on one path, down_write on another): the
			// function is a wrapper of the resource as a whole.
			when, wrapper = w.resourceWrapper(si.res)
		}
		if wrapper && w.retakes(si.res) {
			continue
		}
		if w.opt.NoWrapper {
			wrapper = false
		}
		if wrapper && w.f.Partial {
			// Held on every exit in view says nothing of the exits out
			// of view: a fragment is never excused as a wrapper.
			w.judgeVisible(si, heldAt)
			continue
		}
		if wrapper {
			res.WrapperInLoop = res.WrapperInLoop || si.inLoop
			wrapperRes = append(wrapperRes, si.res...)
			wrapperPairs = append(wrapperPairs, si.pair)
			if when != rules.Always {
				wrapperWhen = when
			}
			continue
		}
		if took := passedOnly(freeAt, heldAt, w.opt.Lang); len(took) < len(freeAt) && !w.opt.NoWrapper {
			if _, ok := w.wrapperShape(heldAt, took); ok {
				// Judged by the exits that reached the acquire, the
				// function returns with it held on purpose: an early
				// return before it (nilfs_transaction_begin's nested
				// transaction) does not make that a leak. Not learned
				// as a wrapper: its callers cannot tell the outcomes
				// apart.
				w.judgeVisible(si, heldAt)
				continue
			}
		}
		if si.reported || si.quiet || w.f.LockContract || !anyFreed(freeAt) && !w.releasesAny(si.res) || w.retakes(si.res) || !w.opt.NoWrapper && w.heldEverywhere(si.res) {
			// Never released in this function on any path: a conditional
			// acquire it hands to its caller (pipe_lock_nested), not a
			// forgotten release.
			w.judgeVisible(si, heldAt)
			continue
		}
		si.reported = true
		for _, bad := range w.badExits(heldAt) {
			w.reportUnreleased(si, bad)
		}
	}
	res.Findings = w.findings
	res.OutOfView = w.outOfView()
	if len(wrapperRes) > 0 {
		if p := w.wrapperPair(wrapperRes, wrapperPairs, wrapperWhen); p != nil {
			res.Wrapper = p
		}
	}
	if !w.f.Partial && w.returnExits > 0 {
		for r, n := range w.externalExits {
			t := w.template(r)
			switch {
			case t == "":
			case n == w.returnExits && !w.retaken[r]:
				res.Releases = append(res.Releases, t)
			case n > 0 && w.d.opaque && (!isCPUState(r) || strings.Contains(t, "$")):
				// Dropped for good on some exits only (the error return
				// of a helper that drops and retakes the caller's lock;
				// local_irq_restore(flags) when it returns true).
				res.walkMay = append(res.walkMay, t)
			}
		}
		sort.Strings(res.Releases)
	}
	return res
}

// badExits are the exits an unreleased finding names: the one that
// explains it best (a failure return first, then the earliest), or in Go
// one per exit line, so that a fix of one return does not hide the rest.
func (w *walker) badExits(heldAt []exitObs) []exitObs {
	if !w.d.everyExit {
		return []exitObs{pickExit(heldAt)}
	}
	byLine := map[flow.Pos][]exitObs{}
	var lines []flow.Pos
	for _, e := range heldAt {
		k := flow.Pos{File: e.pos.File, Line: e.pos.Line}
		if byLine[k] == nil {
			lines = append(lines, k)
		}
		byLine[k] = append(byLine[k], e)
	}
	sort.Slice(lines, func(i, j int) bool {
		if lines[i].File != lines[j].File {
			return lines[i].File < lines[j].File
		}
		return lines[i].Line < lines[j].Line
	})
	out := make([]exitObs, len(lines))
	for i, k := range lines {
		out[i] = pickExit(byLine[k])
	}
	return out
}

// reportUnreleased reports that si's lock is still held at the exit bad.
func (w *walker) reportUnreleased(si *siteInfo, bad exitObs) {
	dupKey := "unreleased:" + bad.pos.String() + describeAll(si.res)
	if w.reported[dupKey] {
		return // another acquire of the same lock, reported at the same exit
	}
	w.reported[dupKey] = true
	left := si.res
	if len(bad.still) > 0 && len(bad.still) < len(si.res) {
		left = bad.still // the lock went, the irq state it took did not (or the reverse)
	}
	name := w.f.Name
	if name == flow.FragmentFunc {
		name = "the function (not named in the hunk)"
	}
	msg := fmt.Sprintf("%s at line %d is still held when %s returns%s", w.describeAll(left), si.pos.Line, name, bad.label)
	if si.call != nil {
		msg = fmt.Sprintf("%s acquired by %s at line %d is still held when %s returns%s",
			w.describeAll(left), si.call.Text, si.pos.Line, name, bad.label)
	}
	if si.pair != nil && len(si.pair.Release) > 0 && !si.pair.Scoped && bad.renamed == "" && len(left) == len(si.res) && (fromPack(si.pair) || w.opt.Lang == rules.Go) {
		msg += "; release it with " + replacement(si.call, si.call, si.pair.Release[0], w.opt.Lang) + " on this path"
	}
	if bad.renamed != "" {
		msg += " (by then reached as " + w.describe(bad.renamed) + ")"
	}
	rel := trailRelated(since(bad.trail, si.pos), 8)
	rel = append(rel, report.Related{File: bad.pos.File, Line: bad.pos.Line, Column: bad.pos.Col,
		Message: "returns with " + w.describeAll(si.res) + " held" + bad.label})
	w.add(report.Finding{
		Rule: report.Unreleased, File: bad.pos.File, Line: bad.pos.Line, Column: bad.pos.Col,
		Message: msg, Related: rel,
	})
}

// loseSight notes the acquires this path holds as it goes into lines the
// walk cannot see after pos.
func (w *walker) loseSight(s *state, pos flow.Pos) {
	for _, h := range s.held {
		if _, ok := w.lost[h.site]; !ok && !h.extern && !h.quiet {
			w.lost[h.site] = pos
		}
	}
}

// outOfView lists the acquires held into unseen lines and judged nowhere.
func (w *walker) outOfView() []OutOfView {
	var out []OutOfView
	for _, k := range w.order {
		si := w.sites[k]
		lost, ok := w.lost[k]
		if !ok || si.reported || si.quiet {
			continue
		}
		what := w.describeAll(si.res)
		if si.call != nil {
			what += " taken by " + fold(si.call.Text)
		}
		out = append(out, OutOfView{Site: si.pos, Lost: lost, What: what})
	}
	return out
}

// judgeVisible judges an acquire of a function the patch shows only in
// part by the exits in view: one that returns a failure (a negative
// errno, NULL, false, ERR_PTR, or a goto to an error label in view) with
// the lock still held is a leak, unless the code in view says the lock is
// handed over. Success exits in view are not judged: the lock may be
// meant to outlive them, as far as anything visible tells.
func (w *walker) judgeVisible(si *siteInfo, heldAt []exitObs) {
	if !w.f.Partial || si.reported || si.quiet || w.f.LockContract || w.retakes(si.res) || w.handsOver(si.res) {
		return
	}
	var failing []exitObs
	for _, e := range heldAt {
		if e.class == retFailure || e.class == retUnknown && errorLabel(e.label) {
			failing = append(failing, e)
		}
	}
	if len(failing) > 0 {
		si.reported = true
		w.reportUnreleased(si, pickExit(failing))
	}
}

// handsOver reports whether the code in view hands the lock res to
// someone else: the function is itself a known acquire wrapper (from the
// rule packs or learned from the patch), or it stores the lock's address
// (ctx->held = &dev->lock).
func (w *walker) handsOver(res []string) bool {
	if len(w.rs.Acquires(w.f.Name)) > 0 {
		return true
	}
	stored := false
	for _, b := range w.f.Blocks {
		for _, ev := range b.Events {
			flow.Walk(ev.X, func(x *flow.Expr) bool {
				if x.Op == flow.OpAssign && len(x.Args) == 2 {
					v := flow.Strip(x.Args[1])
					stored = stored || v != nil && v.Op == flow.OpUnary && v.Name == "&" && (slices.Contains(res, v.Key()) || slices.Contains(res, v.Arg(0).Key()))
				}
				return !stored
			})
		}
	}
	return stored
}

// errorLabel reports whether an exit label (" (goto err)") names a label
// kernel code jumps to on failure.
func errorLabel(label string) bool {
	name, ok := strings.CutPrefix(strings.Trim(label, " ()"), "goto ")
	if !ok {
		return false
	}
	for _, p := range []string{"err", "out", "fail", "bad", "abort", "exit", "unlock", "free", "put", "release", "cleanup"} {
		if strings.HasPrefix(name, p) || strings.Contains(name, "_"+p) {
			return true
		}
	}
	return false
}

// exitsOf sorts what every exit saw of one acquire site: held there,
// free there (including exits walked before the site was found), and
// whether some exit could not tell (a callee may have released it).
func (w *walker) exitsOf(si *siteInfo) (heldAt, freeAt []exitObs, unknown bool) {
	observed := map[int]bool{}
	for _, e := range si.exits {
		observed[e.idx] = true
		switch {
		case e.unknown:
			unknown = true
		case e.held:
			heldAt = append(heldAt, e)
		default:
			freeAt = append(freeAt, e)
		}
	}
	for i, rec := range w.exitRecs {
		if !observed[i] { // walked before this site was discovered: not held there
			freed := false
			for _, r := range si.res {
				freed = freed || rec.released[r]
			}
			freeAt = append(freeAt, exitObs{class: rec.class, freed: freed, passed: freed, idx: i, pos: rec.pos})
		}
	}
	return heldAt, freeAt, unknown
}

// wrapperShape decides whether an acquire held on the exits heldAt and not
// on freeAt is the function's purpose: held on every exit, or on every
// success exit and on no failure exit (as smatch sorts returns).
func (w *walker) wrapperShape(heldAt, freeAt []exitObs) (rules.When, bool) {
	if len(freeAt) == 0 {
		return rules.Always, true
	}
	for _, e := range heldAt {
		if e.class == retFailure || e.class == retZero && w.pointerOrBool() {
			return "", false
		}
	}
	for _, e := range freeAt {
		if e.class != retFailure && !(e.class == retZero && w.pointerOrBool()) {
			return "", false
		}
	}
	if w.pointerOrBool() {
		return rules.NonZero, true
	}
	return rules.Zero, true
}

// stillHeld lists what the acquire at site still holds on this path.
func stillHeld(s *state, site string) []string {
	var out []string
	for _, h := range s.held {
		if h.site == site && !h.extern && !h.guarded && !h.counted {
			out = append(out, h.res)
		}
	}
	return out
}

// renamedAs is the name a hold has by now, if a copy took it over.
func renamedAs(h held) string {
	if h.orig == "" {
		return ""
	}
	return h.res
}

// passedOnly drops the exits that never reached the acquire. In Go only
// those that return by a statement of their own: the same return reached
// with and without the lock is a flag-guarded acquire whose flag the walk
// follows exactly. In C the same shape is a conditional acquire the
// function hands on (if (h1 != h2) spin_lock_nested(...); return false).
func passedOnly(free, heldAt []exitObs, lang rules.Lang) []exitObs {
	var out []exitObs
	for _, e := range free {
		if e.passed || e.freed || lang == rules.Go && atSameExit(e, heldAt) {
			out = append(out, e)
		}
	}
	return out
}

func atSameExit(e exitObs, es []exitObs) bool {
	for _, h := range es {
		if h.pos == e.pos {
			return true
		}
	}
	return false
}

// exitRec is what an exit saw, kept so that an acquire site discovered
// only after some exits were walked still learns that it was not held
// there (the error return before the lock, walked first).
type exitRec struct {
	class    retClass
	pos      flow.Pos
	released map[string]bool
}

type exitState struct {
	held    map[string]bool
	failure bool
}

// heldEverywhere reports whether holding res at the exits is the
// function's purpose, whichever acquire took it there: held on every exit
// (ceph_start_io_direct: down_read on one path, down_write then
// downgrade_write on the other), or held on exactly the exits of one
// outcome — every success and no failure (afs_read_dir), or the reverse
// (tree_mod_dont_log returns false with the lock held).
func (w *walker) heldEverywhere(res []string) bool {
	if len(w.exitHeld) == 0 {
		return false
	}
	heldWhen := map[bool]int{}
	freeWhen := map[bool]int{}
	for _, e := range w.exitHeld {
		all := true
		for _, r := range res {
			all = all && e.held[r]
		}
		if all {
			heldWhen[e.failure]++
		} else {
			freeWhen[e.failure]++
		}
	}
	switch {
	case len(freeWhen) == 0:
		return true
	case len(heldWhen) == 1 && len(freeWhen) == 1:
		// Held on failure and free on success is the classic bug, except
		// in a bool function, where "false" may well mean "locked".
		r := strings.TrimSpace(w.f.Result)
		for k := range heldWhen {
			return freeWhen[!k] > 0 && (!k || r == "bool" || r == "_Bool")
		}
	}
	return false
}

// resourceWrapper is heldEverywhere with the outcome it holds on.
func (w *walker) resourceWrapper(res []string) (rules.When, bool) {
	if w.f.Partial || !w.heldEverywhere(res) {
		return "", false
	}
	failureHeld := false
	for _, e := range w.exitHeld {
		all := true
		for _, r := range res {
			all = all && e.held[r]
		}
		if !all {
			if !e.failure {
				failureHeld = true // free on a success exit: held on failure only (bool "false means locked")
			}
		}
	}
	switch {
	case failureHeld:
		return rules.Zero, true
	case len(w.exitHeld) > 0 && w.allHeld(res):
		return rules.Always, true
	case w.pointerOrBool():
		return rules.NonZero, true
	}
	return rules.Zero, true
}

func (w *walker) allHeld(res []string) bool {
	for _, e := range w.exitHeld {
		for _, r := range res {
			if !e.held[r] {
				return false
			}
		}
	}
	return true
}

func (w *walker) retakes(res []string) bool {
	for _, r := range res {
		if w.retaken[r] {
			return true
		}
	}
	return false
}

func (w *walker) pointerOrBool() bool {
	r := w.f.Result
	if w.opt.Lang == rules.Go && (r == "error" || strings.HasSuffix(r, ", error)")) {
		return false // success is a nil error: held when the error is zero
	}
	return strings.Contains(r, "*") || r == "bool" || r == "_Bool"
}

func pickExit(es []exitObs) exitObs {
	best := es[0]
	for _, e := range es[1:] {
		if e.class == retFailure && best.class != retFailure {
			best = e
			continue
		}
		if (e.class == retFailure) == (best.class == retFailure) && e.pos.Line < best.pos.Line {
			best = e
		}
	}
	return best
}

func (w *walker) wrapperPair(res []string, via []*rules.Pair, when rules.When) *rules.Pair {
	var ts []string
	for _, r := range res {
		t := w.template(r)
		if t == "" {
			return nil
		}
		ts = append(ts, t)
	}
	sort.Strings(ts)
	ts = slices.Compact(ts)
	p := &rules.Pair{Name: w.f.Name, Lang: w.opt.Lang, Acquire: []string{w.f.Name}, Resources: ts, When: when,
		Learned: fmt.Sprintf("%s:%d", w.f.Pos.File, w.f.Pos.Line)}
	// A wrapper of one lock pairs with that lock's own releases too (all
	// of them when it takes it in several ways).
	locks := 0
	for _, t := range ts {
		if !isCPUState(t) {
			locks++ // a tag bit counts: set_reader_nsproxy is not task_lock
		}
	}
	if locks == 1 {
		seen := map[string]bool{}
		for _, v := range via {
			if v == nil {
				continue
			}
			for _, r := range v.Release {
				if !seen[r] {
					seen[r] = true
					p.Release = append(p.Release, r)
				}
			}
			p.Mode = v.Mode
		}
	}
	return p
}

// template rewrites a resource key in terms of the function's parameters
// ("tsk->alloc_lock" in f(tsk) is "$0->alloc_lock"); globals stay as they
// are; a resource rooted in a local cannot be named by callers: "".
func (w *walker) template(res string) string {
	prefix := ""
	body := res
	if strings.HasPrefix(body, "tag:") {
		prefix, body = "tag:", body[4:]
	}
	// Every identifier that is a parameter becomes $N; one that is a local
	// makes the resource unnameable by callers. Field names (after . or
	// ->) are neither.
	var b strings.Builder
	for i := 0; i < len(body); {
		if !isIdentByte(body[i]) || body[i] >= '0' && body[i] <= '9' {
			b.WriteByte(body[i])
			i++
			continue
		}
		j := i
		for j < len(body) && isIdentByte(body[j]) {
			j++
		}
		id := body[i:j]
		isField := i > 0 && body[i-1] == '.' || i > 1 && body[i-2:i] == "->"
		switch {
		case isField:
			b.WriteString(id)
		case w.f.ParamIndex(id) >= 0:
			b.WriteString("$" + strconv.Itoa(w.f.ParamIndex(id)))
		case w.returned[id] && w.f.Result != "" && strings.Contains(w.f.Result, "*"):
			// The object the function returns (get_foo_desc returns d
			// with d->sem held): the caller names it by where it
			// stores the result.
			b.WriteString(rules.Result)
		default:
			if _, local := w.f.Locals[id]; local {
				return ""
			}
			b.WriteString(id)
		}
		i = j
	}
	return prefix + b.String()
}

// describe says what a resource is in the code's own names.
func describe(res string) string {
	switch {
	case strings.HasPrefix(res, "tag:"):
		return "the tag bit of " + res[4:]
	case strings.HasPrefix(res, "irqflags:"):
		return "the interrupt state saved in " + res[len("irqflags:"):]
	case res == "irq":
		return "disabled interrupts"
	case res == "bh":
		return "disabled bottom halves"
	}
	return strings.TrimPrefix(res, "&")
}

// describe says what res is as the source writes it where the walk saw
// it spelled (Go), else as its key does.
func (w *walker) describe(res string) string {
	if t, ok := w.spell[res]; ok {
		return describe(t)
	}
	return describe(res)
}

func (w *walker) describeAll(res []string) string {
	return joinDescribed(res, w.describe)
}

func describeAll(res []string) string {
	return joinDescribed(res, describe)
}

func joinDescribed(res []string, describe func(string) string) string {
	ds := make([]string, len(res))
	for i, r := range res {
		ds[i] = describe(r)
	}
	switch len(ds) {
	case 0:
		return "nothing"
	case 1:
		return ds[0]
	}
	return strings.Join(ds[:len(ds)-1], ", ") + " and " + ds[len(ds)-1]
}

func lineOf(pos string) string {
	parts := strings.Split(pos, ":")
	if len(parts) >= 3 {
		return parts[len(parts)-2]
	}
	return pos
}

// since cuts a path to the steps from the acquire at pos on: the branches
// taken before it do not explain the finding.
func since(t *step, pos flow.Pos) *step {
	var kept []*step
	for s := t; s != nil; s = s.prev {
		kept = append(kept, s)
		if s.pos == pos {
			var out *step
			for i := len(kept) - 1; i >= 0; i-- {
				out = out.push(kept[i].pos, kept[i].msg)
			}
			return out
		}
	}
	return t
}

// trailRelated turns the last n steps of a path into related locations.
func trailRelated(t *step, n int) []report.Related {
	var out []report.Related
	for s := t; s != nil && len(out) < n; s = s.prev {
		out = append(out, report.Related{File: s.pos.File, Line: s.pos.Line, Column: s.pos.Col, Message: s.msg})
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}
