package lockpair

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/report"
	"github.com/tagcheck/tagcheck/rules"
)

// What a function holds when it is entered, read down the call chain. A
// callee that drops and retakes a lock (rules.Pair.Needs) called on a
// path that has not taken it is the caller's business only if the
// caller's own caller holds it. A system call is entered from user space
// holding nothing; a file-local function that every caller in its file
// calls holding nothing, from a function itself entered holding nothing,
// holds nothing either: io_uring_enter reached io_cqring_overflow_flush
// through io_cqring_wait, none holding ctx->uring_lock, and the flush it
// called unlocked that mutex and returned with it locked.

// maxEntryDepth bounds the callers followed up from one function.
const maxEntryDepth = 6

// Entries answers, for the functions of one set, whether a function is
// entered holding no lock, walking its callers once each on demand.
type Entries struct {
	rs      *rules.Set
	callers Callers
	byFile  map[string][]*flow.Func
	sites   map[*flow.Func]map[string][]callSite // caller -> callee name -> its calls
	memo    map[*flow.Func]*entryChain
}

// callSite is one call of a file-local function, as one path reaches it.
type callSite struct {
	pos      flow.Pos
	holdsAny bool // the path holds a lock (not a CPU state), or lost track of what it holds
}

// entryChain says how a function is known to be entered holding nothing:
// from a system call (via is nil) or from the call at pos in via.
type entryChain struct {
	free bool
	via  *flow.Func
	pos  flow.Pos
}

// EntriesOf prepares the entry view of funcs (one file or several); the
// callers it reads are the functions of funcs in the callee's file.
func EntriesOf(funcs []*flow.Func, rs *rules.Set, cs Callers) *Entries {
	e := &Entries{rs: rs, callers: cs, byFile: map[string][]*flow.Func{}, sites: map[*flow.Func]map[string][]callSite{}, memo: map[*flow.Func]*entryChain{}}
	for _, f := range funcs {
		if !f.Fetched {
			e.byFile[f.Pos.File] = append(e.byFile[f.Pos.File], f)
		}
	}
	return e
}

// systemCall reports whether f is a system call's body (SYSCALL_DEFINEn
// defines sys_NAME): user space calls it, holding no kernel lock.
func systemCall(f *flow.Func) bool {
	return !f.Static && (strings.HasPrefix(f.Name, "sys_") || strings.HasPrefix(f.Name, "compat_sys_"))
}

// enteredFree reports whether f is entered holding no lock, and the chain
// that says so.
func (e *Entries) enteredFree(f *flow.Func, depth int) *entryChain {
	if c, ok := e.memo[f]; ok {
		return c
	}
	no := &entryChain{}
	e.memo[f] = no // a cycle of callers proves nothing
	switch {
	case systemCall(f):
		e.memo[f] = &entryChain{free: true}
		return e.memo[f]
	case !f.Static || f.Fetched || f.Stored || depth >= maxEntryDepth:
		return no // called from other files, or through a table by anyone
	}
	v, ok := e.callers[callerKey{f.Pos.File, f.Name}]
	if !ok || !v.called || v.addressed {
		return no // a callback's caller is anyone's code
	}
	var first *entryChain
	for _, g := range e.byFile[f.Pos.File] {
		if g == f {
			continue
		}
		calls := e.callsOf(g)[f.Name]
		if len(calls) == 0 {
			continue
		}
		for _, c := range calls {
			if c.holdsAny {
				return no
			}
		}
		if !e.enteredFree(g, depth+1).free {
			return no
		}
		if first == nil {
			first = &entryChain{free: true, via: g, pos: calls[0].pos}
		}
	}
	if first == nil {
		return no
	}
	e.memo[f] = first
	return first
}

