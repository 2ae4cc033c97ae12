package lockpair

import (
	"slices"
	"sort"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/rules"
)

// What a path knows that prunes it: known values, bit tests, switches on
// literals, locked pointers not being NULL, guarded releases, counted
// loops.

type maskFact struct {
	word string
	bits []string
	zero bool
}

// loopInfo says which loop (strongly connected set of blocks) each block
// belongs to, and in which loops each resource is released.
type loopInfo struct {
	scc      map[*flow.Block]int // only blocks on a cycle
	releases map[string]map[int]bool
}

// lockedThrough reports whether a held lock was taken through the pointer
// named bk (canonically cbk).
func (w *walker) lockedThrough(s *state, bk, cbk string) bool {
	if bk == "" || !isIdentByte(bk[0]) || strings.ContainsAny(bk, "()") {
		return false
	}
	for _, h := range s.held {
		if h.why.has(unknownOrigin | rawTagWrite) {
			continue
		}
		r := objectPath(h.res)
		root := rootIdent(r)
		if root == "" || root == r && !strings.Contains(h.res, "->") && w.d.valueLocks {
			continue
		}
		if root == bk || len(s.alias) > 0 && s.canon(root) == cbk {
			return true
		}
	}
	return false
}

// decided reports whether the path already knows which way cond goes: a
// fact about it, or a known value of the variable it tests.
func (w *walker) decided(s *state, cond *flow.Expr) bool {
	if _, known := constTruth(w.rs, cond, s); known {
		return true
	}
	base, _ := normalizeCond(w.rs, cond, true)
	bk := base.Key()
	if s.changed[rootIdent(bk)] {
		return true // set under the lock by code we see: not opaque
	}
	for _, f := range s.facts {
		if f.key == bk {
			return true
		}
	}
	for _, p := range s.pend {
		if p.key == bk { // the result of a conditional acquire: it decides
			return true
		}
	}
	return false
}

// skipGuarded marks the held locks released by the branch not taken,
// other, when that branch is an if-body that only rejoins where this edge
// goes, join: the shape if (C) unlock(); with C taken the skipping way.
//
// With no caller to take the lock over (Options.NoHandOver) the skipped
// release is a leak, unless the condition tests a flag the function
// raised beside the acquire (down_write(&ls->lock); set_bit(LOCKED,
// &ls->flags); ... if (test_bit(LOCKED, &ls->flags)) up_write(&ls->lock)):
// that flag says whether the lock is still held, and whatever cleared it
// released the lock.
func (w *walker) skipGuarded(s *state, other, join *flow.Block, cond *flow.Expr) {
	for _, r := range w.guardedReleases(other, join) {
		i := s.find(r)
		if i < 0 || w.rs.IsCPUState(r) {
			continue
		}
		if w.opt.NoHandOver && !w.raisedBeside(s.held[i].call, cond) {
			continue
		}
		s.held[i].why |= guardedSkip
	}
}

// raisedBeside reports whether the flag that cond tests is set by the
// acquire or right after it: the acquire's result assigned to it, or
// later in the acquire's block a set_bit-style call on the same bit and
// word, or an assignment to the variable.
func (w *walker) raisedBeside(acquire, cond *flow.Expr) bool {
	if acquire == nil || cond == nil {
		return false
	}
	tested, _ := normalizeCond(w.rs, cond, true)
	key := tested.Key()
	if tested.Op == flow.OpCall && len(tested.Args) == 2 && w.rs.BitTest(tested.Name) {
		key = tested.Args[0].Key() + "," + tested.Args[1].Key()
	}
	for _, b := range w.f.Blocks {
		after := false
		for _, ev := range b.Events {
			if !after {
				after = slices.ContainsFunc(flow.Calls(ev.X), func(c *flow.Expr) bool { return c.Pos == acquire.Pos })
				if after && raises(w.rs, ev.X, key) {
					return true // locked = compact_lock_irqsave(...): the result is the flag
				}
				continue
			}
			if raises(w.rs, ev.X, key) {
				return true
			}
		}
		if after {
			return false
		}
	}
	return false
}

