package check

import (
	"bytes"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/tagcheck/tagcheck/cindex"
	"github.com/tagcheck/tagcheck/cparse"
	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/internal/limits"
	"github.com/tagcheck/tagcheck/rules"
)

// Lock APIs and wrappers are learned from their bodies. The bodies of the
// code under check are not enough: get_foo_desc() that down_read()s and
// returns the object lives in another file, lock_two_nondirectories() in
// fs/inode.c, mas_lock() in a header. Definitions finds, for the calls a
// set of functions makes that nothing explains yet, the one definition of
// each in an indexed tree and lowers just that function, so that Learn
// can summarise it beside the code under check.

// maxDefDepth bounds how far callees of callees are fetched: a wrapper of
// a wrapper (hfs_find_init -> mutex_lock_nested) is two levels down.
const maxDefDepth = 2

// Definitions fetches function definitions from an index of a tree and
// keeps them, lowered, for every later request: a name is read and parsed
// once per run.
type Definitions struct {
	idx  *cindex.Index
	lazy *lazyIndex // nil when idx already covers the whole tree
	opt  cparse.ParseOptions
	mu   sync.Mutex
	// funcs: lowered definitions by name, and file-local ones by file,
	// NUL, name; a nil entry is a name with no usable definition (none,
	// several, or file-local elsewhere).
	funcs lowered
}

// defsBudget bounds the source lines of the definitions kept lowered
// between requests, per generation (see lowered).
const defsBudget = 100_000

// lowered keeps the definitions lowered so far within a budget. A scan of
// the whole tree fetches tens of thousands of them, and keeping each for
// the rest of the run held gigabytes. Two generations: a hit in the
// older one moves the entry to the newer; when the newer passes the
// budget the older is dropped. A dropped definition is read and lowered
// again if asked for: the same text lowers to the same function, so what
// is found does not depend on the budget.
type lowered struct {
	cur, old map[string][]*flow.Func
	curLines int
	budget   int
}

func (l *lowered) get(key string) ([]*flow.Func, bool) {
	if fs, ok := l.cur[key]; ok {
		return fs, true
	}
	fs, ok := l.old[key]
	if ok {
		l.put(key, fs, cost(fs))
	}
	return fs, ok
}

// put keeps fs under key; size is the lines of source it was lowered from.
func (l *lowered) put(key string, fs []*flow.Func, size int) {
	if l.cur == nil {
		l.cur = map[string][]*flow.Func{}
	}
	if _, ok := l.cur[key]; !ok {
		l.curLines += size + 1 // a name with no definition costs its key
	}
	l.cur[key] = fs
	if l.curLines > l.budget {
		l.old, l.cur, l.curLines = l.cur, map[string][]*flow.Func{}, 0
	}
}

// cost is the lines of source fs was lowered from.
func cost(fs []*flow.Func) int {
	n := 0
	for _, f := range fs {
		n += f.Lines
	}
	return n
}

// lazyIndex is what is left to index of a tree. A check wants the
// definitions of a few dozen names: indexing every file of the kernel
// for them costs ~20 s. A name is defined only in files where it stands
// as a definition's name could, so an index of those files answers
// Lookup for it exactly as the whole tree's would. One pass over the
// tree (cindex.Survey) records in which files each identifier so stands,
// for every depth of the lookup at once, and which members each file
// accesses, for the readers of a newly tagged field; with a cache, a
// file that has not changed since the last run is not read at all.
type lazyIndex struct {
	root     string        // the tree, as the files are named from it
	listed   chan struct{} // closed when files, unread and kept (or listErr) are set
	files    []string
	listErr  error
	kept     *cindex.SummaryCache // what the cache held of the tree
	unread   []bool               // files not indexed yet
	searched map[string]bool
	workers  int
	cache    *Cache // nil: no cache
	survey   *cindex.Survey
	// fields are the members the readers' search will ask the survey of
	// (see Expect).
	fields []string
}

// list lists the tree's files and reads the cache's summaries of them.
func (l *lazyIndex) list() {
	defer close(l.listed)
	l.files, l.listErr = cindex.Files([]string{l.root})
	l.unread = make([]bool, len(l.files))
	for i := range l.unread {
		l.unread[i] = true
	}
	l.kept = l.cache.summaries(l.root)
}

// NewDefinitions starts listing the C files of the tree at root, and
// reading what the cache kept of them, while the caller parses its
// patch: they are indexed as definitions are asked for (see For). cache,
// when not nil, keeps what the pass over the tree learns of each file
// for the next run (see Keep). A root that is not a directory is an
// error at once; one that cannot be listed whole, at the first lookup.
func NewDefinitions(root string, opt cparse.ParseOptions, workers int, cache *Cache) (*Definitions, error) {
	fi, err := os.Stat(root)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s: not a directory", root)
	}
	d := newDefinitions(&cindex.Index{}, opt)
	l := &lazyIndex{root: root, listed: make(chan struct{}), searched: map[string]bool{}, workers: workers, cache: cache}
	go l.list()
	d.lazy = l
	return d, nil
}

