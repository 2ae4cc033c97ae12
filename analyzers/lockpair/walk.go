package lockpair

import (
	"strings"
	"unsafe"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/internal/stampset"
	"github.com/tagcheck/tagcheck/report"
	"github.com/tagcheck/tagcheck/rules"
)

// The walk: every path of a function, event by event (run, event, expr;
// assignments in assign.go) and edge by edge (edge, resolvePending), with
// what a test teaches about the values the state depends on.

type walker struct {
	f        *flow.Func
	rs       *rules.Set
	opt      Options
	findings []report.Finding
	sites    map[string]*siteInfo
	order    []string                 // site keys in first-seen order
	mismatch map[string]*mismatchNote // site -> the finding of its mismatched release
	reported map[reportKey]bool
	lost     map[string]flow.Pos // site -> where a path holding it went out of view
	// externalExits counts, per resource released without being taken,
	// the exits that saw it released; returnExits counts all Return exits.
	externalExits map[string]int
	returnExits   int
	degraded      string          // why the walk gave up: TooManyPaths, TooMuchState; "" when it did not
	retaken       map[string]bool // resources released and taken again by the function
	releaseSeen   map[string]bool // resources some release call in the function names
	linked        map[string]bool // alias keys a wrapper's links made (fd.tree)
	exitHeld      []exitState     // per Return exit reached: held resources and the return's class
	exitRecs      []exitRec       // every Return exit reached, in walk order
	retested      map[string]bool // condition keys tested in more than one place
	d             dialect
	cur           *flow.Block             // the block being walked
	litVarSet     map[string]bool         // locals compared with numbers (switch cases)
	predSet       map[string]predLocal    // locals holding a predicate of an argument (predLocals)
	maskWordSet   map[string]bool         // words bit-tested with different masks
	loops         *loopInfo               // computed on first need
	tested        map[string]bool         // condition keys tested anywhere
	returned      map[string]bool         // variables that appear in a return
	takes         []*rules.Pair           // what the function takes while it runs, see Result.Takes
	spell         map[string]string       // resource key -> as the source writes it (Go)
	compared      map[string]bool         // see comparedTwice
	spelled       map[*flow.Expr]bool     // calls noteSpelling has read
	carried       map[string]bool         // see carriers
	takesRes      map[*flow.Expr][]takeAt // see takesAt
	takesNoted    map[callPair]bool       // calls whose pair noteTakes has noted in full
	takesDone     map[*flow.Expr]bool     // calls whose every pair is settled, see takesCalls
	takeTmpl      map[string]string       // resource -> template, for noteTaken
	takenSeen     map[string]bool         // "template mode" in takes
	wrongLocks    []wrongLock             // releases of a sibling of a held lock, see noteWrongLock
	joinedAny     bool                    // some path was joined into another (joined)
	acquireGone   map[string]bool         // resources whose acquire the patch deletes, see removedAcquires
	unpromised    []keptExit              // exits that kept a lock __releases says is dropped, see noteKeptPromise
	calls         map[string][]callSite   // with Options.recordCalls, see noteCall
	dropClass     map[string][]retClass   // __releases argument -> return classes of the exits that dropped it
}

