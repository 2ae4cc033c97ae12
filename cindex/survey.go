package cindex

import (
	"os"
	"runtime"
	"slices"
	"sync"

	"github.com/tagcheck/tagcheck/internal/limits"
)

// Survey is one pass over the files of a tree: each file read once for
// its Summary, or its summary taken from a SummaryCache when the file has
// not changed since. Every later question of a check --tree is answered
// from it: which files may define the names wanted at each depth of the
// definition lookup (Defining), which may read a newly tagged field
// (Accessing). Before it, each depth and the readers' search read the
// whole tree again.
type Survey struct {
	files []string
	sums  []Summary
	state []fileState
	// exact marks the summaries whose DefNames are the names the file
	// defines (Defs), not every identifier that stands as one could:
	// those of the files a lookup has lexed (see Index).
	exact []bool
	errs  []error
	stats []fileStat
	// Read counts the files read and summarized, Cached those whose
	// summary came from the cache; Bytes the bytes read.
	Read, Cached int
	Bytes        int64
	loaded       int // entries of the cache it was made with
	sharpened    int // summaries made exact by Index
	// ahead are the names the first lookup wants (NewSurvey), and
	// prepared, by file, what Index makes of a file for them: the pass
	// that summarizes a file does it while the bytes are in hand,
	// instead of Index reading the file again.
	ahead    *Names
	prepared []indexed
	// fields, when not nil, are the only members Accessing answers for
	// (SurveyOptions.Fields).
	fields []string
}

// indexed is what Index makes of one file for a set of names: its
// definitions when a name stands outside every brace (lexed), else the
// names that stand as definitions there (top, to sharpen its summary).
type indexed struct {
	done  bool
	lexed bool
	defs  []named
	top   []uint32
	size  int
}

type fileState uint8

const (
	summarized fileState = iota
	tooLarge             // over limits.DefaultSource: not summarized, like the scan leaves it out
	unreadable
)

// fileStat is what tells that a file has not changed since it was
// summarized: a rewrite changes the size or the modification time, a
// replacement the inode, and anything at all the change time.
type fileStat struct {
	dev, ino, size, mtime, ctime int64
}

// SurveyOptions are what a survey is given besides the files.
type SurveyOptions struct {
	Workers int           // 0: every core
	Cache   *SummaryCache // the summaries of the files that have not changed; nil: none
	// Ahead, when not nil, are the names of the first lookup: a file read
	// that may define one is also indexed for them in the same pass (see
	// Index). A check --tree knows them before the survey, and the
	// thousands of files that may define one are then read once, not
	// twice.
	Ahead *Names
	// Fields, when not nil, are the only members Accessing will be asked
	// of, for a survey whose summaries are not kept (Changed is false): a
	// file's members are summarized only when its text holds one of the
	// words. Following every "." and "->" of the tree was a fifth of a
	// check --tree without the cache.
	Fields []string
}

// NewSurvey summarizes files (as Files returns them). A file that cannot
// be read is recorded, not fatal: the question that needs it says so.
func NewSurvey(files []string, o SurveyOptions) *Survey {
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	cache, ahead := o.Cache, o.Ahead
	s := &Survey{
		files:  files,
		sums:   make([]Summary, len(files)),
		state:  make([]fileState, len(files)),
		exact:  make([]bool, len(files)),
		errs:   make([]error, len(files)),
		stats:  make([]fileStat, len(files)),
		ahead:  ahead,
		fields: o.Fields,
	}
	if ahead != nil {
		s.prepared = make([]indexed, len(files))
	}
	read := make([]bool, len(files))
	sizes := make([]int64, workers)
	var wg sync.WaitGroup
	next := make(chan int, 64)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var buf []byte
			var z Summarizer
			for i := range next {
				if s.fromCache(i, cache) {
					continue
				}
				read[i] = true
				buf = s.summarize(i, buf, &z)
				sizes[w] += int64(len(buf))
				if ahead != nil && s.state[i] == summarized && s.sums[i].Defines(ahead) {
					s.prepared[i] = s.indexOne(i, buf, ahead)
				}
			}
		}(w)
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	for i := range files {
		switch {
		case !read[i]:
			s.Cached++
		case s.state[i] != unreadable:
			s.Read++
		}
	}
	for _, n := range sizes {
		s.Bytes += n
	}
	if cache != nil {
		s.loaded = len(cache.entries)
	}
	return s
}

// fromCache takes file i's summary from cache when its stat is the one
// the summary was made at.
func (s *Survey) fromCache(i int, cache *SummaryCache) bool {
	e, ok := cache.entry(s.files[i])
	if !ok {
		return false
	}
	fi, err := os.Stat(s.files[i])
	if err != nil {
		return false
	}
	st, ok := statOf(fi)
	if !ok || st != e.stat {
		return false
	}
	s.sums[i], s.state[i], s.exact[i], s.stats[i] = e.sum, e.state, e.exact, st
	return true
}

// summarize reads file i into buf and summarizes it with z.
func (s *Survey) summarize(i int, buf []byte, z *Summarizer) []byte {
	path := s.files[i]
	buf, st, size, err := readInto(path, buf)
	if err != nil {
		s.state[i], s.errs[i] = unreadable, err
		return buf[:0]
	}
	s.stats[i] = st
	if size > limits.DefaultSource || int64(len(buf)) > limits.DefaultSource {
		s.state[i] = tooLarge
		return buf[:0]
	}
	s.sums[i] = z.summarize(buf, s.wantsMembers(buf))
	return buf
}

// wantsMembers reports whether the members of src are to be summarized:
// always, unless the survey was told the only fields it will be asked of
// and src holds none of them.
func (s *Survey) wantsMembers(src []byte) bool {
	if s.fields == nil {
		return true
	}
	for _, f := range s.fields {
		if indexWord(src, f) >= 0 {
			return true
		}
	}
	return false
}

