package lockpair

import (
	"slices"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/rules"
)

// Learn finds the wrappers among funcs — functions that leave a resource
// held on every (success) exit, or release one they did not take — and
// adds them to rs as pairs, returning what it added. Wrappers of wrappers
// are found by repeating until nothing new is learned. An acquire wrapper
// of several resources (set_reader_nsproxy: a lock and a tag bit) pairs
// with the release wrapper that releases exactly those resources
// (clear_reader_nsproxy), and with nothing that releases only part.
func Learn(funcs []*flow.Func, rs *rules.Set, lang rules.Lang) []*rules.Pair {
	return LearnWith(funcs, rs, lang, nil)
}

// LearnWith is Learn with a memo of the walks of fetched definitions,
// shared by the calls of one run (nil: none). What it learns is what
// Learn learns.
func LearnWith(funcs []*flow.Func, rs *rules.Set, lang rules.Lang, sums *Summaries) []*rules.Pair {
	calls := calledBy{}
	funcs = calleesFirst(funcs, calls)
	var learned []*rules.Pair
	known := map[string]bool{}
	wrappers := map[string]*rules.Pair{} // acquire wrappers learned, by name
	// After the first round only a function that calls something learned
	// in the round before can change its summary: walk only those.
	var fresh map[string]bool
	walked := walkedNeutral{}
	for round := 0; round < 4; round++ {
		added := 0
		newNames := map[string]bool{}
		for _, f := range funcs {
			if f.Partial || f.Degraded {
				continue
			}
			if fresh != nil && !calls.any(f, fresh) {
				continue
			}
			if known[f.Name] {
				// Learned before a callee was: mm_take_all_locks looked
				// held on every exit until mm_drop_all_locks was known to
				// drop the lock on its -EINTR path.
				if p := wrappers[f.Name]; p != nil && fresh != nil {
					if r := sums.walk(f, rs, lang); r.Wrapper != nil && sameSet(r.Wrapper.Holds(), p.Holds()) && r.Wrapper.When != p.When {
						p.When = r.Wrapper.When
						newNames[f.Name] = true
						added++
					}
				}
				continue
			}
			if len(rs.Acquires(f.Name)) > 0 || len(rs.Releases(f.Name)) > 0 {
				continue // a rule pack already says what it does
			}
			// A function too branchy to summarise quickly is no wrapper.
			r := sums.walk(f, rs, lang)
			if round == 0 {
				walked.note(f, r)
			}
			switch {
			case r.Wrapper != nil && f.Fetched && !namesArgument(r.Wrapper) && !fileLocal(f):
				// Read from elsewhere only for its contract: a wrapper of
				// global state (schedule() looks like it keeps preempt
				// disabled) is a summary the caller cannot check. A
				// file-local one is called only by the definitions fetched
				// from its file (rtnl_lock_unregistering_all), whose
				// contracts need it.
			case r.Wrapper != nil:
				r.Wrapper.Links = paramLinks(f)
				known[f.Name] = true
				newNames[f.Name] = true
				wrappers[f.Name] = r.Wrapper
				rs.AddPair(r.Wrapper)
				learned = append(learned, r.Wrapper)
				added++
			case len(r.Releases) > 0 && f.Fetched && !fileLocal(f) && !slices.ContainsFunc(r.Releases, isArgument):
				// The other half of the rule above: genl_unlock() read
				// from elsewhere, kept while the genl_lock() it pairs with
				// is not, makes every function that calls both through
				// helpers look like a bare release of genl_mutex.
			case len(r.Releases) > 0:
				known[f.Name] = true
				newNames[f.Name] = true
				p := &rules.Pair{Name: f.Name, Lang: lang, Release: []string{f.Name}, Resources: r.Releases,
					Learned: r.learnedAt(f), Balanced: anyCall(f, func(n string) bool { return len(rs.Acquires(n)) > 0 })}
				rs.AddPair(p)
				learned = append(learned, p)
				added++
			}
			if round == 0 && takesContract(f, r.Result) && len(rs.Takes(f.Name)) == 0 {
				// What a balanced file-local function takes while it runs:
				// a caller in its file holding one of those locks blocks
				// on itself (reg_leave_invalid_chans held the wiphy mutex
				// across reg_wdev_chan_valid, which took it again).
				for _, p := range r.Takes {
					rs.AddPair(p)
					learned = append(learned, p)
				}
			}
			if len(r.Needs) > 0 && len(rs.Needs(f.Name)) == 0 {
				// It drops its caller's lock and takes it back: a caller
				// that does not hold it releases an unheld lock.
				p := &rules.Pair{Name: f.Name, Lang: lang, Needs: true, Resources: r.Needs, Learned: r.learnedAt(f)}
				rs.AddPair(p)
				learned = append(learned, p)
			}
			if len(r.MayRelease) > 0 {
				// Besides what it always does, it may drop a caller's lock.
				known[f.Name] = true
				newNames[f.Name] = true
				p := &rules.Pair{Name: f.Name, Lang: lang, Release: []string{f.Name}, Resources: r.MayRelease,
					Maybe: true, Learned: r.learnedAt(f)}
				rs.AddPair(p)
				learned = append(learned, p)
				added++
			}
		}
		matchReleases(learned)
		if added == 0 {
			break
		}
		fresh = newNames
	}
	if dialectOf(lang).opaque {
		// After the body-learned summaries, which are exact where they
		// exist: annotations fill in what the walk could not summarise.
		learned = append(learned, annotatedReleases(funcs, rs, lang)...)
		learned = append(learned, spreadMayRelease(funcs, rs, lang, calls)...)
		callbacks(funcs, rs, lang) // hints for the check, not wrappers to print
		learned = append(learned, neutrals(funcs, rs, lang, walked)...)
		learned = append(learned, irqEnablers(funcs, rs, lang)...)
		learned = append(learned, predicates(funcs, rs, lang)...)
	}
	return learned
}