// flagTracked reports whether the function keeps, beside the acquire, a
// flag that says the lock is held, and tests it elsewhere (C):
// down_write(&ls->lock); set_bit(LOCKED, &ls->flags); ... if
// (test_bit(LOCKED, &ls->flags)) up_write(&ls->lock). Whoever clears the
// flag releases the lock — a callee, another thread — so a second
// acquire on a path that did not see that happen is no verdict.
func (w *walker) flagTracked(acquire *flow.Expr) bool {
	if !w.d.opaque || acquire == nil {
		return false
	}
	for _, b := range w.f.Blocks {
		for _, e := range b.Succs {
			if e.Cond == nil {
				continue
			}
			for _, c := range flow.Calls(e.Cond) {
				if len(c.Args) == 2 && w.rs.FlagTest(c.Name) && w.raisedBeside(acquire, c) {
					return true
				}
			}
		}
	}
	return false
}

// raises reports whether x sets the flag key: a bit ("BIT,&word") by a
// set_bit-style call, or a variable by an assignment.
func raises(rs *rules.Set, x *flow.Expr, key string) bool {
	x = flow.Strip(x)
	if x == nil || key == "" {
		return false
	}
	if x.Op == flow.OpAssign && len(x.Args) == 2 {
		return x.Args[0].Key() == key
	}
	for _, c := range flow.Calls(x) {
		if len(c.Args) == 2 && rs.BitSet(c.Name) && c.Args[0].Key()+","+c.Args[1].Key() == key {
			return true
		}
	}
	return false
}

// enterGuarded is the other side of skipGuarded: the path enters, by a
// condition the walk cannot decide, an if-body that releases a lock a
// failed trylock did not take (if (x[0].tx_buf == buf) mutex_unlock(&lock)
// after trylock-or-kmalloc). The code claims the lock is held there; the
// walk cannot tell, so it says nothing of that release.
func (w *walker) enterGuarded(s *state, body, join *flow.Block, pos flow.Pos) {
	for _, r := range w.guardedReleases(body, join) {
		if s.failed[r] != nil && s.find(r) < 0 {
			drop(s, mFailed, &s.failed, r)
			own(s, mReleased, &s.released)[r] = release{site: pos.String(), doubt: perhaps}
		}
	}
}

// guardedReleases returns what the if-body starting at body releases
// when the body is a plain run of at most three blocks that meets the
// other side (if (c) unlock(); or if (c) unlock(); else kfree(buf);).
// A side that sets an error and jumps is no such shape: if (c) { ret =
// -EIO; goto out; } unlock(); out: is the error path that skips the
// release, the classic leak.
func (w *walker) guardedReleases(body, other *flow.Block) []string {
	join := map[*flow.Block]bool{}
	for b, depth := other, 0; b != nil && depth < 4; depth++ {
		join[b] = true
		if len(b.Succs) != 1 || b.Succs[0].Cond != nil || errorJump(w.rs, b) {
			break
		}
		b = b.Succs[0].To
	}
	var rel []string
	for b, depth := body, 0; depth < 3; depth++ {
		if join[b] {
			return nil // the body is empty: nothing guarded
		}
		for _, c := range blockCalls(b) {
			if ps := w.plainReleases(c); len(ps) > 0 {
				rel = append(rel, instantiate(ps[0].Holds(), flow.ArgKeys(c))...)
			}
		}
		if len(b.Succs) != 1 || b.Succs[0].Cond != nil {
			return nil // not a plain if-body
		}
		if b = b.Succs[0].To; join[b] {
			return rel
		}
	}
	return nil
}

