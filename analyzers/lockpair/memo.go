package lockpair

import (
	"crypto/sha256"
	"slices"
	"sync"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/rules"
)

// Summaries keeps, for one run, what learning's walk made of each
// definition fetched from elsewhere in the tree (flow.Func.Fetched). A
// scan learns per directory, and the definitions one directory fetches
// (d_walk, __mark_inode_dirty) most others fetch too: each was walked
// again in each. What the walk concludes depends on the function and on
// the rule entries it read, the directory's own learned pairs among
// them; so a walk is reused only where every entry it read answers the
// same (rules.Reads, rules.Set.Sum). What Learn finds is then what
// walking again would find, whatever the order of the directories and
// whatever was dropped from the memo to bound it.
//
// A Summaries serves one base rule set and one language; Learn walks
// afresh when given another.
type Summaries struct {
	mu    sync.Mutex
	lang  rules.Lang
	cur   map[string][]*summary // by definition, see defKey
	old   map[string][]*summary
	reads int // entries read by the summaries of cur, the size of cur
	hits  int // walks answered from the memo
}

// summaryBudget bounds the rule entries read by the summaries kept per
// generation: a hit in the older generation moves the summary to the
// newer, and the older is dropped when the newer fills (the whole tree
// fetches tens of thousands of definitions).
const summaryBudget = 400_000

// maxVariants bounds the summaries kept of one definition: one walked
// under many different rule contexts keeps the latest.
const maxVariants = 4

// summary is one walk of a definition and what it read.
type summary struct {
	reads *rules.Reads
	sum   [sha256.Size]byte // what the reads answered
	r     learnt
}

// learnt is what learning uses of a walk: the Result without its
// findings, and whether there were any.
type learnt struct {
	Result
	quiet bool // no finding
}

// NewSummaries returns an empty memo for lang.
func NewSummaries(lang rules.Lang) *Summaries {
	return &Summaries{lang: lang}
}

// walk is learning's walk of f under rs: from the memo when f was
// fetched and walked before under rules that answer alike.
func (s *Summaries) walk(f *flow.Func, rs *rules.Set, lang rules.Lang) learnt {
	opt := Options{Lang: lang, MaxStates: learnMaxStates}
	if s == nil || !f.Fetched || lang != s.lang {
		return learntOf(CheckFunc(f, rs, opt))
	}
	key := defKey(f)
	for _, sm := range s.get(key) {
		if rs.Sum(sm.reads) == sm.sum {
			s.mu.Lock()
			s.hits++
			s.mu.Unlock()
			return sm.r.clone()
		}
	}
	reads := &rules.Reads{}
	r := learntOf(CheckFunc(f, rs.Traced(reads), opt))
	reads.Trim()
	s.put(key, &summary{reads: reads, sum: rs.Sum(reads), r: r.clone()})
	return r
}

func learntOf(r Result) learnt {
	quiet := len(r.Findings) == 0
	r.Findings, r.OutOfView, r.walkMay = nil, nil, nil
	return learnt{Result: r, quiet: quiet}
}

// defKey names a fetched definition: its place and name. A definition
// dropped from check's budget and lowered again is the same function.
func defKey(f *flow.Func) string {
	return f.Pos.String() + "\x00" + f.Name
}

func (s *Summaries) get(key string) []*summary {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sms, ok := s.cur[key]; ok {
		return sms
	}
	sms, ok := s.old[key]
	if ok {
		delete(s.old, key)
		s.keep(key, sms)
	}
	return sms
}

func (s *Summaries) put(key string, sm *summary) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sms := s.cur[key]
	if sms == nil {
		sms = s.old[key]
		delete(s.old, key)
	}
	for _, o := range sms {
		if o.sum == sm.sum {
			return // walked twice at once
		}
	}
	if len(sms) >= maxVariants {
		sms = sms[1:]
	}
	s.keep(key, append(slices.Clip(sms), sm))
}

// keep stores sms under key in the newer generation.
func (s *Summaries) keep(key string, sms []*summary) {
	if s.cur == nil {
		s.cur = map[string][]*summary{}
	}
	for _, o := range s.cur[key] {
		s.reads -= o.reads.Len() + 1
	}
	for _, o := range sms {
		s.reads += o.reads.Len() + 1
	}
	s.cur[key] = sms
	if s.reads > summaryBudget {
		s.old, s.cur, s.reads = s.cur, map[string][]*summary{}, 0
	}
}

// clone returns a copy that shares nothing Learn changes: the pairs it
// adds to a rule set are its own.
func (l learnt) clone() learnt {
	c := l
	if l.Wrapper != nil {
		c.Wrapper = l.Wrapper.Clone()
	}
	c.Releases = slices.Clone(l.Releases)
	c.MayRelease = slices.Clone(l.MayRelease)
	c.Needs = slices.Clone(l.Needs)
	c.Takes = nil
	for _, p := range l.Takes {
		c.Takes = append(c.Takes, p.Clone())
	}
	return c
}