// spreadMayRelease carries "may release" up the call graph: a function
// that calls one that may drop its argument's lock (send_rcom calls
// dlm_midcomms_commit_mhandle) may drop it too. The walk-based rounds
// above learn each function once; this lexical pass repeats until no
// summary grows.
func spreadMayRelease(funcs []*flow.Func, rs *rules.Set, lang rules.Lang, calls calledBy) []*rules.Pair {
	var added []*rules.Pair
	maybe := map[string]*rules.Pair{}
	for _, p := range rs.Pairs() {
		if p.Maybe && len(p.Release) == 1 {
			maybe[p.Release[0]] = p
		}
	}
	var grown map[string]bool // functions whose summary grew in the round before
	for round := 0; round < 4; round++ {
		grew := map[string]bool{}
		for _, f := range funcs {
			if f.Partial || f.Degraded || fromPackName(rs, f.Name) || grown != nil && !calls.any(f, grown) {
				continue
			}
			w := &walker{f: f, rs: rs, opt: Options{Lang: lang}}
			var always []string
			for _, p := range rs.Releases(f.Name) {
				if !p.Maybe {
					always = append(always, p.Holds()...)
				}
			}
			may := w.mayRelease(always)
			if len(may) == 0 {
				continue
			}
			p := maybe[f.Name]
			if p == nil {
				p = &rules.Pair{Name: f.Name, Lang: lang, Release: []string{f.Name}, Maybe: true, Learned: f.Pos.String()}
				maybe[f.Name] = p
				rs.AddPair(p)
				added = append(added, p)
			}
			for _, t := range may {
				if !slices.Contains(p.Resources, t) {
					p.Resources = append(p.Resources, t)
					grew[f.Name] = true
				}
			}
		}
		if len(grew) == 0 {
			break
		}
		grown = grew
	}
	return added
}

// fromPackName reports whether a rule pack (not learning) says what fn does.
func fromPackName(rs *rules.Set, fn string) bool {
	for _, p := range rs.Acquires(fn) {
		if fromPack(p) {
			return true
		}
	}
	for _, p := range rs.Releases(fn) {
		if fromPack(p) {
			return true
		}
	}
	return false
}