// errorJump reports whether b sets a failure value and leaves by a goto.
func errorJump(rs *rules.Set, b *flow.Block) bool {
	if len(b.Succs) != 1 || !strings.HasPrefix(b.Succs[0].Label, "goto") {
		return false
	}
	for _, ev := range b.Events {
		if x := flow.Strip(ev.X); x != nil && x.Op == flow.OpAssign && x.Name == "=" && classify(rs, x.Arg(1), "", nil) == retFailure {
			return true
		}
	}
	return false
}

// constTruth evaluates a condition on a returned variable whose value the
// path knows (set to a constant, or tested before).
func constTruth(rs *rules.Set, c *flow.Expr, s *state) (value, known bool) {
	c = flow.Strip(c)
	if c == nil {
		return false, false
	}
	switch {
	case c.Op == flow.OpIdent:
		switch s.consts[c.Name] {
		case retZero:
			return false, true
		case retFailure, retNonZero, retSuccess:
			return true, true
		}
	case c.Op == flow.OpUnary && c.Name == "!":
		v, ok := constTruth(rs, c.Arg(0), s)
		return !v, ok
	case c.Op == flow.OpBinary && (c.Name == "==" || c.Name == "!=") && isZero(c.Arg(1)):
		v, ok := constTruth(rs, c.Arg(0), s)
		return v == (c.Name == "!="), ok
	case c.Op == flow.OpBinary && (c.Name == "==" || c.Name == "!=") && len(s.alias) > 0:
		// buf = of->prealloc_buf; ... if (buf == of->prealloc_buf)
		a, b := c.Arg(0).Key(), c.Arg(1).Key()
		if a != "" && a != b && s.canon(a) == s.canon(b) {
			return c.Name == "==", true
		}
	case c.Op == flow.OpBinary && (c.Name == ">=" || c.Name == ">" || c.Name == "<=") && isZero(c.Arg(1)):
		// ret >= 0 and the like, on a value known to be zero or negative
		if x := flow.Strip(c.Arg(0)); x != nil && x.Op == flow.OpIdent {
			switch s.consts[x.Name] {
			case retZero:
				return c.Name != ">", true
			case retFailure:
				return c.Name == "<=", true
			}
		}
	case c.Op == flow.OpBinary && c.Name == "<" && isZero(c.Arg(1)):
		if x := flow.Strip(c.Arg(0)); x != nil && x.Op == flow.OpIdent {
			switch s.consts[x.Name] {
			case retZero, retSuccess:
				return false, true
			case retFailure:
				return true, true
			}
		}
	case hint(rs, c):
		return constTruth(rs, c.Args[0], s)
	case errorTest(rs, c):
		if x := flow.Strip(c.Args[0]); x != nil && x.Op == flow.OpIdent {
			switch s.consts[x.Name] {
			case retFailure: // ERR_PTR(...)
				return true, true
			case retZero:
				orNull, _ := rs.ErrorTest(c.Name)
				return orNull, true
			case retSuccess: // &obj
				return false, true
			}
		}
	}
	return false, false
}

// negTest reports whether c is x < 0 (under ! and branch hints): its
// false side says "not negative", which is not "zero".
func negTest(rs *rules.Set, c *flow.Expr) bool {
	for {
		c = flow.Strip(c)
		switch {
		case c == nil:
			return false
		case c.Op == flow.OpUnary && c.Name == "!":
			c = c.Arg(0)
		case hint(rs, c):
			c = c.Args[0]
		default:
			return c.Op == flow.OpBinary && c.Name == "<" && isZero(c.Arg(1))
		}
	}
}