func (w *walker) run() {
	entry := w.f.Entry()
	if entry == nil {
		return
	}
	w.reported = map[reportKey]bool{}
	w.lost = map[string]flow.Pos{}
	w.externalExits = map[string]int{}
	w.retaken = map[string]bool{}
	w.releaseSeen = map[string]bool{}
	type item struct {
		b *flow.Block
		s *state
	}
	visited := newVisitSet()
	defer visitSets.Put(visited)
	keys := newKeyer()
	perBlock := map[int]int{} // states walked from each block
	spent := 0                // bytes of lock state kept, as MaxStateBytes counts them
	// A fragment whose start is not shown (Partial) begins with EvUnseen,
	// which says that what was held on entry is unknown.
	stack := []item{{entry, &state{}}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		full, lock := it.s.key(keys)
		k := visit{block: it.b.Index, state: full}
		if visited.Has(k) || w.joined(visited, perBlock, it.b, lock) {
			continue
		}
		if visited.Len() >= w.opt.MaxStates {
			w.degraded = TooManyPaths
			return
		}
		// The state walked and each clone pushed below hold its locks.
		if spent += it.s.heldBytes() * (1 + len(it.b.Succs)); spent > w.opt.MaxStateBytes {
			w.degraded = TooMuchState
			return
		}
		visited.Add(k)
		// it.s is this item's own: every state on the stack is a clone
		// nothing else holds, so the block's events change it in place.
		s := it.s
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
			ns := s
			if i > 0 {
				ns = s.clone() // the last successor pushed takes s itself
			}
			open := w.d.opaque && len(s.held)+len(s.failed) > 0 && len(it.b.Succs) == 2 && e.Cond != nil && !w.decided(s, e.Cond)
			if w.switchInfeasible(s, it.b, i) || w.predDefault(s, it.b, i) || !w.edge(ns, e) {
				continue
			}
			if e.To.Index <= it.b.Index {
				// Back round a loop, SSA values take new values:
				// what the last round knew of them no longer holds.
				ns.spans = nil
			}
			if open {
				w.skipGuarded(ns, it.b.Succs[1-i].To, e.To, e.Cond)
				w.enterGuarded(ns, e.To, it.b.Succs[1-i].To, e.Pos)
			}
			stack = append(stack, item{e.To, ns})
		}
	}
}

// visit is an entry of the visited set: a state (its key) walked from a
// block, or the locks (lockKey) of a state joined there.
type visit struct {
	block int
	join  bool
	state [2]uint64
}

// heldBytes is what s's held locks take in memory, about: what grows
// with the number of distinct locks a function takes (other facts grow
// with its size, which MaxStates bounds).
func (s *state) heldBytes() int {
	n := len(s.held) * int(unsafe.Sizeof(held{}))
	for _, h := range s.held {
		n += len(h.res) + len(h.site)
	}
	return n
}

// joinAfter is how many states one block is walked from before paths
// that hold and have released the same locks there are joined (C).
const joinAfter = 24

// joined reports whether s, arriving at b, is joined into a state walked
// from b before: past joinAfter states at b, one that agrees with an
// earlier one on the locks (state.lockKey) and differs only in what it
// knows of values (facts, constants, copies) goes no further. Branches
// that do not touch a lock then no longer multiply the paths, and the
// path bound is hit only where the lock itself forks them (cause 8:
// __ceph_setattr's dozen attribute tests under one spinlock). What the
// joined path knew that the first did not is lost: a later test it
// would have decided is walked both ways by the first, which may find
// a leak the joined path could rule out, never hide one of its locks.
// So a walk that joined paths reports only what the loss cannot make up:
// a lock still held at a failure return (joinedVerdicts).
func (w *walker) joined(visited *stampset.Set[visit], perBlock map[int]int, b *flow.Block, lock [2]uint64) bool {
	perBlock[b.Index]++
	if !w.d.opaque || perBlock[b.Index] <= joinAfter {
		return false
	}
	jk := visit{block: b.Index, join: true, state: lock}
	if !visited.Add(jk) {
		w.joinedAny = true
		return true
	}
	return false
}

