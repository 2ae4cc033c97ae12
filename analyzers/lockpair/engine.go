package lockpair

import (
	"slices"
	"sort"
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
	// NoHandOver says no caller of the function releases a lock it
	// leaves held (Callers.NoHandOver): a release it skips under a test
	// the walk cannot decide is not excused as the caller's business.
	NoHandOver bool
	// CallersKeep says the function's callers, all in view, never release
	// a lock after calling it (Callers.KeepsLock): held on success and
	// released on failure is then a leak, not an acquire wrapper.
	CallersKeep bool
	// MaxStates bounds the distinct (block, state) pairs explored in one
	// function; past it the function is reported Degraded rather than
	// analyzed partially in silence. 0 means the default.
	MaxStates int
	// MaxStateBytes bounds, in bytes, the locks held in the states one
	// function's walk keeps (walked, and waiting to be): a state of
	// thousands of locks costs more than its count says (10,000 locks in
	// one function took 1.8 GB within MaxStates). Past it the function
	// is reported Degraded. 0 means the default.
	MaxStateBytes int
	// Entries says which functions of the set are entered holding no
	// lock (Entries.enteredFree): a callee that drops and retakes a lock,
	// called there before the function takes it, releases it unheld. Nil:
	// nothing is known of the callers (C only).
	Entries *Entries
	// recordCalls: note at each call whether the path holds a lock, for
	// Entries (Result.calls).
	recordCalls bool
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
	Takes []*rules.Pair
	// Needs lists the templates of locks the function drops and takes
	// again before every return (C only): its caller must hold them.
	Needs    []string
	Degraded bool
	// DegradedWhy says which bound a Degraded walk reached: TooManyPaths
	// or TooMuchState.
	DegradedWhy string
	// OutOfView lists the acquires whose paths went into lines the patch
	// does not show with the lock held: nothing was judged of them there.
	OutOfView []OutOfView
	walkMay   []string              // MayRelease as the walk saw it
	calls     map[string][]callSite // with Options.recordCalls: every call, by callee
}

// OutOfView is an acquire in view that some path held into unseen lines.
type OutOfView struct {
	Site flow.Pos // the acquire
	Lost flow.Pos // the last line in view of the first such path
	What string   // what it took and how: "dev->lock taken by mutex_lock(&dev->lock)"
}

const (
	defaultMaxStates     = 5000
	defaultMaxStateBytes = 32 << 20
	maxDepth             = 3
)

// The reasons of a Degraded walk, as notes say them.
const (
	TooManyPaths = "too many paths"
	TooMuchState = "too much lock state"
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
	// takes: summarise what each function takes while it runs, and
	// report a call to it with one of those locks held.
	takes bool
	// deepTakes: what a function takes includes what its callees take
	// (Go). A C function's summary has only the locks it acquires itself:
	// through chains of kernel helpers a take is too often one that
	// drops the caller's lock first or runs only when the caller does
	// not hold it.
	deepTakes bool
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
	// errorResults: a trailing error result says whether the function
	// failed: success is a nil error (Go).
	errorResults bool
	// exactLearned: pairs learned from the code under check are exact
	// (Go facts, by lock mode) and as trusted as the packs' own.
	exactLearned bool
	// valueLocks: a lock named by a bare variable is the lock itself
	// (Go's var mu sync.Mutex), not a pointer it was reached through (C's
	// spin_lock(lock)), so a test of that variable is no NULL test of a
	// lock's owner.
	valueLocks bool
	// flagsExact: the walk follows a local flag that guards an acquire
	// exactly (Go's SSA), so one return reached with and without the
	// lock is a flag-guarded acquire, not a conditional one handed on.
	flagsExact bool
	// methodReleases: a release is a method of the lock (mu.Unlock()):
	// the fix for a wrong release renames the method; in C it takes the
	// acquire's arguments.
	methodReleases bool
}

func dialectOf(lang rules.Lang) dialect {
	if lang == rules.Go {
		return dialect{takes: true, deepTakes: true, everyExit: true, sourceNames: true, spans: true, errorResults: true, exactLearned: true,
			valueLocks: true, flagsExact: true, methodReleases: true}
	}
	return dialect{names: true, opaque: true, sharedNests: true, negIsError: true, takes: true}
}

