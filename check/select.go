package check

// Selecting what a scan parses. Most functions of a tree neither take a
// lock nor call anything that does. Before tree-sitter runs, the lexical
// pass that indexes the scanned files (cindex) also records every
// function and what it mentions, and the scan keeps:
//
//   - a function that mentions a name the rule packs give a role (an
//     acquire, a release, a callback, an interrupt enabler), or carries a
//     lock annotation (__releases(x)) in its header;
//   - then, until nothing changes, a function that mentions a kept one
//     anywhere in the scanned files: it may be a wrapper of a wrapper, or
//     hand a lock-dropping callback on (the closure over the call graph
//     that learning, which also reads definitions in other directories,
//     needs);
//   - every function of a directory in which some function might write
//     tag bits into a pointer field (a bit operation, a cast and a member
//     access, or a set_bit-style call): the tagged-pointer checks reason
//     across every function of a directory (which parameters a callee
//     dereferences, who calls a tag writer).
//
// The bodies of the others are blanked before parsing (lines and columns
// stay in place) and the emptied functions are dropped: no check sees
// them, and they are counted as skipped. A function none of whose
// mentions is known cannot acquire or release anything, so the lock
// checks and learning are the same without it. Should a tag write turn up
// where the lexical test saw none, scanGroup parses the directory again
// whole.

import (
	"bytes"
	"hash/crc32"
	"path/filepath"
	"sync"

	"github.com/tagcheck/tagcheck/cindex"
	"github.com/tagcheck/tagcheck/cparse"
	"github.com/tagcheck/tagcheck/internal/limits"
	"github.com/tagcheck/tagcheck/rules"
)

// planner gathers, during the lexical pass over the scanned files, what
// every function mentions, and decides which ones to parse.
type planner struct {
	roles map[string]bool // function names the rule packs give a role
	files []string

	mu   sync.Mutex
	ids  map[string]int32 // identifiers of the whole scan, interned
	fns  []plannedFunc
	sums map[int]uint32 // file -> checksum of the text the plan was made from
}

type plannedFunc struct {
	file    int
	nameAt  int
	start   int // the definition's range, kept for tag-write candidates
	body    int // its opening brace
	end     int
	line    int // the line of its name
	name    int32
	idents  []int32
	locking bool // mentions a role name or carries a lock annotation
	tag     bool // may write tag bits
	pred    bool // may be a predicate of one integer (lockpair.predicates)
}

func newPlanner(rs *rules.Set, files []string) *planner {
	return &planner{roles: roleNames(rs), files: files, ids: map[string]int32{}, sums: map[int]uint32{}}
}

// roleNames are the names of every function a rule gives a role.
func roleNames(rs *rules.Set) map[string]bool {
	out := map[string]bool{}
	for _, p := range rs.Pairs() {
		for _, n := range p.Acquire {
			out[n] = true
		}
		for _, n := range p.Release {
			out[n] = true
		}
		if p.Name != "" && (p.Callback || p.EnablesIRQ) {
			out[p.Name] = true
		}
	}
	return out
}

// visit is the cindex.BuildFiles hook: it records file i's functions.
func (p *planner) visit(i int, src []byte, funcs []cindex.Func) {
	local := make([]plannedFunc, len(funcs))
	for j, fn := range funcs {
		local[j] = plannedFunc{
			file:    i,
			nameAt:  fn.NameAt,
			start:   fn.Start,
			body:    fn.Body,
			end:     fn.End,
			line:    fn.Line,
			locking: lockAnnotated(src[fn.Start:fn.Body]) || mentionsAny(fn, p.roles),
			tag:     mayWriteTag(src[fn.Body:fn.End], fn),
			pred:    mayBePredicate(src[fn.Start:fn.Body], fn),
		}
	}
	sum := crc32.Checksum(src, castagnoli)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sums[i] = sum
	for j, fn := range funcs {
		local[j].name = p.intern(fn.Name)
		local[j].idents = make([]int32, len(fn.Idents))
		for k, id := range fn.Idents {
			local[j].idents[k] = p.intern(id)
		}
	}
	p.fns = append(p.fns, local...)
}

func (p *planner) intern(s string) int32 {
	id, ok := p.ids[s]
	if !ok {
		id = int32(len(p.ids))
		p.ids[s] = id
	}
	return id
}