// calledBy keeps, for one Learn, the names each function calls: its
// rounds ask again and again whether a function calls one of a few
// names, and listing the calls walks every expression of the body
// (callNames was 2.7% of a whole-tree scan's CPU).
type calledBy map[*flow.Func][]string

func (c calledBy) names(f *flow.Func) []string {
	n, ok := c[f]
	if !ok {
		n = callNames(f)
		c[f] = n
	}
	return n
}

// any reports whether f calls one of names.
func (c calledBy) any(f *flow.Func, names map[string]bool) bool {
	return slices.ContainsFunc(c.names(f), func(n string) bool { return names[n] })
}

// takesContract reports whether what f takes while it runs (r.Takes) is
// a contract for its callers: f is balanced (no wrapper, releases
// nothing of its caller's) and file-local, so its callers are the
// functions of its file, which call it by name. A function of a header
// or an exported one is reached from other files, often by callers that
// hold the lock on paths where it does not take it (put_css_set, a
// header's inline, takes css_set_lock only for the last reference).
func takesContract(f *flow.Func, r Result) bool {
	return r.Wrapper == nil && len(r.Releases) == 0 && len(r.MayRelease) == 0 && fileLocal(f)
}

// fileLocal reports whether f is a C static function outside a header:
// only its own file can call it.
func fileLocal(f *flow.Func) bool {
	return f.Static && !strings.HasSuffix(f.Pos.File, ".h")
}

// callNames returns the names f calls, in its events and the bodies they
// carry, in order.
func callNames(f *flow.Func) []string {
	var out []string
	for c := range f.EventCalls() {
		out = append(out, c.Name)
	}
	return out
}

// calleesFirst orders funcs so that each comes after the functions of
// funcs it calls (a cycle keeps the order it met them in). The first
// round of Learn then summarises a callee before its callers, and a
// summary once learned is not revisited unless it is an acquire wrapper:
// definitions fetched from other files arrive after the code that calls
// them, and rtnl_link_unregister, summarised before the
// rtnl_lock_unregistering_all it calls, looked like a bare release.
func calleesFirst(funcs []*flow.Func, calls calledBy) []*flow.Func {
	byName := map[string][]int{}
	for i, f := range funcs {
		byName[f.Name] = append(byName[f.Name], i)
	}
	const (
		unseen = iota
		open
		done
	)
	mark := make([]int, len(funcs))
	out := make([]*flow.Func, 0, len(funcs))
	var visit func(i int)
	visit = func(i int) {
		if mark[i] != unseen {
			return
		}
		mark[i] = open
		for _, name := range calls.names(funcs[i]) {
			for _, j := range byName[name] {
				visit(j)
			}
		}
		mark[i] = done
		out = append(out, funcs[i])
	}
	for i := range funcs {
		visit(i)
	}
	return out
}

const learnMaxStates = 3000

func (r Result) learnedAt(f *flow.Func) string { return f.Pos.String() }

// matchReleases pairs each learned acquire wrapper with the learned release
// wrappers that release the same set of resources.
func matchReleases(learned []*rules.Pair) {
	for _, a := range learned {
		if len(a.Acquire) == 0 {
			continue
		}
		for _, r := range learned {
			if len(r.Acquire) != 0 || r.Maybe || !sameSet(a.Holds(), r.Holds()) {
				continue
			}
			// The matching release wrapper comes first: it is the fix
			// to suggest (acct_unlock(a), not spin_unlock_bh(a)).
			for _, name := range r.Release {
				if !a.ReleasedBy(name) {
					a.Release = append([]string{name}, a.Release...)
				}
			}
		}
	}
}

func sameSet(a, b []string) bool {
	x := slices.Clone(a)
	y := slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(slices.Compact(x), slices.Compact(y))
}