// CheckFunc walks every path of f, tracking what is held, and reports
// releases that do not pair with their acquire, resources still held on
// some exit, second acquires of a held lock and second releases.
func CheckFunc(f *flow.Func, rs *rules.Set, opt Options) Result {
	if !relevant(f, rs) {
		return Result{}
	}
	if dialectOf(opt.Lang).deepTakes && onlyTakes(f, rs) {
		return Result{Takes: takesOf(f, rs, opt)}
	}
	w := &walker{f: f, rs: rs, opt: opt, sites: map[string]*siteInfo{}, mismatch: map[string]*mismatchNote{}}
	if w.opt.MaxStates == 0 {
		w.opt.MaxStates = defaultMaxStates
	}
	if w.opt.MaxStateBytes == 0 {
		w.opt.MaxStateBytes = defaultMaxStateBytes
	}
	w.d = dialectOf(opt.Lang)
	w.retested, w.tested, w.returned = retestedAndReturned(f, rs)
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

// relevant reports whether f calls anything the rules acquire or release
// with, or writes tag bits: most functions do not, and skipping them keeps
// a whole-tree pass near parse speed.
func relevant(f *flow.Func, rs *rules.Set) bool {
	return someExpr(f, func(x *flow.Expr) bool {
		for _, c := range flow.Calls(x) {
			name := strings.TrimPrefix(c.Name, flow.RemovedRelease)
			if len(rs.Acquires(name)) > 0 || len(rs.Releases(name)) > 0 || len(rs.Takes(name)) > 0 || len(rs.Needs(name)) > 0 {
				return true
			}
		}
		return len(rules.TagWrites(x)) > 0
	})
}

// onlyTakes reports whether the only calls of f the rules know are to
// functions that take locks and give them back: nothing is ever held on
// its paths, so it has nothing to report and is no wrapper; what it takes
// is read off its calls without a walk.
func onlyTakes(f *flow.Func, rs *rules.Set) bool {
	return !someExpr(f, func(x *flow.Expr) bool {
		for _, c := range flow.Calls(x) {
			if len(rs.Acquires(c.Name)) > 0 || len(rs.Releases(c.Name)) > 0 || rs.EnablesIRQ(c.Name) {
				return true
			}
		}
		return len(rules.TagWrites(x)) > 0
	})
}

// someExpr reports whether f has a scope end (Go's deferred calls: always
// of interest) or an expression, of an event or of a declaration in one,
// for which match holds.
func someExpr(f *flow.Func, match func(*flow.Expr) bool) bool {
	for _, b := range f.Blocks {
		for _, ev := range b.Events {
			if ev.Kind == flow.EvScopeEnd || ev.X != nil && match(ev.X) {
				return true
			}
			for _, d := range ev.Body {
				if d.X != nil && match(d.X) {
					return true
				}
			}
		}
	}
	return false
}

// takesOf lists what f takes through its calls, for a function that
// onlyTakes.
func takesOf(f *flow.Func, rs *rules.Set, opt Options) []*rules.Pair {
	w := &walker{f: f, rs: rs, opt: opt, d: dialectOf(opt.Lang)}
	// A template instantiated with the same argument (t.Fatalf(...) on
	// every other line of a test) notes nothing new.
	type instance struct {
		t, arg string
		mode   rules.Mode
	}
	seen := map[instance]bool{}
	note := func(x *flow.Expr) {
		for _, c := range flow.Calls(x) {
			ps := rs.Takes(c.Name)
			if len(ps) == 0 {
				continue
			}
			args := flow.ArgKeys(c)
			for _, p := range ps {
				if p.When != rules.Always {
					continue
				}
				for _, t := range p.Holds() {
					n, ok := argOf(t)
					if ok && n < len(args) && w.local(args[n]) {
						continue // a lock of a local: no caller can hold it
					}
					if k := (instance{t, "", p.Mode}); ok && n < len(args) && strings.Count(t, "$") == 1 {
						k.arg = args[n]
						if seen[k] {
							continue
						}
						seen[k] = true
					}
					if r := rules.Instantiate(t, args); r != "" {
						w.noteTaken(r, p, c.Pos)
					}
				}
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

// argOf is N for a template that starts with $N (the resource is reached
// through the Nth argument).
func argOf(t string) (int, bool) {
	if len(t) < 2 || t[0] != '$' || t[1] < '0' || t[1] > '9' || len(t) > 2 && t[2] >= '0' && t[2] <= '9' {
		return 0, false
	}
	return int(t[1] - '0'), true
}

// local reports whether key is rooted at a local variable of the function
// that is not a parameter: no resource reached through it has a template
// (see template), which is quicker to tell than to build the resource.
func (w *walker) local(key string) bool {
	root := rootIdent(key)
	if root == "" || strings.TrimLeft(key[:strings.Index(key, root)], "*&") != "" ||
		w.f.ParamIndex(root) >= 0 || w.returned[root] {
		return false
	}
	_, ok := w.f.Locals[root]
	return ok
}

// retestedAndReturned finds the conditions tested in more than one place
// (only those can correlate, so only those are remembered along a path)
// and the variables returned (only their values sort exits into success
// and failure). Remembering everything would make every path distinct
// and the walk exponential.
func retestedAndReturned(f *flow.Func, rs *rules.Set) (retested, tested, returned map[string]bool) {
	seen := map[string]int{}
	returned = map[string]bool{}
	for _, b := range f.Blocks {
		counted := map[string]bool{}
		for _, e := range b.Succs {
			if e.Cond == nil {
				continue
			}
			base, _ := normalizeCond(rs, e.Cond, true)
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
