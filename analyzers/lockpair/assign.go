package lockpair

import (
	"strings"

	"github.com/tagcheck/tagcheck/flow"
)

// Assignments: what `name = rhs` teaches the path (a literal, a flag, a
// copy of a lock's path) and what it makes the path forget (facts and
// pending results about name, holds reached through it).

// assign records what the path knows after `name = rhs`.
func (w *walker) assign(s *state, name string, rhs *flow.Expr) {
	if len(s.held) > 0 && w.tested[name] && !w.acquireCall(rhs) {
		own(s, mChanged, &s.changed)[name] = true
	}
	w.rescue(s, name)
	w.rename(s, name, flow.Strip(rhs))
	if r := flow.Strip(rhs); literal(r) && w.litVars()[name] {
		own(s, mLits, &s.lits)[name] = r.Name
	}
	if a := aliasPath(w.rs, name, rhs); a != "" && w.d.names && (!strings.Contains(a, "(") || w.pointerLocal(name)) {
		own(s, mAlias, &s.alias)[name] = a
	}
	r := flow.Strip(rhs)
	if r == nil {
		return
	}
	if c := classify(w.rs, r, w.f.Result, s); c != retUnknown && w.returned[name] {
		own(s, mConsts, &s.consts)[name] = c
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
// loop does not grow the state. A hold that the assigned call itself
// took names the new object already (mutex =
// kernfs_open_file_mutex_lock(kn) returns the mutex it locked, held as
// "mutex"): it keeps that name, so that mutex_unlock(mutex) releases it
// and is no release of the caller's lock, but it stays out of the exit
// verdicts as before (a locked object returned on one path and replaced
// on another, btrfs_get_old_root, is not told from a leak).
func (w *walker) rename(s *state, name string, rhs *flow.Expr) {
	for i := 0; i < len(s.held); i++ {
		h := &s.held[i]
		if h.why.has(unknownOrigin) || !mentions(h.res, name) {
			continue
		}
		if rhs != nil && h.call == rhs {
			h.why |= unknownOrigin
			continue
		}
		dup := false
		for _, o := range s.held {
			dup = dup || o.why.has(unknownOrigin) && o.site == h.site
		}
		if dup {
			s.held = append(s.held[:i], s.held[i+1:]...)
			i--
			continue
		}
		h.why |= unknownOrigin
		h.res += "#" + name + "@old"
	}
	// What was released or failed under the old name says nothing about
	// the new object.
	for r := range s.released {
		if mentions(r, name) {
			drop(s, mReleased, &s.released, r)
		}
	}
	for r := range s.failed {
		if mentions(r, name) {
			drop(s, mFailed, &s.failed, r)
		}
	}
	for r := range s.dropped {
		if mentions(r, name) {
			drop(s, mDropped, &s.dropped, r)
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
			drop(s, mDropped, &s.dropped, r) // *hb = futex_q_lock(q): a new lock behind the name
		}
	}
	for p, a := range s.alias {
		if strings.HasPrefix(p, key) || mentions(a, key) {
			drop(s, mAlias, &s.alias, p)
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

// storedInParam hands over the locks held through a local object that
// the path stores into what a parameter points to (C): btrfs_search_slot
// keeps each locked node in p->nodes[level], and whoever owns the path
// releases it (btrfs_release_path). What is held there is no longer this
// function's to release; no verdict on it.
func (w *walker) storedInParam(s *state, name string, rhs *flow.Expr) {
	r := flow.Strip(rhs)
	if !w.d.opaque || r == nil || r.Op != flow.OpIdent || !strings.ContainsAny(name, ">[.") || w.f.ParamIndex(rootIdent(name)) < 0 {
		return
	}
	if _, local := w.f.Locals[r.Name]; !local {
		return
	}
	for i := range s.held {
		h := &s.held[i]
		if !h.why.has(unknownOrigin|rawTagWrite) && rootIdent(objectPath(h.res)) == r.Name {
			h.why |= unknownOrigin
		}
	}
}

// flagTruth is the truth of a value assigned to a flag, when the path
// knows it: a constant (`locked = 1; ... if (locked) unlock()`), or a copy
// of a flag the path tested or set (Go's SSA moves a loop's flag through
// copies: `held = t11` after `t11 = true`).
func (w *walker) flagTruth(s *state, rhs *flow.Expr) (truth, known bool) {
	r := flow.Strip(rhs)
	switch {
	case r == nil:
		return false, false
	case isZero(r):
		return false, true
	case r.Op == flow.OpNumber || r.Op == flow.OpIdent && r.Name == "true",
		r.Op == flow.OpUnary && r.Name == "&": // a pointer set to an address is not NULL
		return true, true
	case r.Op == flow.OpIdent:
		for _, f := range s.facts {
			if f.key == r.Name {
				return f.truth, true
			}
		}
	}
	return false, false
}

// carriers lists the variables whose value is copied, directly or through
// other copies, into a tested one: SSA carries a loop's flag through the
// copies of its phis (held = t12 at the back edge, t12 = t19 round an
// inner loop, t19 = true where the lock is taken), and what the path knows
// of the flag must survive each copy.
func (w *walker) carriers() map[string]bool {
	if w.carried != nil {
		return w.carried
	}
	copies := map[string][]string{} // lhs -> the variables copied into it
	visit := func(x *flow.Expr) {
		flow.Walk(x, func(e *flow.Expr) bool {
			if e.Op != flow.OpAssign || e.Name != "=" {
				return true
			}
			l, r := flow.Strip(e.Arg(0)), flow.Strip(e.Arg(1))
			if l != nil && r != nil && l.Op == flow.OpIdent && r.Op == flow.OpIdent {
				copies[l.Name] = append(copies[l.Name], r.Name)
			}
			return true
		})
	}
	for _, b := range w.f.Blocks {
		for _, ev := range b.Events {
			visit(ev.X)
			for _, d := range ev.Body {
				visit(d.X)
			}
		}
	}
	w.carried = map[string]bool{}
	var mark func(name string)
	mark = func(name string) {
		for _, r := range copies[name] {
			if !w.carried[r] && !w.tested[r] {
				w.carried[r] = true
				mark(r)
			}
		}
	}
	for name := range w.tested {
		mark(name)
	}
	return w.carried
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
	drop(s, mConsts, &s.consts, name)
	s.dropSpans(name)
	s.dropMasks(name)
	drop(s, mLits, &s.lits, name)
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
			drop(s, mAlias, &s.alias, v)
		case had && rootIdent(a) == name && !mentions(old, v):
			own(s, mAlias, &s.alias)[v] = replaceRoot(a, name, old)
		case mentions(a, name):
			drop(s, mAlias, &s.alias, v)
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

// mentions reports whether key uses the identifier name.
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
