package lockpair

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/report"
	"github.com/tagcheck/tagcheck/rules"
)

// The verdicts: what is wrong at each exit (exit, result), and the
// findings (their wording is in messages.go).

func (w *walker) reportMismatch(s *state, c *flow.Expr, h *held, releasedHere []string) {
	key := reportAt(report.MismatchedRelease, c.Pos)
	if w.reported[key] {
		return
	}
	w.reported[key] = true
	// What the acquire took that this release leaves behind.
	var left []string
	for _, other := range s.held {
		if other.site == h.site && !other.why.has(unknownOrigin) {
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
		repl := replacement(w.rs, c, h.call, h.pair.Release[0], w.d)
		msg += "; use " + repl
		fix = &report.Fix{File: c.Pos.File, Line: c.Pos.Line, Old: c.Text, New: repl}
	}
	w.mismatch[c.Pos.String()] = &mismatchNote{idx: len(w.findings)}
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
			s.held[i].why |= mismatchedRelease
			s.held[i].mismatchAt = c.Pos.String()
		}
	}
}

func (w *walker) exit(s *state, b *flow.Block) {
	if b.Exit == flow.Unseen {
		last := exitPos(b, w.f)
		if s.trail != nil && s.trail.kind == stepGoto {
			last = s.trail.pos // the jump in view, not the label out of it
		}
		w.loseSight(s, last)
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
		w.noteKeptPromise(s, b, class)
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
		if h.pendingRel != nil && !h.why.has(unknownOrigin|mismatchedRelease) {
			hh := h
			w.reportMismatch(s, h.pendingRel, &hh, h.pendingFreed)
		}
	}
	heldNow := map[string]bool{}
	for _, h := range s.held {
		if !h.why.has(unjudged | mismatchedRelease) {
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
		if h.why.has(unjudged) {
			continue // held under a name the code no longer has, skipped a guarded release, or counted: no verdict
		}
		si := w.sites[h.site]
		if si == nil {
			continue
		}
		if h.why.has(mismatchedRelease) {
			// Released on this path, if by the wrong call: the mismatch
			// finding speaks for it.
			si.exits = append(si.exits, exitObs{class: class, freed: true, mism: true, idx: idx, pos: pos, trail: s.trail, label: label})
		} else {
			si.exits = append(si.exits, exitObs{class: class, held: true, renamed: renamedAs(h), still: stillHeld(s, h.site), idx: idx, pos: pos, trail: s.trail, label: label})
		}
		if m, ok := w.mismatch[h.mismatchAt]; ok && h.why.has(mismatchedRelease) && !h.why.has(rawTagWrite) {
			if !m.exitShown {
				m.exitShown = true
				f := &w.findings[m.idx]
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
			rel, ok := s.released[r]
			freed = freed || ok && rel.doubt != perhaps
			maybe = maybe || ok && rel.doubt == perhaps
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

// mismatchNote is the finding of a mismatched release, and whether it
// shows an exit the path left by still holding the rest of the bundle.
type mismatchNote struct {
	idx       int
	exitShown bool
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
		if st.kind == stepGoto {
			return " (" + st.msg + ")"
		}
		if st.kind == stepTaken {
			break
		}
	}
	return ""
}

// result turns what every exit saw into findings and a wrapper summary.
func (w *walker) result() Result {
	res := Result{Degraded: w.degraded != "", DegradedWhy: w.degraded, calls: w.calls}
	if res.Degraded {
		// A partial walk would pass off missing paths as clean, and what
		// it found on the way rests on facts the unexplored paths may
		// contradict: the function is reported as not checked instead.
		return res
	}
	res.Takes = w.ownTakes()
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
		if wrapper && when != rules.Always && w.opt.CallersKeep {
			wrapper = false // no caller takes it over: a leak on the success path
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
		if took := passedOnly(freeAt, heldAt, w.d); len(took) < len(freeAt) && !w.opt.NoWrapper && !w.opt.CallersKeep {
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
		if si.reported || si.quiet || w.f.LockContract || !anyFreed(freeAt) && !w.releasesAny(si.res) || w.retakes(si.res) || !w.opt.NoWrapper && !w.opt.CallersKeep && w.heldEverywhere(si.res) {
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
	w.confirmWrongLocks()
	w.reportKeptPromises()
	res.OutOfView = w.outOfView() // may report removed releases: before Findings is read
	res.Findings = w.joinedVerdicts()
	if len(wrapperRes) > 0 {
		if wrapperWhen != rules.Always && slices.ContainsFunc(wrapperRes, func(r string) bool { return w.allHeld([]string{r}) }) {
			// One of the resources is held on every exit, so the result
			// cannot mean "none of them held": lock_rename() keeps p1
			// locked when it returns NULL (p1 == p2) and all three locks
			// otherwise, and its callers release the set together
			// (unlock_rename). A summary "held when non-NULL" made
			// `if (lock_rename(a, b) != NULL) goto unlock;` a release of
			// locks not taken.
			wrapperWhen = rules.Always
		}
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
			case n > 0 && w.d.opaque && (!w.rs.IsCPUState(r) || strings.Contains(t, "$")):
				// Dropped for good on some exits only (the error return
				// of a helper that drops and retakes the caller's lock;
				// local_irq_restore(flags) when it returns true).
				res.walkMay = append(res.walkMay, t)
			}
		}
		sort.Strings(res.Releases)
		res.Needs = w.needs()
	}
	return res
}

// needs lists the templates of the locks every path that released them
// without taking them took again before returning (wait_on_state: drop
// the caller's lock, sleep, retake it), and that no exit left released.
func (w *walker) needs() []string {
	if !w.d.opaque {
		return nil
	}
	var out []string
	for r := range w.retaken {
		t := w.template(r)
		if t == "" || !strings.Contains(t, "$") || w.rs.IsCPUState(r) || w.externalExits[r] > 0 || slices.Contains(out, t) {
			continue
		}
		out = append(out, t)
	}
	sort.Strings(out)
	return out
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
	if w.joinedAny && bad.class != retFailure {
		return // see joined: only a failure return is judged after a join
	}
	dupKey := reportKey{rule: report.Unreleased, at: bad.pos.String(), what: joinDescribed(si.res, w.describeKey)}
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
	if si.removed {
		msg = fmt.Sprintf("%s, released by %s after line %d before this change, is still held when %s returns%s: the patch removes that release",
			w.describeAll(left), si.call.Text, si.pos.Line, name, bad.label)
	} else if si.call != nil {
		msg = fmt.Sprintf("%s acquired by %s at line %d is still held when %s returns%s",
			w.describeAll(left), si.call.Text, si.pos.Line, name, bad.label)
	}
	if si.pair != nil && len(si.pair.Release) > 0 && !si.pair.Scoped && bad.renamed == "" && len(left) == len(si.res) && (fromPack(si.pair) || w.d.exactLearned) {
		msg += "; release it with " + replacement(w.rs, si.call, si.call, si.pair.Release[0], w.d) + " on this path"
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

// removedRelease stands for a release the patch deletes at this point
// (flow.RemovedRelease): what it released was held here before the change
// and, unless something in view releases it, still is. It is tracked as
// an acquire here, so the exits in view judge it as they judge one.
func (w *walker) removedRelease(s *state, c *flow.Expr, name string) {
	orig := *c
	orig.Name = name
	orig.Text = strings.Replace(c.Text, c.Name, name, 1)
	for _, p := range w.rs.Releases(name) {
		if !w.langOK(p) || p.Maybe || p.Field != "" {
			continue
		}
		res := instantiate(p.Holds(), flow.ArgKeys(&orig))
		if len(res) == 0 || releasedOnPath(s, res) {
			// Released already in view: the patch removes a second
			// release (a double-unlock fix), not one that was needed.
			continue
		}
		if slices.ContainsFunc(res, func(r string) bool { return w.removedAcquires()[r] }) {
			// The patch deletes the acquire too: it moves or drops the
			// locking (the lock taken after the check that returns),
			// and the release went with it.
			continue
		}
		if !w.f.Partial && !holdsAll(s, res) {
			// The whole function is in view and does not hold it here:
			// the patch moved the acquire past this path (the lock now
			// taken after the check that returns), or the release was of
			// the caller's lock. The evidence is for what the patch
			// does not show.
			continue
		}
		// Held here already by an acquire in view: from here on the
		// path is judged as the removed release's.
		for _, r := range res {
			if i := s.find(r); i >= 0 {
				s.held = append(s.held[:i], s.held[i+1:]...)
			}
		}
		w.noteSite(&orig, p, res, false).removed = true
		w.acquire(s, &orig, p, res, p.Mode, false)
		return
	}
}

// removedAcquires returns the resources the acquires the patch deletes
// from f would take (flow.RemovedRelease before an acquire's name).
func (w *walker) removedAcquires() map[string]bool {
	if w.acquireGone != nil {
		return w.acquireGone
	}
	w.acquireGone = map[string]bool{}
	for c := range w.f.EventCalls() {
		name, ok := strings.CutPrefix(c.Name, flow.RemovedRelease)
		if !ok {
			continue
		}
		orig := *c
		orig.Name = name
		for _, p := range w.rs.Acquires(name) {
			if w.langOK(p) {
				for _, r := range instantiate(p.Holds(), flow.ArgKeys(&orig)) {
					w.acquireGone[r] = true
				}
			}
		}
	}
	return w.acquireGone
}

// holdsAll reports whether the path holds every one of res.
func holdsAll(s *state, res []string) bool {
	for _, r := range res {
		if s.find(r) < 0 {
			return false
		}
	}
	return true
}

// releasedOnPath reports whether the path released one of res in view,
// whether or not it saw the acquire.
func releasedOnPath(s *state, res []string) bool {
	for _, r := range res {
		if _, ok := s.released[r]; ok || s.external[r] || s.freedUnseen[r] {
			return true
		}
	}
	return false
}

// loseSight notes the acquires this path holds as it goes into lines the
// walk cannot see after pos.
func (w *walker) loseSight(s *state, pos flow.Pos) {
	for _, h := range s.held {
		if _, ok := w.lost[h.site]; !ok && !h.why.has(unknownOrigin|rawTagWrite) {
			w.lost[h.site] = pos
		}
	}
}

// outOfView lists the acquires held into unseen lines and judged nowhere.
// A release the patch removes is judged there too: the unseen lines ran
// without the lock before the change.
func (w *walker) outOfView() []OutOfView {
	var out []OutOfView
	for _, k := range w.order {
		si := w.sites[k]
		lost, ok := w.lost[k]
		if !ok || si.reported || si.quiet {
			continue
		}
		if si.removed && !w.f.LockContract && !w.handsOver(si.res) {
			w.reportRemovedIntoUnseen(si, lost)
			continue
		}
		what := w.describeAll(si.res)
		if si.removed {
			what += " (its release " + fold(si.call.Text) + " removed by the patch)"
		} else if si.call != nil {
			what += " taken by " + fold(si.call.Text)
		}
		out = append(out, OutOfView{Site: si.pos, Lost: lost, What: what})
	}
	return out
}

// reportRemovedIntoUnseen reports a release the patch removes whose path
// goes on, still holding, into lines the patch does not show: they ran
// without the lock before the change.
func (w *walker) reportRemovedIntoUnseen(si *siteInfo, lost flow.Pos) {
	si.reported = true
	w.add(report.Finding{
		Rule: report.Unreleased, File: lost.File, Line: lost.Line, Column: max(lost.Col, 1),
		Message: fmt.Sprintf("%s, released by %s after line %d before this change, is still held where the path leaves the lines the patch shows: the code after line %d ran without it before; the patch removes that release",
			w.describeAll(si.res), si.call.Text, si.pos.Line, lost.Line),
		Related: []report.Related{{File: si.pos.File, Line: si.pos.Line, Column: si.pos.Col,
			Message: w.describeAll(si.res) + " held here before the change: the patch removes " + si.call.Text}},
	})
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
		// A release the patch removes ran on this very path before the
		// change: no exit it reaches was meant to return holding it.
		if si.removed || e.class == retFailure || e.class == retUnknown && errorLabel(w.rs, e.label) {
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
func errorLabel(rs *rules.Set, label string) bool {
	name, ok := strings.CutPrefix(strings.Trim(label, " ()"), "goto ")
	if !ok {
		return false
	}
	return rs.ErrorLabel(name)
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

// mismatchMatters decides whether a release that the acquire's pair does
// not list is worth a report: a release that leaves a tag bit set (the
// seed's task_unlock after set_reader_nsproxy), the wrong release of a
// rule pack's acquire (spin_unlock after spin_lock_irqsave, up_read after
// down_write), or a pack release of a learned one-lock wrapper
// (spin_unlock after a wrapper of spin_lock_bh). Two learned wrappers
// that disagree are more likely two spellings of one lock.
func (w *walker) mismatchMatters(s *state, h *held, p *rules.Pair) bool {
	if w.d.exactLearned {
		return true
	}
	for _, o := range s.held {
		if o.site == h.site && !o.why.has(unknownOrigin) && isTagBits(o.res) {
			return true
		}
	}
	if !fromPack(p) {
		return false
	}
	locks := 0
	for _, r := range h.pair.Holds() {
		if !w.rs.IsCPUState(r) {
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

// joinedVerdicts keeps, of a walk that joined paths (walker.joined), only
// the unreleased findings (reportUnreleased admits those at failure
// returns alone): a second acquire or release judged on the path that
// was kept may be one the joined path's facts would have ruled out.
func (w *walker) joinedVerdicts() []report.Finding {
	if !w.joinedAny {
		return w.findings
	}
	var out []report.Finding
	for _, f := range w.findings {
		if f.Rule == report.Unreleased {
			out = append(out, f)
		}
	}
	return out
}