func newDefinitions(idx *cindex.Index, opt cparse.ParseOptions) *Definitions {
	return &Definitions{idx: idx, opt: opt, funcs: lowered{budget: defsBudget}}
}

// Indexed returns the number of files indexed so far.
func (d *Definitions) Indexed() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.idx.Files
}

// For returns the definitions, elsewhere in the indexed tree, of the
// functions that funcs call and that neither rs nor funcs explain, and
// of what those call in turn (up to maxDefDepth levels). Only a name
// with exactly one definition visible from other files (not static, or
// static inline in a header) is used: kernel names defined twice are
// per-architecture or per-config variants that need not agree.
func (d *Definitions) For(funcs []*flow.Func, rs *rules.Set) ([]*flow.Func, error) {
	have := map[string]bool{}
	for _, f := range funcs {
		have[f.Name] = true
	}
	var out []*flow.Func
	seen := map[string]bool{} // file, NUL, name: file-local calls looked up
	frontier := funcs
	for depth := 0; depth < maxDefDepth && len(frontier) > 0; depth++ {
		names := unexplained(frontier, rs, have)
		if err := d.index(names); err != nil {
			return nil, err
		}
		var next []*flow.Func
		for _, name := range names {
			have[name] = true
			fs, err := d.lookup(name)
			if err != nil {
				return nil, err
			}
			next = append(next, fs...)
		}
		local, err := d.withStatics(next, rs, seen)
		if err != nil {
			return nil, err
		}
		next = append(next, local...)
		out = append(out, next...)
		frontier = next
	}
	return out, nil
}