func (w *walker) event(s *state, ev *flow.Event) {
	switch ev.Kind {
	case flow.EvUnseen:
		last := flow.Pos{File: ev.Pos.File, Line: ev.Pos.Line - 1, Col: 1} // the marker sits on the first unseen line
		w.loseSight(s, last)
		s.held = nil
		s.pend = nil
		s.facts = nil
		s.released, s.failed = nil, nil
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
			truth, known := w.flagTruth(s, e.Arg(1)) // before the assignment: held = held
			if lhs != nil && lhs.Op == flow.OpIdent {
				w.assign(s, lhs.Name, e.Arg(1))
			} else if lhs != nil {
				k := lhs.Key()
				w.storedInParam(s, k, e.Arg(1))
				w.forget(s, k)
				// dio->inode = inode: the field is a copy of the local.
				if a := aliasPath(w.rs, k, e.Arg(1)); a != "" && e.Name == "=" && w.d.names && lhs.Op == flow.OpField && !strings.Contains(a, "(") {
					own(s, mAlias, &s.alias)[k] = a
				}
			}
			if lhs != nil && e.Name == "=" && known && (w.tested[lhs.Key()] || w.carriers()[lhs.Key()]) {
				s.facts = append(s.facts, fact{key: lhs.Key(), truth: truth})
			}
			if r := flow.Strip(e.Arg(1)); r != nil && r.Op == flow.OpUnary && r.Name == "&" {
				return false // p = &x takes x's address to copy, not to change x
			}
		case e.Op == flow.OpUnary && (e.Name == "++" || e.Name == "--"):
			if a := flow.Strip(e.Arg(0)); a != nil && a.Op == flow.OpIdent {
				w.rename(s, a.Name, nil)
			}
		case e.Op == flow.OpUnary && e.Name == "&":
			// &x handed to a call may change x's value, not what it names;
			// the fields a wrapper linked stay linked.
			if a := flow.Strip(e.Arg(0)); a != nil && a.Op == flow.OpIdent {
				kept := w.linkedFields(s, a.Name)
				w.invalidate(s, a.Name)
				for k, v := range kept {
					own(s, mAlias, &s.alias)[k] = v
				}
			}
		}
		return true
	})
	// After &fd was handed over (and invalidated what the path knew of
	// fd): the fields the callee linked.
	for _, c := range flow.Calls(x) {
		for _, p := range w.rs.Acquires(c.Name) {
			w.applyLinks(s, p, flow.ArgKeys(c))
		}
	}
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
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
				own(s, mPassed, &s.passed)[it.site] = true
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
		if v, known := constTruth(w.rs, e.Cond, s); known && v != e.Value {
			return false // ret = 0; ...; if (ret) cannot be taken
		}
		if w.d.spans && !w.spanEdge(s, e.Cond, e.Value) {
			return false // a == 0 went false, a < 1 cannot go true
		}
		if !w.predEdge(s, e) {
			return false // needs_rtnl was true, and the predicate is false for this case
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
			s.trail = s.trail.pushKind(stepTaken, pos, "taken: "+condText(e))
			return true
		}
		if a, b, ok := equality(w.rs, e.Cond, e.Value); ok && w.d.names && len(s.eq) < 4 && w.rootOfHeld(s, a, b) {
			s.eq = append(s.eq, [2]string{a, b})
		}
		base, truth := normalizeCond(w.rs, e.Cond, e.Value)
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
					own(s, mConsts, &s.consts)[b.Name] = retNonZero
				}
			} else if !negTest(w.rs, e.Cond) {
				own(s, mConsts, &s.consts)[b.Name] = retZero
			} else if s.consts[b.Name] == retFailure {
				drop(s, mConsts, &s.consts, b.Name) // not negative: zero or positive
			}
		}
		s.trail = s.trail.pushKind(stepTaken, pos, "taken: "+condText(e))
	} else if strings.HasPrefix(e.Label, "goto") {
		s.trail = s.trail.pushKind(stepGoto, e.Pos, e.Label)
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
				drop(s, mFailed, &s.failed, it.res)
				w.acquire(s, it.call, it.pair, []string{it.res}, it.mode, false)
			} else {
				own(s, mFailed, &s.failed)[it.res] = it.call
			}
		}
		s.pend = append(s.pend[:i], s.pend[i+1:]...)
		i--
	}
}

// normalizeCond reduces a tested expression to a base and whether the base
// is non-zero on this edge: !x, x == 0, x != NULL, x < 0 (kernel calls
// return 0 or a negative error).
func normalizeCond(rs *rules.Set, c *flow.Expr, value bool) (*flow.Expr, bool) {
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
		case hint(rs, c):
			c = c.Args[0] // branch hints evaluate to their argument
			continue
		case c.Op == flow.OpAssign && c.Name == "=" && c.Arg(0) != nil:
			c = c.Arg(0) // if ((ret = mutex_lock_interruptible(m))): the test is of ret
			continue
		case errorTest(rs, c):
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