// Defining returns, in file order, the files i with want[i] (want nil:
// every file) that may define one of names. The first of them that
// could not be read is an error: the lookup would be incomplete.
func (s *Survey) Defining(names *Names, want []bool) ([]string, []int, error) {
	var files []string
	var at []int
	for i, sum := range s.sums {
		if want != nil && !want[i] {
			continue
		}
		if s.state[i] == unreadable {
			return nil, nil, s.errs[i]
		}
		if sum.Defines(names) {
			files = append(files, s.files[i])
			at = append(at, i)
		}
	}
	return files, at, nil
}

// Index reads the files at (indices of the survey's files, as Defining
// returns them for names) and indexes the definitions of those where one
// of names stands outside every brace (mayDefine), returning which it
// lexed. It sharpens the summaries of the files it read: a lexed file
// keeps the names it defines, another the names that stand as
// definitions outside every brace, instead of every identifier that
// stands as one could. A loop macro "list_for_each_entry(pos, head,
// member) {" stands like a definition in thousands of files; the first
// run that wants it lexes none of them, and the next (from the cache)
// reads none. The files the survey already indexed for names (its
// ahead) are not read again. A file that cannot be read is an error.
// Not safe for concurrent use.
func (s *Survey) Index(at []int, names *Names, workers int) (*Index, []int, error) {
	results := make([]indexed, len(at))
	var toRead []string
	var readAt []int // positions in at of toRead
	for k, i := range at {
		if names == s.ahead && s.prepared[i].done {
			results[k] = s.prepared[i]
			s.prepared[i] = indexed{} // asked once; the summary keeps the rest
			continue
		}
		toRead = append(toRead, s.files[i])
		readAt = append(readAt, k)
	}
	x, _ := buildFiles(toRead, workers, nil, func(r int, src []byte) bool {
		k := readAt[r]
		results[k] = s.indexOne(at[k], src, names)
		return false // indexOne lexed it if it had to
	})
	if len(x.Unread) > 0 {
		return nil, nil, x.Unread[0]
	}
	out := &Index{}
	var lexed []int
	for k, i := range at {
		r := results[k]
		if !r.done {
			continue // over the size limit, as the survey left it out
		}
		if !r.lexed {
			// Both sets hold every name Funcs finds; so does their
			// intersection (TestKernelDefinitionsFound).
			sharp := intersect(s.sums[i].DefNames, r.top)
			if !s.exact[i] && !slices.Equal(s.sums[i].DefNames, sharp) {
				s.sums[i].DefNames = sharp
				s.sharpened++
			}
			continue
		}
		out.add(r.defs)
		out.Files++
		out.Bytes += int64(r.size)
		lexed = append(lexed, i)
		if s.exact[i] {
			continue
		}
		hashes := make([]uint32, len(r.defs))
		for j, d := range r.defs {
			hashes[j] = wordHash(d.name)
		}
		s.sums[i].DefNames = sortedSet(hashes)
		s.exact[i] = true
		s.sharpened++
	}
	return out, lexed, nil
}

// indexOne is what Index makes of file i, whose text is src, for names:
// it lexes the file only where one of the names stands outside every
// brace.
func (s *Survey) indexOne(i int, src []byte, names *Names) indexed {
	bounds := topLevel(src)
	if mayDefineAt(src, names.in(s.sums[i]), bounds) {
		return indexed{done: true, lexed: true, defs: namedDefs(s.files[i], Defs(src)), size: len(src)}
	}
	return indexed{done: true, top: topDefNames(src, bounds)}
}

// Summary returns the summary of file i.
func (s *Survey) Summary(i int) Summary { return s.sums[i] }

// Accessing returns, in file order, the files that may access a member
// named word, and those the survey could not summarize (too large, or
// unreadable): the caller reads those itself and says why it could not.
// ok is false when the survey was not to be asked of word (Fields).
func (s *Survey) Accessing(word string) (files []string, ok bool) {
	if s.fields != nil && !slices.Contains(s.fields, word) {
		return nil, false
	}
	var out []string
	for i, sum := range s.sums {
		if s.state[i] != summarized || sum.Accesses(word) {
			out = append(out, s.files[i])
		}
	}
	return out, true
}

// readBody reads a file of size bytes into buf, grown as needed, with
// read, which reads 0 bytes at the end: one byte more than the size is
// asked for, to see the end in one read. A read that stops short at
// exactly size bytes has reached the end the size was taken at, and no
// second read is made to be told so (55,000 system calls over the
// kernel's tree). A file that grows while read is read on, to one byte
// past limits.DefaultSource at most.
func readBody(buf []byte, size int64, read func([]byte) (int, error)) ([]byte, error) {
	want := int(size) + 1
	if cap(buf) < want {
		buf = make([]byte, 0, want+want/4)
	}
	buf = buf[:0]
	for {
		asked := cap(buf) - len(buf)
		n, err := read(buf[len(buf):cap(buf)])
		if err != nil {
			return buf[:0], err
		}
		if n <= 0 {
			return buf, nil
		}
		buf = buf[:len(buf)+n]
		if n < asked && len(buf) == int(size) {
			return buf, nil
		}
		if len(buf) > int(limits.DefaultSource) {
			return buf, nil // the caller sees it is over the limit
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
	}
}

// intersect returns the hashes both sorted sets hold.
func intersect(a, b []uint32) []uint32 {
	var out []uint32
	for _, h := range a {
		if _, ok := slices.BinarySearch(b, h); ok {
			out = append(out, h)
		}
	}
	return out
}