// maskTest splits word & (A | B | ...) into the word's key and its bits.
func maskTest(c *flow.Expr) (string, []string, bool) {
	c = flow.Strip(c)
	if c == nil || c.Op != flow.OpBinary || c.Name != "&" {
		return "", nil, false
	}
	word := c.Arg(0).Key()
	var bits []string
	var flatten func(e *flow.Expr) bool
	flatten = func(e *flow.Expr) bool {
		e = flow.Strip(e)
		switch {
		case e == nil:
			return false
		case e.Op == flow.OpBinary && e.Name == "|":
			return flatten(e.Arg(0)) && flatten(e.Arg(1))
		case e.Op == flow.OpIdent || e.Op == flow.OpNumber:
			bits = append(bits, e.Name)
			return true
		}
		return false
	}
	if word == "" || !flatten(c.Arg(1)) {
		return "", nil, false
	}
	sort.Strings(bits)
	return word, bits, true
}

// maskEdge checks a bit test against the ones the path has seen, and
// remembers it; false means the edge contradicts them.
func (w *walker) maskEdge(s *state, base *flow.Expr, nonzero bool) bool {
	word, bits, ok := maskTest(base)
	if !ok || !w.d.names {
		return true
	}
	for _, m := range s.masks {
		if m.word != word {
			continue
		}
		if nonzero && m.zero && subset(bits, m.bits) || !nonzero && !m.zero && subset(m.bits, bits) {
			return false
		}
	}
	if len(s.masks) < 4 && w.maskWords()[word] {
		s.masks = append(s.masks, maskFact{word: word, bits: bits, zero: !nonzero})
	}
	return true
}

// maskWords are the words tested with more than one set of bits: only
// there can one test decide another, and only those are remembered.
func (w *walker) maskWords() map[string]bool {
	if w.maskWordSet != nil {
		return w.maskWordSet
	}
	sets := map[string]map[string]bool{}
	for _, b := range w.f.Blocks {
		for _, e := range b.Succs {
			if e.Cond == nil {
				continue
			}
			base, _ := normalizeCond(w.rs, e.Cond, true)
			if word, bits, ok := maskTest(base); ok {
				if sets[word] == nil {
					sets[word] = map[string]bool{}
				}
				sets[word][strings.Join(bits, "|")] = true
			}
		}
	}
	w.maskWordSet = map[string]bool{}
	for word, m := range sets {
		if len(m) > 1 {
			w.maskWordSet[word] = true
		}
	}
	return w.maskWordSet
}

func subset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

func (s *state) dropMasks(name string) {
	if len(s.masks) == 0 {
		return
	}
	keep := s.masks[:0:0]
	for _, m := range s.masks {
		if !mentions(m.word, name) && !strings.HasPrefix(m.word, name) {
			keep = append(keep, m)
		}
	}
	s.masks = keep
}

// litVars are the locals some edge compares with a number (x == 3, and
// every case of switch (x)).
func (w *walker) litVars() map[string]bool {
	if w.litVarSet != nil {
		return w.litVarSet
	}
	w.litVarSet = map[string]bool{}
	for _, b := range w.f.Blocks {
		for _, e := range b.Succs {
			if x, _, ok := numberTest(e.Cond); ok {
				w.litVarSet[x] = true
			}
		}
	}
	return w.litVarSet
}

// numberTest splits x == K (a local against a number literal).
func numberTest(c *flow.Expr) (string, string, bool) {
	c = flow.Strip(c)
	if c == nil || c.Op != flow.OpBinary || c.Name != "==" {
		return "", "", false
	}
	x, k := flow.Strip(c.Arg(0)), flow.Strip(c.Arg(1))
	if x == nil || x.Op != flow.OpIdent || !literal(k) {
		return "", "", false
	}
	return x.Name, k.Name, true
}

// literal reports whether k is a number or a name written as a constant
// (M_PARTIAL, an enumerator or a macro): two different ones are two
// different values.
func literal(k *flow.Expr) bool {
	if k == nil {
		return false
	}
	if k.Op == flow.OpNumber {
		return true
	}
	if k.Op != flow.OpIdent || len(k.Name) < 2 {
		return false
	}
	letter := false
	for i := 0; i < len(k.Name); i++ {
		switch c := k.Name[i]; {
		case c >= 'A' && c <= 'Z':
			letter = true
		case c == '_' || c >= '0' && c <= '9':
		default:
			return false
		}
	}
	return letter
}