// index adds to the index the files not yet indexed that may define one
// of names not searched for before.
func (d *Definitions) index(names []string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	l := d.lazy
	if l == nil {
		return nil
	}
	var fresh []string
	for _, n := range names {
		if !l.searched[n] {
			l.searched[n] = true
			fresh = append(fresh, n)
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	wanted := cindex.NewNames(fresh)
	s, err := l.surveyed(wanted)
	if err != nil {
		return err
	}
	_, at, err := s.Defining(wanted, l.unread)
	if err != nil {
		return err
	}
	idx, lexed, err := s.Index(at, wanted, l.workers)
	if err != nil {
		return err
	}
	for _, i := range lexed {
		l.unread[i] = false
	}
	d.idx.Merge(idx)
	return nil
}

// surveyed returns the survey of the tree, made on first use, with
// ahead (nil: none) the names of the first lookup (see cindex.NewSurvey),
// or why the tree could not be listed. Called with d.mu held.
func (l *lazyIndex) surveyed(ahead *cindex.Names) (*cindex.Survey, error) {
	<-l.listed
	if l.listErr != nil {
		return nil, l.listErr
	}
	if l.survey == nil {
		o := cindex.SurveyOptions{Workers: l.workers, Cache: l.kept, Ahead: ahead}
		if l.cache == nil {
			// Nothing is kept: summarize only the members the readers'
			// search will ask of.
			o.Fields = append([]string{}, l.fields...)
		}
		l.survey = cindex.NewSurvey(l.files, o)
	}
	return l.survey, nil
}

// Expect says which members the readers' search will ask the survey of
// (accessing): without a cache to keep the survey for later runs, only
// those are summarized. Asked of another member, such a survey does not
// answer, and the search reads the tree itself. Expect after the survey
// is made changes nothing.
func (d *Definitions) Expect(fields []string) {
	if d == nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.lazy != nil && d.lazy.survey == nil {
		d.lazy.fields = append(d.lazy.fields, fields...)
	}
}

// accessing returns the files of tree that may access a member named
// word (see cindex.Survey.Accessing); ok is false when d holds no survey
// of tree.
func (d *Definitions) accessing(tree, word string) (files []string, ok bool, err error) {
	if d == nil {
		return nil, false, nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.lazy == nil || d.lazy.root != tree {
		return nil, false, nil
	}
	s, err := d.lazy.surveyed(nil)
	if err != nil {
		return nil, false, err
	}
	files, ok = s.Accessing(word)
	return files, ok, nil
}

// Keep stores the survey of the tree in the cache, when there is one and
// the survey learned something the cache did not hold.
func (d *Definitions) Keep() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	l := d.lazy
	if l == nil || l.cache == nil || l.survey == nil || !l.survey.Changed() {
		return nil
	}
	return l.cache.storeSummaries(l.root, l.survey.Encode())
}

// unexplained returns, sorted, the names funcs call that rs knows nothing
// of and that are not in have.
func unexplained(funcs []*flow.Func, rs *rules.Set, have map[string]bool) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range funcs {
		for _, name := range calledNames(f) {
			if seen[name] || have[name] || len(rs.Acquires(name)) > 0 || len(rs.Releases(name)) > 0 || rs.NoReturn(name) {
				continue
			}
			seen[name] = true
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// calledNames returns the plain names f calls, in its events and branch
// conditions. A loop macro's head is left out: no function defines it,
// and it stands like a definition in every body that loops with it, so
// that the survey of a tree took 2,777 files for list_for_each_entry
// alone and followed their braces. So is a call through one of f's
// parameters, which hides any function of its name: idr_for_each calls
// its fn, iterate_mounts its f, free_ipcs its free, and the lookup of
// those three names lexed 590 files of the tree, each defining a "fn",
// "f" or "free" of its own, to use none of them.
func calledNames(f *flow.Func) []string {
	var out []string
	add := func(x *flow.Expr) {
		for _, c := range flow.Calls(x) {
			if c.Name != "" && !c.LoopHead && !strings.ContainsAny(c.Name, ".>*( ") && !isParam(f, c.Name) {
				out = append(out, c.Name)
			}
		}
	}
	for _, b := range f.Blocks {
		for _, ev := range b.Events {
			add(ev.X)
		}
		for _, e := range b.Succs {
			add(e.Cond)
		}
	}
	return out
}

// isParam reports whether name is one of f's parameters.
func isParam(f *flow.Func, name string) bool {
	for _, p := range f.Params {
		if p.Name == name {
			return true
		}
	}
	return false
}

// lookup lowers the one usable definition of name, or returns nil.
func (d *Definitions) lookup(name string) ([]*flow.Func, error) {
	d.mu.Lock()
	fs, ok := d.funcs.get(name)
	d.mu.Unlock()
	if ok {
		return fs, nil
	}
	fs, err := d.load(name)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	d.funcs.put(name, fs, cost(fs))
	d.mu.Unlock()
	return fs, nil
}

func (d *Definitions) load(name string) ([]*flow.Func, error) {
	d.mu.Lock()
	defs := d.idx.Lookup(name)
	d.mu.Unlock()
	var use []cindex.Def
	for _, def := range defs {
		if !def.Static || strings.HasSuffix(def.File, ".h") {
			use = append(use, def)
		}
	}
	if len(use) != 1 {
		return nil, nil
	}
	return d.parseDef(use[0], name)
}

// withStatics returns the file-local definitions that fetched functions
// call, and those they call in turn: a static function of the file a
// definition was read from is the one that file's calls reach, whatever
// other files define under its name, and it costs no depth. Without it,
// rtnl_link_unregister (rtnl_lock_unregistering_all(); ...;
// rtnl_unlock()) read from net/core/rtnetlink.c looks like a bare
// release of rtnl_mutex, and two calls to it like a double release.
func (d *Definitions) withStatics(fetched []*flow.Func, rs *rules.Set, seen map[string]bool) ([]*flow.Func, error) {
	var out []*flow.Func
	for frontier := fetched; len(frontier) > 0; {
		var next []*flow.Func
		for _, f := range frontier {
			for _, name := range calledNames(f) {
				key := f.Pos.File + "\x00" + name
				if seen[key] || len(rs.Acquires(name)) > 0 || len(rs.Releases(name)) > 0 {
					continue
				}
				seen[key] = true
				fs, err := d.lookupIn(f.Pos.File, name)
				if err != nil {
					return nil, err
				}
				next = append(next, fs...)
			}
		}
		out = append(out, next...)
		frontier = next
	}
	return out, nil
}

// lookupIn lowers the static definition of name in file, or returns nil.
func (d *Definitions) lookupIn(file, name string) ([]*flow.Func, error) {
	key := file + "\x00" + name
	d.mu.Lock()
	fs, ok := d.funcs.get(key)
	var local []cindex.Def
	if !ok {
		for _, def := range d.idx.Lookup(name) {
			if def.Static && def.File == file {
				local = append(local, def)
			}
		}
	}
	d.mu.Unlock()
	if ok {
		return fs, nil
	}
	var err error
	if len(local) == 1 {
		if fs, err = d.parseDef(local[0], name); err != nil {
			return nil, err
		}
	}
	d.mu.Lock()
	d.funcs.put(key, fs, cost(fs))
	d.mu.Unlock()
	return fs, nil
}

// parseDef reads def from its file and lowers just that function.
func (d *Definitions) parseDef(def cindex.Def, name string) ([]*flow.Func, error) {
	if def.Start < 0 || def.Start >= def.End {
		return nil, nil
	}
	text, ok, err := limits.ReadRange(def.File, "--max-file", limits.DefaultSource, int64(def.Start), def.End-def.Start)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", def.File, err)
	}
	if !ok || !mayTouchLocks(text) {
		return nil, nil
	}
	// The definition keeps its line numbers, so what is learned from it
	// names the right place; only its own text is read, parsed and kept.
	opt := d.opt
	before := def.StartLine - 1
	opt.PostLine = func(line int) int { return before + line }
	cf, err := cparse.ParseC(def.File, text, opt)
	if err != nil {
		return nil, fmt.Errorf("%s:%d: %s: %w", def.File, def.Line, name, err)
	}
	var out []*flow.Func
	for _, f := range cf.Funcs {
		if f.Name == name && !f.Degraded {
			f.Fetched = true
			out = append(out, f)
		}
	}
	return out, nil
}

// mayTouchLocks is a cheap filter before parsing a definition: a function
// whose text calls nothing at all cannot be a lock wrapper.
func mayTouchLocks(text []byte) bool {
	i := bytes.IndexByte(text, '{')
	return i >= 0 && bytes.IndexByte(text[i:], '(') >= 0
}
