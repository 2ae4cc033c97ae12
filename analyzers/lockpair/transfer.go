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

// The transfer functions: what a call does to the state — acquire,
// release, a release that may or may not happen, a call the rules do not
// know.

// mayRelease finds, without walking, the caller's resources the function
// releases somewhere: released by a call in its body, named through its
// parameters, and never acquired in it. Lexical on purpose: it must hold
// for functions too branchy to walk (handle_cap_grant).
func (w *walker) mayRelease(always []string) []string {
	acquired := map[string]bool{}
	released := map[string]bool{}
	visit := func(x *flow.Expr) {
		for _, c := range flow.Calls(x) {
			args := flow.ArgKeys(c)
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
		if acquired[r] || w.rs.IsCPUState(r) {
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

func (w *walker) call(s *state, c *flow.Expr, ev *flow.Event) {
	if name, ok := strings.CutPrefix(c.Name, flow.RemovedRelease); ok {
		w.removedRelease(s, c, name)
		return
	}
	args := flow.ArgKeys(c)
	w.noteSpelling(c, args)
	w.callbackArgs(s, c, args)
	w.escape(s, c)
	w.namedUnlock(s, c)
	w.unknownCall(s, c)
	w.neededHere(s, c, args)
	if w.opt.recordCalls {
		w.noteCall(s, c)
	}
	if w.rs.EnablesIRQ(c.Name) {
		w.irqReenabled(s, c, " (its body turns them on: "+c.Name+" calls "+w.rs.InterruptsEnabler()+" or a helper that does)")
	}
	if len(w.rs.Releases(c.Name)) > 0 {
		w.handPromise(s, c) // a release whose spelling or certainty differs from the promise's
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
		if enablesIRQ(w.rs, p) && p.ReleasedBy(c.Name) {
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
			res := instantiate(p.Holds(), args)
			if !fromPack(p) {
				res = w.heldViaAccessor(s, res)
			}
			w.release(s, c, p, res, ev)
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
		w.takesCalls(s, c, args)
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

// flagTest reports whether cond tests a bool parameter: whether the
// function takes a lock after such a test is often the caller's to say
// (func (c *Conn) close(locked bool) { if !locked { c.mu.Lock(); defer
// c.mu.Unlock() }; ... }), which a summary of the function cannot tell.
func (w *walker) flagTest(cond *flow.Expr) bool {
	base, _ := normalizeCond(w.rs, cond, true)
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
		if h.why.has(unknownOrigin|rawTagWrite) || lastField(h.res) != field {
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
			if !h.why.has(unknownOrigin) && !w.rs.IsCPUState(h.res) && rootIdent(objectPath(h.res)) == root {
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
		own(s, mReleased, &s.released)[r] = release{site: c.Pos.String(), doubt: perhaps}
		w.dropCPUState(s, site, c)
	}
}

// dropCPUState forgets the irq or bh state an acquire site took with a
// lock that a callee has dropped (or may have): whether the callee
// restored it is as unknown as the lock.
func (w *walker) dropCPUState(s *state, site string, c *flow.Expr) {
	for j := 0; j < len(s.held); j++ {
		if h := s.held[j]; h.site == site && w.rs.IsCPUState(h.res) {
			s.held = append(s.held[:j], s.held[j+1:]...)
			own(s, mReleased, &s.released)[h.res] = release{site: c.Pos.String(), doubt: perhaps}
			j--
		}
	}
}

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
		s.held[i].why |= unknownOrigin
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
	if !w.rs.ReleaseHelper(name) {
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
	// the way kernel helpers do; the pairing there stays exact (the
	// dialect is not opaque).
	if !w.d.opaque || len(c.Args) == 0 || w.certain(c.Name) || w.rs.Neutral(c.Name) {
		return
	}
	w.handPromise(s, c)
	for i := range s.held {
		if w.mayReach(s, c, s.held[i].res) {
			s.held[i].why |= callsUnknown
		}
	}
	for r, rel := range s.released {
		if rel.doubt == certain && w.mayReach(s, c, r) {
			own(s, mReleased, &s.released)[r] = release{site: rel.site, doubt: retakable}
		}
	}
	for r, rel := range s.dropped {
		if rel.doubt == certain && w.mayReach(s, c, r) {
			own(s, mDropped, &s.dropped)[r] = release{site: rel.site, doubt: retakable}
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
	res = strings.TrimLeft(objectPath(res), "&")
	if w.rs.IsCPUState(res) {
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
	if si.removed {
		s.trail = s.trail.push(c.Pos, fmt.Sprintf("%s held here before the change: the patch removes %s", w.describeAll(res), c.Text))
	} else {
		s.trail = s.trail.push(c.Pos, fmt.Sprintf("%s acquires %s", c.Text, w.describeAll(res)))
	}
	for _, r := range res {
		if i := s.find(r); i >= 0 {
			h := &s.held[i]
			again := h.site == si.pos.String()
			if again && !w.relockReported(r, h) {
				continue // a loop back to the same acquire: a release we could not see
			}
			if p != nil && p.Recursive || quiet || h.why.has(rawTagWrite) || w.d.sharedNests && mode == rules.Shared && h.mode == rules.Shared || w.rs.IsCPUState(r) {
				// Nesting is counted up to a bound: a loop that
				// re-enters rcu_read_lock must not make every
				// iteration a new state.
				if h.depth < maxDepth {
					h.depth++
				}
				continue
			}
			if !h.why.has(unknownOrigin|callsUnknown) && (w.d.exactLearned || fromPack(p) && fromPack(h.pair)) && !w.reported[reportAt(report.DoubleAcquire, si.pos)] && !w.flagTracked(h.call) {
				w.reported[reportAt(report.DoubleAcquire, si.pos)] = true
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
		drop(s, mReleased, &s.released, r)
		drop(s, mDropped, &s.dropped, r)
		drop(s, mDropped, &s.dropped, s.canon(r))
		why := reasonIf(quiet, rawTagWrite) |
			reasonIf(s.external[r] || s.external[s.canon(r)], retaken) |
			reasonIf((mode == rules.Shared || p != nil && p.Recursive) && w.countedLoop(r), loopCounted)
		s.held = append(s.held, held{res: r, mode: mode, site: si.pos.String(), pair: p, call: c, why: why})
		own(s, mPassed, &s.passed)[si.pos.String()] = true
		// A pointer the lock was reached through is not NULL: a later
		// `if (p) unlock(&p->lock)` is taken.
		if root := rootIdent(objectPath(r)); w.tested[root] && !w.assignedFlag(s, root) {
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
	return !w.d.opaque && !h.why.has(loopCounted) && !strings.Contains(r, "[") && w.template(r) != ""
}

// acquireCall reports whether x is a call that acquires: locked =
// compact_lock_irqsave(...) makes locked the lock's own flag, not state
// changed under it.
func (w *walker) acquireCall(x *flow.Expr) bool {
	x = flow.Strip(x)
	return x != nil && x.Op == flow.OpCall && len(w.rs.Acquires(x.Name)) > 0
}

// heldViaAccessor names each of res, the locks a learned callee releases,
// as the caller holds it when the callee reaches it through an accessor
// of another object. f2fs_handle_failed_inode(inode) drops
// F2FS_I_SB(inode)->cp_rwsem, which f2fs_create took as
// F2FS_I_SB(dir)->cp_rwsem: an accessor gives the object both hang off
// (the file system's), which the two spellings cannot tell apart. The
// one held lock with the same accessor and the same path after it is the
// one released; with none or several, res stays as it is.
func (w *walker) heldViaAccessor(s *state, res []string) []string {
	out := slices.Clone(res)
	for i, r := range res {
		acc, arg, rest, ok := splitAccessor(r)
		if !ok || !accessorName(w.rs, acc) || s.find(r) >= 0 {
			continue
		}
		found := ""
		for _, h := range s.held {
			hacc, harg, hrest, ok := splitAccessor(s.canon(h.res))
			if !ok || h.why.has(unjudged|rawTagWrite) || hacc != acc || hrest != rest || harg == arg || found == h.res {
				continue
			}
			if found != "" {
				found = ""
				break // two candidates: no guess
			}
			found = h.res
		}
		if found != "" {
			out[i] = found
		}
	}
	return out
}

// splitAccessor reads a lock reached through a one-argument call,
// "&ACC(arg)->path", as ACC, arg and "->path".
func splitAccessor(r string) (acc, arg, rest string, ok bool) {
	body := strings.TrimPrefix(r, "&")
	open := strings.IndexByte(body, '(')
	if open <= 0 {
		return "", "", "", false
	}
	acc = body[:open]
	for i := 0; i < len(acc); i++ {
		if !isIdentByte(acc[i]) {
			return "", "", "", false
		}
	}
	depth := 0
	for i := open; i < len(body); i++ {
		switch body[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				rest = body[i+1:]
				if !strings.HasPrefix(rest, "->") && !strings.HasPrefix(rest, ".") {
					return "", "", "", false
				}
				return acc, body[open+1 : i], rest, true
			}
		}
	}
	return "", "", "", false
}

// tookItself reports whether this path took r itself, exclusively, before
// a release that finds it not held. Its caller cannot have held r when it
// called (that acquire would have blocked on its own lock), so the
// release drops what a callee took again out of sight, not the caller's
// hold: xfs_buf_delwri_pushbuf locks and unlocks the buffer, hands it to
// a submit helper that locks it again, and unlocks it once more.
func (w *walker) tookItself(s *state, r string) bool {
	if w.rs.IsCPUState(r) {
		return false // a caller may well have interrupts off already
	}
	for site := range s.passed {
		si := w.sites[site]
		if si == nil || si.pair == nil || si.quiet || si.pair.Recursive || si.pair.Mode == rules.Shared {
			continue
		}
		for _, x := range si.res {
			if x == r || s.canon(x) == s.canon(r) {
				return true
			}
		}
	}
	return false
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
			if rel, ok := s.released[r]; ok && rel.doubt == perhaps && s.failed[r] == nil {
				continue // perhaps released by a callee, perhaps still held: no verdict
			}
			if rel, ok := s.released[r]; ok && p != nil && !p.Maybe && !p.Balanced && !p.Recursive && !p.Scoped &&
				rel.site != c.Pos.String() && rel.doubt == certain {
				key := reportAt(report.UnheldRelease, c.Pos)
				if !w.reported[key] {
					w.reported[key] = true
					w.add(report.Finding{
						Rule: report.UnheldRelease, File: c.Pos.File, Line: c.Pos.Line, Column: c.Pos.Col,
						Message: fmt.Sprintf("%s releases %s, already released at line %s on this path", c.Text, w.describe(r), lineOf(rel.site)),
						Related: trailRelated(s.trail, 8),
					})
				}
			} else if acq := s.failed[r]; acq != nil {
				key := reportAt(report.UnheldRelease, c.Pos)
				if !w.reported[key] {
					w.reported[key] = true
					w.add(report.Finding{
						Rule: report.UnheldRelease, File: c.Pos.File, Line: c.Pos.Line, Column: c.Pos.Col,
						Message: fmt.Sprintf("%s releases %s, which %s at line %d did not take on this path", c.Text, w.describe(r), acq.Text, acq.Pos.Line),
						Related: trailRelated(s.trail, 8),
					})
				}
			} else if w.tookItself(s, r) {
				// Not the caller's: a callee took it again unseen.
				continue
			} else if !s.unknown {
				w.noteWrongLock(s, c, p, r)
				w.dropCallers(s, c, p, s.canon(r))
				own(s, mExternal, &s.external)[s.canon(r)] = true // named as the caller can: inode = dentry->d_inode
			} else {
				own(s, mFreedUnseen, &s.freedUnseen)[r] = true
			}
			continue
		}
		h := s.held[i]
		if h.depth > 0 {
			s.held[i].depth--
			continue
		}
		if !w.pairs(h, c.Name) && !w.rs.IsCPUState(r) && mismatched == nil && !h.why.has(rawTagWrite|unknownOrigin) {
			hh := h
			mismatched = &hh
		}
		s.held = append(s.held[:i], s.held[i+1:]...)
		if !h.why.has(rawTagWrite) {
			own(s, mReleased, &s.released)[r] = release{site: c.Pos.String()}
			names := []string{h.orig}
			if s.canon(h.res) == s.canon(r) {
				names = append(names, h.res) // not a lock merely tested equal
			}
			for _, name := range names {
				if name != "" && name != r {
					// The acquire site's own name for it (found through a
					// copy: fd.tree->tree_lock is tree->tree_lock).
					own(s, mReleased, &s.released)[name] = release{site: c.Pos.String()}
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
	if mismatched != nil && (mismatched.why.has(retaken) || releasesWhole(p, s, mismatched.site) || !w.mismatchMatters(s, mismatched, p)) {
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
	if mismatched != nil && !sameFamily(w.rs, mismatched.pair, c.Name) {
		w.reportMismatch(s, c, mismatched, releasedHere)
	}
}

// deferMismatch postpones judging a release that leaves only the CPU
// state behind (spin_unlock after spin_lock_irqsave): a later release of
// another lock may restore it (lock hand-over). If it is still held at an
// exit, the release is reported there.
func (w *walker) deferMismatch(s *state, c *flow.Expr, h *held, releasedHere []string) bool {
	left := 0
	for _, o := range s.held {
		if o.site != h.site || o.why.has(unknownOrigin) {
			continue
		}
		if !w.rs.IsCPUState(o.res) {
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
func sameFamily(rs *rules.Set, p *rules.Pair, fn string) bool {
	if p == nil {
		return false
	}
	f := rs.LockFamily(fn)
	for _, r := range p.Release {
		if rs.LockFamily(r) == f {
			return true
		}
	}
	return false
}

func fromPack(p *rules.Pair) bool { return p != nil && p.Learned == "" }