// annotatedReleases turns __releases(x) annotations into release pairs:
// the definition promises the release, even where its body is too branchy
// to walk (handle_cap_grant). RCU is the rcu resource; anything else is
// matched at the call by its last field, the object's name being the
// callee's (ci, iclog->ic_log) rather than the caller's.
func annotatedReleases(funcs []*flow.Func, rs *rules.Set, lang rules.Lang) []*rules.Pair {
	var out []*rules.Pair
	for _, f := range funcs {
		if len(f.Releases) == 0 || f.Partial || fromPackName(rs, f.Name) || len(rs.Acquires(f.Name)) > 0 {
			continue
		}
		if certainRelease(rs, f.Name) {
			matchByField(rs.Releases(f.Name), f.Releases)
			continue
		}
		for _, a := range f.Releases {
			p := &rules.Pair{Name: f.Name, Lang: lang, Release: []string{f.Name}, Learned: f.Pos.String()}
			switch field, global := lastField(a), rs.AnnotatedGlobal(a); {
			case global != "":
				p.Resources = []string{global}
			case field != "":
				p.Field = field
			default:
				continue
			}
			rs.AddPair(p)
			out = append(out, p)
		}
	}
	return out
}

// matchByField: the body says what a function releases in its own
// names ($0->ic_log->l_icloglock); where its __releases annotation names
// the same lock through another object's pointer (iclog->ic_log), the
// caller, which holds it as log->l_icloglock, can only match it by its
// last field, as for an annotation alone.
func matchByField(pairs []*rules.Pair, annotated []string) {
	for _, a := range annotated {
		field := lastField(a)
		if strings.Count(a, "->")+strings.Count(a, ".") < 2 || field == "" {
			continue
		}
		for _, p := range pairs {
			if !p.Maybe && p.Field == "" && len(p.Holds()) == 1 && lastField(p.Holds()[0]) == field {
				p.Field = field
			}
		}
	}
}

// lastField is f of x->f or x.f, or "" for a bare name.
func lastField(x string) string {
	i := max(strings.LastIndex(x, "->")+1, strings.LastIndex(x, "."))
	if i <= 0 || i+1 >= len(x) {
		return ""
	}
	f := strings.TrimSpace(x[i+1:])
	for j := 0; j < len(f); j++ {
		if !isIdentByte(f[j]) {
			return ""
		}
	}
	return f
}

// certainRelease reports whether fn already has a release summary that is
// not a "maybe".
func certainRelease(rs *rules.Set, fn string) bool {
	for _, p := range rs.Releases(fn) {
		if !p.Maybe {
			return true
		}
	}
	return false
}

// callbacks marks the functions whose bodies release some lock, for when
// they are passed as function pointers (kref_put(&zhdr->refcount,
// release_z3fold_page_locked)): what they drop is named through a
// container_of the summaries cannot follow, so the call they are handed
// to may drop a lock of the object it is given.
func callbacks(funcs []*flow.Func, rs *rules.Set, lang rules.Lang) []*rules.Pair {
	return learnPairs(funcs, rs, lang, func(f *flow.Func) bool {
		return !rs.Callback(f.Name) && releasesSomething(f, rs)
	}, func(p *rules.Pair) { p.Callback = true })
}

// learnPairs adds to rs, and returns, a pair learned from each function
// of funcs shown whole that want picks, in order (a pair added counts for
// the functions after it); mark says what the pair is.
func learnPairs(funcs []*flow.Func, rs *rules.Set, lang rules.Lang, want func(*flow.Func) bool, mark func(*rules.Pair)) []*rules.Pair {
	var out []*rules.Pair
	for _, f := range funcs {
		if f.Partial || !want(f) {
			continue
		}
		p := &rules.Pair{Name: f.Name, Lang: lang, Learned: f.Pos.String()}
		mark(p)
		rs.AddPair(p)
		out = append(out, p)
	}
	return out
}

func releasesSomething(f *flow.Func, rs *rules.Set) bool {
	for _, b := range f.Blocks {
		for _, ev := range b.Events {
			for _, c := range flow.Calls(ev.X) {
				if len(rs.Releases(c.Name)) > 0 {
					return true
				}
			}
		}
	}
	return false
}

// namesArgument reports whether a wrapper's resources hang off an
// argument or the result.
func namesArgument(p *rules.Pair) bool {
	return slices.ContainsFunc(p.Holds(), isArgument)
}

// isArgument reports whether a learned resource is reached through a
// parameter or the result ($0->lock, $ret->lock).
func isArgument(resource string) bool { return strings.Contains(resource, "$") }