// switchInfeasible reports whether the path's known literal values rule
// out edge i of b: a case for another value, or the default when a case
// matches.
func (w *walker) switchInfeasible(s *state, b *flow.Block, i int) bool {
	if len(s.lits) == 0 {
		return false
	}
	e := b.Succs[i]
	if x, k, ok := numberTest(e.Cond); ok {
		v, known := s.lits[x]
		return known && (v == k) != e.Value
	}
	if e.Cond != nil || e.Label != "default" {
		return false
	}
	for j, o := range b.Succs {
		if x, k, ok := numberTest(o.Cond); ok && j != i && o.Value {
			if v, known := s.lits[x]; known && v == k {
				return true
			}
		}
	}
	return false
}

// countedLoop reports whether an acquire of res in the current block sits
// in one loop while res is released in another.
func (w *walker) countedLoop(res string) bool {
	if !w.inLoop() {
		return false
	}
	id := w.loops.scc[w.cur]
	for other := range w.loops.releases[res] {
		if other != id {
			return true
		}
	}
	return false
}

// inLoop reports whether the current block sits in a loop.
func (w *walker) inLoop() bool {
	if w.loops == nil {
		w.loops = w.findLoops()
	}
	_, ok := w.loops.scc[w.cur]
	return ok
}

func (w *walker) findLoops() *loopInfo {
	li := &loopInfo{scc: map[*flow.Block]int{}, releases: map[string]map[int]bool{}}
	// Tarjan's algorithm over the blocks.
	index := map[*flow.Block]int{}
	low := map[*flow.Block]int{}
	on := map[*flow.Block]bool{}
	var stack []*flow.Block
	n, comp := 0, 0
	var visit func(b *flow.Block)
	visit = func(b *flow.Block) {
		index[b], low[b] = n, n
		n++
		stack = append(stack, b)
		on[b] = true
		for _, e := range b.Succs {
			if _, seen := index[e.To]; !seen {
				visit(e.To)
				low[b] = min(low[b], low[e.To])
			} else if on[e.To] {
				low[b] = min(low[b], index[e.To])
			}
		}
		if low[b] != index[b] {
			return
		}
		var members []*flow.Block
		for {
			t := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			on[t] = false
			members = append(members, t)
			if t == b {
				break
			}
		}
		cyclic := len(members) > 1
		for _, e := range b.Succs {
			cyclic = cyclic || e.To == b
		}
		if cyclic {
			for _, m := range members {
				li.scc[m] = comp
			}
			comp++
		}
	}
	for _, b := range w.f.Blocks {
		if _, seen := index[b]; !seen {
			visit(b)
		}
	}
	for b, id := range li.scc {
		for _, c := range blockCalls(b) {
			for _, p := range w.plainReleases(c) {
				for _, r := range instantiate(p.Holds(), flow.ArgKeys(c)) {
					if li.releases[r] == nil {
						li.releases[r] = map[int]bool{}
					}
					li.releases[r][id] = true
				}
			}
		}
	}
	return li
}

// blockCalls lists the calls of b's events, in order.
func blockCalls(b *flow.Block) []*flow.Expr {
	var calls []*flow.Expr
	for _, ev := range b.Events {
		if ev.X != nil {
			calls = append(calls, flow.Calls(ev.X)...)
		}
	}
	return calls
}

// plainReleases lists the rules by which call c releases a whole lock in
// this language: not a release that may not happen, nor one of a field.
func (w *walker) plainReleases(c *flow.Expr) []*rules.Pair {
	var ps []*rules.Pair
	for _, p := range w.rs.Releases(c.Name) {
		if !p.Maybe && p.Field == "" && w.langOK(p) {
			ps = append(ps, p)
		}
	}
	return ps
}