// selector returns the decision: a function is parsed when it takes part
// in locking itself, or mentions (anywhere in the scanned files, which
// is where cross-file learning may find a wrapper) a function that does,
// transitively, or may write tag bits.
func (p *planner) selector(opt cparse.ParseOptions, workers int) *selector {
	relevant := make([]bool, len(p.ids))
	for name := range p.roles {
		if id, ok := p.ids[name]; ok {
			relevant[id] = true
		}
	}
	keep := make([]bool, len(p.fns))
	for i, fn := range p.fns {
		if fn.locking {
			keep[i] = true
			relevant[fn.name] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for i, fn := range p.fns {
			if keep[i] || !mentionsRelevant(fn.idents, relevant) {
				continue
			}
			keep[i] = true
			relevant[fn.name] = true
			changed = true
		}
	}
	keepPredicates(p.fns, keep)
	names := make([]string, len(p.ids))
	for s, id := range p.ids {
		names[id] = s
	}
	tagDirs := p.tagDirs(opt, workers)
	sel := &selector{plans: map[string]*filePlan{}}
	for i, fn := range p.fns {
		path := p.files[fn.file]
		if keep[i] || tagDirs[filepath.Dir(path)] {
			continue
		}
		fp := sel.plans[path]
		if fp == nil {
			fp = &filePlan{sum: p.sums[fn.file], names: map[int]string{}}
			sel.plans[path] = fp
		}
		fp.names[fn.nameAt] = names[fn.name]
		fp.blank = append(fp.blank, bodySpan{nameAt: fn.nameAt, body: fn.body, end: fn.end, line: fn.line})
	}
	return sel
}

// keepPredicates keeps the possible predicates of one integer that a kept
// function mentions: a lock taken under a local set from one
// (needs_rtnl = getsockopt_needs_rtnl(optname)) is judged by what the
// predicate returns for the cases the function goes on to test.
func keepPredicates(fns []plannedFunc, keep []bool) {
	mentioned := map[int32]bool{}
	for i, fn := range fns {
		if keep[i] {
			for _, id := range fn.idents {
				mentioned[id] = true
			}
		}
	}
	for i, fn := range fns {
		if fn.pred && mentioned[fn.name] {
			keep[i] = true
		}
	}
}

// mayBePredicate reports whether a definition, by its header and size,
// may be a predicate of one integer: it returns bool and takes one
// argument that is no pointer, and its body is short.
func mayBePredicate(header []byte, fn cindex.Func) bool {
	open := bytes.IndexByte(header, '(')
	if open < 0 || fn.End-fn.Body > 1024 || !bytes.Contains(header[:open], []byte("bool")) {
		return false
	}
	params := header[open:]
	return !bytes.ContainsAny(params, "*,") && !bytes.Contains(params, []byte("void"))
}

// tagDirs returns the directories that write tag bits, which are parsed
// whole: the tagged-pointer checks read every function of such a
// directory (which parameters a callee dereferences, who calls a tag
// writer). The lexical test lets through many functions that only look
// like tag writers ((unsigned long) casts and flags are everywhere), so
// each candidate is parsed on its own and asked; one that cannot be read
// counts as a tag writer.
func (p *planner) tagDirs(opt cparse.ParseOptions, workers int) map[string]bool {
	byFile := map[int][]plannedFunc{}
	var order []int
	for _, fn := range p.fns {
		if fn.tag {
			if byFile[fn.file] == nil {
				order = append(order, fn.file)
			}
			byFile[fn.file] = append(byFile[fn.file], fn)
		}
	}
	var mu sync.Mutex
	out := map[string]bool{}
	forEach(len(order), workers, func(i int) {
		path := p.files[order[i]]
		dir := filepath.Dir(path)
		mu.Lock()
		done := out[dir]
		mu.Unlock()
		if done || !writesTagsIn(path, byFile[order[i]], opt) {
			return
		}
		mu.Lock()
		out[dir] = true
		mu.Unlock()
	})
	return out
}

// forEach calls fn(0) ... fn(n-1) on workers goroutines.
func forEach(n, workers int, fn func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < max(workers, 1); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// writesTagsIn parses the candidates of one file alone (each at its own
// lines) and reports whether one of them writes tag bits.
func writesTagsIn(path string, cands []plannedFunc, opt cparse.ParseOptions) bool {
	// The planner's index left out what is over this limit; the file
	// may have changed since.
	src, err := limits.ReadRegular(path, "--max-file", limits.DefaultSource)
	if err != nil {
		return true
	}
	for _, c := range cands {
		if c.end > len(src) || c.start >= c.end {
			return true
		}
		unit := append(bytes.Repeat([]byte("\n"), bytes.Count(src[:c.start], []byte("\n"))), src[c.start:c.end]...)
		cf, err := cparse.ParseC(path, unit, opt)
		if err != nil || writesTags([]*cparse.CFile{cf}) {
			return true
		}
	}
	return false
}

func mentionsRelevant(ids []int32, relevant []bool) bool {
	for _, id := range ids {
		if relevant[id] {
			return true
		}
	}
	return false
}

// selector is the plan of a scan: per file, the functions whose bodies
// are blanked.
type selector struct {
	plans map[string]*filePlan
}

// filePlan is what the plan blanks in one file, and the checksum of the
// text it was made from. It is all of the plan a scan keeps: the
// identifiers every function mentions (a third of the heap at the
// lexical pass's end over the whole tree) are dropped once the selection
// is made, and the collector does not mark them through every directory
// after.
type filePlan struct {
	sum   uint32
	blank []bodySpan
	names map[int]string // NameAt -> name, for a text that changed since
}

// bodySpan is where a function to blank stands in its file.
type bodySpan struct {
	nameAt, body, end int // offsets of its name, its opening brace, and past its closing one
	line              int // the line of its name
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// prepare is the scan's cparse Prepare hook: it blanks the bodies of the
// functions of path that cannot matter and drops them after parsing.
func (s *selector) prepare(path string, src []byte) ([]byte, func(*cparse.CFile)) {
	fp := s.plans[path]
	if fp == nil {
		return src, nil
	}
	spans := fp.spans(src)
	if len(spans) == 0 {
		return src, nil
	}
	out := bytes.Clone(src)
	type lines struct{ name, end int }
	blanked := map[lines]bool{}
	for _, sp := range spans {
		for i := sp.body + 1; i < sp.end-1; i++ {
			if out[i] != '\n' {
				out[i] = ' '
			}
		}
		blanked[lines{sp.line, sp.line + bytes.Count(src[sp.nameAt:sp.end], []byte{'\n'})}] = true
	}
	return out, func(cf *cparse.CFile) {
		// Skipped counts every body blanked, also one the front end
		// names differently (it stays, empty): the count is what
		// tells scanGroup that the file was not parsed whole.
		cf.Skipped = len(blanked)
		kept := cf.Funcs[:0]
		for _, f := range cf.Funcs {
			if !blanked[lines{f.Pos.Line, f.End.Line}] {
				kept = append(kept, f)
			}
		}
		cf.Funcs = kept
	}
}

// spans returns the functions of src to blank: the plan's, when src is
// the text it was made from (the lexical pass read it moments before);
// else those of a fresh look at src that the plan names at the same
// offsets.
func (fp *filePlan) spans(src []byte) []bodySpan {
	var out []bodySpan
	if crc32.Checksum(src, castagnoli) == fp.sum {
		for _, fn := range fp.blank {
			if fn.end <= len(src) && src[fn.end-1] == '}' {
				out = append(out, fn)
			}
		}
		return out
	}
	for _, fn := range cindex.Funcs(src) {
		if fp.names[fn.NameAt] == fn.Name && src[fn.End-1] == '}' {
			out = append(out, bodySpan{nameAt: fn.NameAt, body: fn.Body, end: fn.End, line: fn.Line})
		}
	}
	return out
}

func mentionsAny(fn cindex.Func, names map[string]bool) bool {
	for _, id := range fn.Idents {
		if names[id] {
			return true
		}
	}
	return false
}

// lockAnnotated reports whether a function header carries a sparse lock
// annotation.
func lockAnnotated(header []byte) bool {
	for _, a := range [][]byte{[]byte("__acquires"), []byte("__releases"), []byte("__must_hold"), []byte("__cond_acquires")} {
		if bytes.Contains(header, a) {
			return true
		}
	}
	return false
}

// mayWriteTag over-approximates rules.TagWrites lexically. A tag write is
//   - X->f = (or WRITE_ONCE, xchg, ... of) a value X->f | MASK or
//     X->f & ~MASK, with an integer cast in it or the whole value cast to
//     a pointer: a "|" or "~", and an integer cast or (the field read
//     twice) a pointer cast before a parenthesis;
//   - *(unsigned long *)&X->f |= MASK (or &= ~MASK), or set_bit(nr,
//     (unsigned long *)&X->f) and the like: a cast to an integer pointer.
func mayWriteTag(body []byte, fn cindex.Func) bool {
	if fn.MemberUses == 0 {
		return false
	}
	c := castsIn(body)
	if c.intPointer {
		return true
	}
	return bitOperation(body) && (c.integer || c.pointerValue && fn.MemberUses > len(fn.Members))
}

// bitOperation reports a "|" that is not "||", or a "~".
func bitOperation(b []byte) bool {
	for i, c := range b {
		switch c {
		case '~':
			return true
		case '|':
			if (i == 0 || b[i-1] != '|') && (i+1 == len(b) || b[i+1] != '|') {
				return true
			}
		}
	}
	return false
}

// casts are the kinds of cast a text holds, seen from its ")".
type casts struct {
	integer      bool // (unsigned long)
	intPointer   bool // (unsigned long *)
	pointerValue bool // (T *)( ... )
}

func castsIn(b []byte) casts {
	var c casts
	for i, ch := range b {
		if ch != ')' {
			continue
		}
		j := skipBack(b, i-1)
		star := j >= 0 && b[j] == '*'
		if star {
			j = skipBack(b, j-1)
		}
		k := j
		for k >= 0 && (b[k] == '_' || b[k] >= 'a' && b[k] <= 'z' || b[k] >= '0' && b[k] <= '9') {
			k--
		}
		word := rules.IntegerType(string(b[k+1 : j+1]))
		switch {
		case star && word:
			c.intPointer = true
		case word:
			c.integer = true
		case star:
			if n := skipForward(b, i+1); n < len(b) && b[n] == '(' {
				c.pointerValue = true
			}
		}
	}
	return c
}

func skipBack(b []byte, i int) int {
	for i >= 0 && (b[i] == ' ' || b[i] == '\t') {
		i--
	}
	return i
}

func skipForward(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	return i
}