// callsOf walks g once and returns its calls by callee name. A function
// that calls nothing the rules know holds nothing at any call; one whose
// walk gave up may hold anything anywhere.
func (e *Entries) callsOf(g *flow.Func) map[string][]callSite {
	if s, ok := e.sites[g]; ok {
		return s
	}
	var out map[string][]callSite
	if !relevant(g, e.rs) {
		out = everyCall(g, false)
	} else if r := CheckFunc(g, e.rs, Options{Lang: rules.C, MaxStates: learnMaxStates, recordCalls: true}); r.Degraded {
		out = everyCall(g, true)
	} else {
		out = r.calls
	}
	e.sites[g] = out
	return out
}

// everyCall lists g's calls by callee name, each holding a lock or not.
func everyCall(g *flow.Func, holdsAny bool) map[string][]callSite {
	out := map[string][]callSite{}
	eachExpr(g, func(x *flow.Expr) {
		for _, c := range flow.Calls(x) {
			out[c.Name] = append(out[c.Name], callSite{pos: c.Pos, holdsAny: holdsAny})
		}
	})
	return out
}

// noteCall records, for Entries, whether the path holds a lock at call c.
func (w *walker) noteCall(s *state, c *flow.Expr) {
	if w.calls == nil {
		w.calls = map[string][]callSite{}
	}
	holds := s.unknown
	for _, h := range s.held {
		holds = holds || !w.rs.IsCPUState(h.res)
	}
	w.calls[c.Name] = append(w.calls[c.Name], callSite{pos: c.Pos, holdsAny: holds})
}

// unheldByEntry reports a call of a callee that drops and retakes r on a
// path that neither holds r nor released it, in a function entered
// holding nothing: the callee releases a lock nobody holds and returns
// with it taken.
func (w *walker) unheldByEntry(s *state, c *flow.Expr, p *rules.Pair, r string) {
	if w.opt.Entries == nil || w.rs.IsCPUState(r) {
		return
	}
	if _, dropped := s.dropped[r]; dropped || s.external[r] {
		return
	}
	chain := w.opt.Entries.enteredFree(w.f, 0)
	if !chain.free {
		return
	}
	key := reportAt(report.UnheldRelease, c.Pos)
	if w.reported[key] {
		return
	}
	w.reported[key] = true
	why, related := w.opt.Entries.describe(w.f, chain)
	for _, si := range w.sitesOf(r) {
		related = append(related, report.Related{File: si.File, Line: si.Line, Column: si.Col, Message: w.f.Name + " takes " + w.describeKey(r) + " here, on another path"})
	}
	w.add(report.Finding{
		Rule: report.UnheldRelease, File: c.Pos.File, Line: c.Pos.Line, Column: c.Pos.Col,
		Message: fmt.Sprintf("%s drops and retakes %s, so its caller must hold it%s, but nothing holds it here: %s, and this path has not taken it",
			c.Text, w.describeKey(r), learnedWhere(p), why),
		Related: related,
	})
}

// describe says how f is known to be entered holding nothing, and where.
func (e *Entries) describe(f *flow.Func, chain *entryChain) (string, []report.Related) {
	if chain.via == nil {
		return f.Name + " is a system call, entered holding no lock", nil
	}
	var related []report.Related
	var through []string
	callee := f.Name
	for c := chain; c.via != nil && len(related) < maxEntryDepth; c = e.memo[c.via] {
		related = append(related, report.Related{File: c.pos.File, Line: c.pos.Line, Column: c.pos.Col, Message: c.via.Name + " calls " + callee + " holding no lock"})
		through = append(through, c.via.Name)
		callee = c.via.Name
	}
	root := through[len(through)-1]
	why := fmt.Sprintf("every caller of %s calls it holding no lock, down from the system call %s", f.Name, root)
	if len(through) > 1 {
		why += " through " + strings.Join(through[:len(through)-1], ", ")
	}
	return why, related
}

// sitesOf lists where the function takes r on some path.
func (w *walker) sitesOf(r string) []flow.Pos {
	var out []flow.Pos
	for _, k := range w.order {
		si := w.sites[k]
		if si != nil && si.call != nil && slices.Contains(si.res, r) {
			out = append(out, si.pos)
		}
	}
	return out
}
