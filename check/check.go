// Package check is what the commands run between reading input and
// writing findings. For C (`tagcheck check` and `tagcheck scan`, this
// file): patches or files in, post-images and whole files through the
// tree-sitter front end, rules learned from the code under check, the
// lock-pairing and tagged-pointer checks, findings out — kept to those a
// patch's changed lines cause, or all of them for a scan. For C and Go
// alike: suppression comments (suppress.go; SuppressGo wraps the Go
// analyzers) and baselines (baseline.go).
package check

import (
	"cmp"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/tagcheck/tagcheck/analyzers/lockpair"
	"github.com/tagcheck/tagcheck/analyzers/taggedptr"
	"github.com/tagcheck/tagcheck/cindex"
	"github.com/tagcheck/tagcheck/cparse"
	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/internal/limits"
	"github.com/tagcheck/tagcheck/patch"
	"github.com/tagcheck/tagcheck/report"
	"github.com/tagcheck/tagcheck/rules"
)

// Options configure a run.
type Options struct {
	Rules   *rules.Set // the packs in force; learned rules are added to a clone
	Tree    string     // the pre-image tree (--tree); "" for patch-only mode
	Workers int        // 0: every core
	// Progress, when not nil, is told how many files of a scan (or of
	// the tree, for the readers of a newly tagged field) are done.
	Progress func(done, total int)
	// Defs, when not nil, supplies the definitions of called functions
	// from the tree (patches with Tree) or the scanned set (Scan); nil
	// builds them when needed.
	Defs *Definitions
	// MaxFile, when positive, is the size over which a C file of a scan
	// or of the tree is skipped with a note (--max-file).
	MaxFile int64
	// AllFunctions makes a scan parse and check every function, not only
	// those that can take part in what is checked (select.go). A scan
	// given Defs parses every function too: the selection's closure
	// covers only the files the scan indexes itself.
	AllFunctions bool
	// Cache, when not nil, keeps scan results (cache.go); a scan given
	// Defs does not use it (its key would not cover them). An option
	// that changes what a scan finds must be part of Cache.key. A check
	// with Tree keeps in it what its pass over the tree learned of each
	// file (cindex.Survey).
	Cache *Cache
}

// Learned is what the code under check taught.
type Learned struct {
	Pairs  []*rules.Pair
	Tagged []*rules.TaggedField
}

// Result is the outcome of a run.
type Result struct {
	Findings []report.Finding
	Stats    report.Stats
	Notes    []string // what the reader should know: unseen gaps, skipped files
	// Errors are the files that could not be read or parsed ("file:
	// why"): the run went on without them, and must not pass for clean.
	Errors  []string
	Learned Learned
	// Lines holds the post-image lines of each checked file of a patch
	// (those the patch shows, without --tree), for suppression comments
	// and baselines; a scan leaves it nil and the files are read from disk.
	Lines map[string]report.Lines
	// Degraded lists the functions not fully checked, and why (scan
	// --list-degraded), sorted.
	Degraded []Degraded
	// Suppressed is set when the suppression comments were already
	// applied, each part of a merged result with its own post-images
	// (Lines holds only the latest text of a file two commits change).
	Suppressed bool
}

// Degraded is a function the checks could not take whole.
type Degraded struct {
	File     string
	Line     int
	Function string
	Reason   string
}

// parseDegraded lists the functions of cf whose bodies kept parse errors.
func parseDegraded(funcs []*flow.Func) []Degraded {
	var out []Degraded
	for _, fn := range funcs {
		if fn.Degraded && fn.DegradedWhy != "" {
			out = append(out, Degraded{fn.Pos.File, fn.Pos.Line, fn.Name, fn.DegradedWhy})
		} else if fn.Degraded {
			reason := "unrecovered syntax error in the body"
			if fn.DegradedLine > 0 {
				reason += fmt.Sprintf(" at line %d", fn.DegradedLine)
			}
			out = append(out, Degraded{fn.Pos.File, fn.Pos.Line, fn.Name, reason + "; the rest of the body is checked as far as it parsed"})
		}
	}
	return out
}

// walkGaveUp is the note and the entry of a function the path walk gave
// up on, and why (lockpair.TooManyPaths, lockpair.TooMuchState).
func walkGaveUp(fn *flow.Func, why string) (string, Degraded) {
	return fmt.Sprintf("%s:%d: %s: %s; lock pairing not checked", fn.Pos.File, fn.Pos.Line, fn.Name, why),
		Degraded{fn.Pos.File, fn.Pos.Line, fn.Name, why + ": lock pairing not checked"}
}

func sortDegraded(ds []Degraded) {
	slices.SortFunc(ds, func(a, b Degraded) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Reason, b.Reason))
	})
}

// cFile is one C file of a patch after the patch: its post-image and the
// functions in it.
type cFile struct {
	path  string
	post  *patch.PostImage
	funcs []*flow.Func
	cf    []*cparse.CFile
}

func isC(path string) bool {
	ext := filepath.Ext(path)
	return ext == ".c" || ext == ".h"
}

// Patches checks each patch: its changed C files are parsed (whole with a
// tree, as fragments without), rules are learned from them, and the
// findings their changed lines cause are reported.
func Patches(patches []*patch.Patch, opt Options) (*Result, error) {
	res := &Result{}
	if opt.Tree != "" && opt.Defs == nil {
		defs, err := NewDefinitions(opt.Tree, cparse.ParseOptions{NoReturn: opt.Rules.NoReturn}, opt.Workers, opt.Cache)
		if err != nil {
			return nil, err
		}
		opt.Defs = defs
	}
	for _, p := range patches {
		if err := checkPatch(p, opt, res); err != nil {
			return nil, err
		}
	}
	if opt.Defs != nil {
		if err := opt.Defs.Keep(); err != nil {
			res.Notes = append(res.Notes, fmt.Sprintf("cache: tree summaries not stored: %v", err))
		}
	}
	report.Sort(res.Findings)
	res.Findings = report.Dedup(res.Findings)
	sortDegraded(res.Degraded)
	return res, nil
}

func checkPatch(p *patch.Patch, opt Options, res *Result) error {
	res.Notes = append(res.Notes, p.Notes...)
	var files []*cFile
	for _, fp := range p.Files {
		if fp.IsBinary || fp.IsDeleted || !isC(fp.Path) {
			continue
		}
		f, err := postFile(fp, opt, res)
		if err != nil {
			return err
		}
		if f == nil {
			continue
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		return nil
	}
	var all []*flow.Func
	structs := taggedptr.CStructs{}
	for _, f := range files {
		all = append(all, f.funcs...)
		for _, cf := range f.cf {
			structs.Merge(cf.Structs)
		}
	}
	rs := opt.Rules.Clone()
	before := map[string]bool{}
	for _, t := range rs.Tagged() {
		before[t.Struct+"."+t.Field] = true
	}
	tagged := taggedptr.LearnC(all, structs, rs)
	var newFields []*rules.TaggedField
	for _, t := range tagged {
		if !before[t.Struct+"."+t.Field] {
			newFields = append(newFields, t)
		}
	}
	if opt.Tree != "" {
		var words []string
		for _, t := range newFields {
			words = append(words, t.Field)
		}
		opt.Defs.Expect(words) // the readers' search below asks for these
	}
	learnFrom := all
	if opt.Defs != nil {
		extra, err := opt.Defs.For(all, rs)
		if err != nil {
			return err
		}
		learnFrom = append(append([]*flow.Func(nil), all...), extra...)
	}
	skip := map[string]bool{}
	for _, f := range files {
		skip[filepath.Join(opt.Tree, f.path)] = true
	}
	var readers func() ([]readerFile, error)
	if opt.Tree != "" && len(newFields) > 0 {
		// The readers' files are parsed while what follows learns and
		// checks: their parse needs only which functions never return,
		// which nothing learns (a copy of the rules, for the goroutine).
		readers = parseReaders(opt, rs.Clone().NoReturn, newFields, skip)
	}
	pairs := lockpair.Learn(learnFrom, rs, rules.C)
	res.Learned.Pairs = append(res.Learned.Pairs, pairs...)
	res.Learned.Tagged = append(res.Learned.Tagged, tagged...)

	added := map[string]*patch.PostImage{}
	for _, f := range files {
		added[f.path] = f.post
	}
	touches := func(fd report.Finding) bool {
		if onAdded(added, fd.File, fd.Line) {
			return true
		}
		for _, r := range fd.Related {
			if onAdded(added, r.File, r.Line) {
				return true
			}
		}
		return false
	}
	lockpair.CheckAll(all, rs, func(fn *flow.Func, r lockpair.Result) {
		if r.Degraded {
			note, d := walkGaveUp(fn, r.DegradedWhy)
			res.Notes = append(res.Notes, note)
			res.Degraded = append(res.Degraded, d)
			if addedIn(added, fn.Pos.File, fn.Pos.Line, fn.End.Line) {
				res.Stats.Unjudged = append(res.Stats.Unjudged, report.Unjudged{File: fn.Pos.File, Line: fn.Pos.Line, Function: fn.Name, Why: r.DegradedWhy + " to walk"})
			}
		}
		noteOutOfView(res, fn, r.OutOfView, added)
		noteJumpsAway(res, fn, r.Findings, added)
		for _, fd := range r.Findings {
			if touches(fd) {
				res.Findings = append(res.Findings, fd)
			}
		}
	})
	for _, fd := range taggedptr.CheckC(all, rs, taggedptr.COptions{Structs: structs}) {
		// Every reader of a field the patch newly tags is made wrong by
		// the patch, wherever it sits.
		if fd.Group != "" && isNewField(fd.Group, newFields) || touches(fd) {
			res.Findings = append(res.Findings, fd)
		}
	}
	if readers != nil {
		parsed, err := readers()
		if err != nil {
			return err
		}
		res.Findings = append(res.Findings, checkReaders(parsed, opt, rs, structs, skip, res)...)
	}
	return nil
}

// postFile builds the post-image of one C file of a patch (applied to the
// tree, or from the hunks alone) and parses its units, counting them in
// res. A file whose pre-image in the tree or whose text to parse is over
// opt.MaxFile is skipped as a scan skips it (nil, counted in res).
func postFile(fp *patch.FilePatch, opt Options, res *Result) (*cFile, error) {
	var post *patch.PostImage
	if opt.Tree != "" {
		pi, err := patch.ApplyToTree(opt.Tree, fp, opt.MaxFile)
		if tooLarge := (*limits.TooLargeError)(nil); errors.As(err, &tooLarge) {
			res.skip(err)
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		post = pi
	} else {
		if overMaxFile(fp.Path, fp.ShownBytes(), opt, res) {
			return nil, nil
		}
		post = fp.Fragments()
	}
	units := post.Units()
	for _, u := range units {
		if overMaxFile(fp.Path, int64(len(u.Src)), opt, res) {
			return nil, nil
		}
	}
	f := &cFile{path: fp.Path, post: post}
	if res.Lines == nil {
		res.Lines = map[string]report.Lines{}
	}
	res.Lines[fp.Path] = post.Text
	for _, u := range units {
		cf, err := cparse.ParseC(u.Path, u.Src, cparse.ParseOptions{NoReturn: opt.Rules.NoReturn, PostLine: u.PostLine})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", fp.Path, err)
		}
		f.cf = append(f.cf, cf)
		f.funcs = append(f.funcs, cf.Funcs...)
		res.Stats.FunctionsDegraded += cf.Degraded
		res.Degraded = append(res.Degraded, parseDegraded(cf.Funcs)...)
		res.Notes = append(res.Notes, cf.Notes...)
	}
	res.Stats.Files++
	res.Stats.Lines += post.Len
	res.Stats.Functions += len(f.funcs)
	for _, fn := range f.funcs {
		if fn.Partial {
			res.Stats.UnseenGaps++
			res.Notes = append(res.Notes, fmt.Sprintf("%s:%d: %s: the patch shows only part of this function; exits in unseen lines are not judged", fn.Pos.File, fn.Pos.Line, funcLabel(fn)))
		}
	}
	return f, nil
}

// overMaxFile reports whether size, of the text of path to parse, is over
// opt.MaxFile, and then records path as skipped in res.
func overMaxFile(path string, size int64, opt Options, res *Result) bool {
	if opt.MaxFile <= 0 || size <= opt.MaxFile {
		return false
	}
	res.skip(&limits.TooLargeError{Name: path, Limit: opt.MaxFile, Flag: "--max-file"})
	return true
}

// noteOutOfView names, in a note and in the stats, the locks the change
// touches (an added line between the acquire and where its path left
// view) that some path held into lines the patch does not show: a clean
// result must not pass them off as checked.
func noteOutOfView(res *Result, fn *flow.Func, out []lockpair.OutOfView, added map[string]*patch.PostImage) {
	for _, o := range out {
		if !addedIn(added, o.Site.File, min(o.Site.Line, o.Lost.Line), max(o.Site.Line, o.Lost.Line)) {
			continue
		}
		why := fmt.Sprintf("%s is held past line %d, into lines the patch does not show", o.What, o.Lost.Line)
		res.Stats.Unjudged = append(res.Stats.Unjudged, report.Unjudged{File: o.Site.File, Line: o.Site.Line, Function: funcLabel(fn), Why: why})
		res.Notes = append(res.Notes, fmt.Sprintf("not checked: %s:%d: %s: %s; check it with --tree or more context (git format-patch -W)", o.Site.File, o.Site.Line, funcLabel(fn), why))
	}
}

// noteJumpsAway names, in a note and in the stats, each jump in fn the
// patch takes away from a label it does not show (goto unlock become
// return ret, the unlock out of view): what ran there on that path is
// not judged, and a clean result must not pass it off as checked.
// A jump whose line a finding of fn already names needs no note.
func noteJumpsAway(res *Result, fn *flow.Func, found []report.Finding, post map[string]*patch.PostImage) {
	pi := post[fn.Pos.File]
	if pi == nil || !fn.Partial {
		return
	}
	for _, j := range pi.JumpsOutOfView() {
		at := j.Line + 1 // the change stands after the line the jump followed
		if at < fn.Pos.Line || at > fn.End.Line || slices.ContainsFunc(found, func(f report.Finding) bool { return f.Line == at }) {
			continue
		}
		why := fmt.Sprintf("the change no longer jumps to %s, which the patch does not show: what the code there did on this path (a release?) is not judged", j.Label)
		if j.Break {
			why = "the change no longer breaks out of its loop or switch: what the code after it did on this path (a release?) is not judged"
		}
		res.Stats.Unjudged = append(res.Stats.Unjudged, report.Unjudged{File: fn.Pos.File, Line: at, Function: funcLabel(fn), Why: why})
		res.Notes = append(res.Notes, fmt.Sprintf("not checked: %s:%d: %s: %s; check it with --tree or more context (git format-patch -W)", fn.Pos.File, at, funcLabel(fn), why))
	}
}

// funcLabel names fn for the reader: a fragment the hunk did not name is
// no function of the source.
func funcLabel(fn *flow.Func) string {
	if fn.Name == flow.FragmentFunc {
		return "(function not named in the hunk)"
	}
	return fn.Name
}

// addedIn reports whether the patch changes a line of file in [from, to]
// (see onAdded).
func addedIn(post map[string]*patch.PostImage, file string, from, to int) bool {
	pi := post[file]
	return pi != nil && pi.ChangedIn(from, to)
}

func isNewField(group string, fields []*rules.TaggedField) bool {
	for _, t := range fields {
		if group == t.Struct+"."+t.Field {
			return true
		}
	}
	return false
}

// onAdded reports whether the patch changes line of file: adds it, or
// deletes lines right after it.
func onAdded(post map[string]*patch.PostImage, file string, line int) bool {
	pi := post[file]
	return pi != nil && pi.ChangedAt(line)
}

// readerFile is a file the readers' search parsed for one field, or why
// it could not be parsed.
type readerFile struct {
	field *rules.TaggedField
	cf    *cparse.CFile
	err   error
}

// parseReaders starts parsing, on a goroutine of its own, the files of
// the tree that may read the newly tagged fields; the function it returns
// waits for them. Only the files that access a member of a field's name
// (as the survey of the tree for definitions found them) and contain it
// are parsed, and only the functions in them that mention it; the
// patch's own files, checked whole, are left out.
func parseReaders(opt Options, noReturn func(string) bool, fields []*rules.TaggedField, skip map[string]bool) func() ([]readerFile, error) {
	done := make(chan struct{})
	var parsed []readerFile
	var err error
	go func() {
		defer close(done)
		parsed, err = parseReaderFiles(opt, noReturn, fields, skip)
	}()
	return func() ([]readerFile, error) {
		<-done
		return parsed, err
	}
}

func parseReaderFiles(opt Options, noReturn func(string) bool, fields []*rules.TaggedField, skip map[string]bool) ([]readerFile, error) {
	var out []readerFile
	for _, t := range fields {
		scan := func(o cparse.ScanOptions, fn func(*cparse.CFile, error)) error {
			return cparse.Scan([]string{opt.Tree}, o, fn)
		}
		files, ok, err := opt.Defs.accessing(opt.Tree, t.Field)
		if err != nil {
			return nil, err
		}
		if ok {
			files = slices.DeleteFunc(files, func(f string) bool { return skip[f] })
			scan = func(o cparse.ScanOptions, fn func(*cparse.CFile, error)) error {
				cparse.ScanFiles(files, o, fn)
				return nil
			}
		}
		err = scan(cparse.ScanOptions{
			ParseOptions: cparse.ParseOptions{NoReturn: noReturn},
			Workers:      opt.Workers,
			Progress:     opt.Progress,
			Contains:     []byte(t.Field),
			MaxFile:      opt.MaxFile,
			Prepare: func(_ string, src []byte) ([]byte, func(*cparse.CFile)) {
				// Only bodies that mention the field can read it: parse
				// the rest as empty (positions unchanged), then drop them.
				out, blanked := taggedptr.CReduce(src, []byte(t.Field))
				return out, func(cf *cparse.CFile) { cf.Funcs = taggedptr.CDropBlanked(cf.Funcs, blanked) }
			},
		}, func(cf *cparse.CFile, err error) {
			// fn is called from one goroutine at a time.
			out = append(out, readerFile{field: t, cf: cf, err: err})
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkReaders reports the readers of the tagged fields among the parsed
// files, under the rules learned since. A file that could not be read or
// parsed is recorded in res (see skip), once.
func checkReaders(parsed []readerFile, opt Options, rs *rules.Set, structs taggedptr.CStructs, skip map[string]bool, res *Result) []report.Finding {
	var out []report.Finding
	failed := map[string]bool{}
	for _, p := range parsed {
		if p.err != nil {
			if !failed[p.cf.Path] {
				failed[p.cf.Path] = true
				res.skip(p.err)
			}
			continue
		}
		if skip[p.cf.Path] {
			continue
		}
		st := taggedptr.CStructs{}
		st.Merge(structs)
		st.Merge(p.cf.Structs)
		fds := taggedptr.CheckC(p.cf.Funcs, rs, taggedptr.COptions{Structs: st, Fields: []*rules.TaggedField{p.field}, ReadersOnly: true})
		for i := range fds {
			fds[i].File = relPath(opt.Tree, fds[i].File)
			for j := range fds[i].Related {
				fds[i].Related[j].File = relPath(opt.Tree, fds[i].Related[j].File)
			}
		}
		out = append(out, fds...)
	}
	return out
}

func relPath(root, p string) string {
	if r, err := filepath.Rel(root, p); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return p
}

// Scan checks whole files and trees: every function, every finding.
// Wrappers are learned per directory (static helpers beside their
// callers, and the helpers of a subsystem in its sibling files), and the
// checks of one directory run while the next is parsed.
func Scan(paths []string, opt Options) (*Result, error) {
	res := &Result{}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if opt.Cache != nil && opt.Defs == nil {
		files, err := cindex.Files(paths)
		if err != nil {
			return nil, err
		}
		if key, ok := opt.Cache.key(files, opt, workers); ok {
			return scanCached(paths, key, opt)
		}
	}
	popt := cparse.ScanOptions{ParseOptions: cparse.ParseOptions{NoReturn: opt.Rules.NoReturn}, Workers: workers, Progress: opt.Progress, MaxFile: opt.MaxFile}
	if opt.Defs == nil {
		files, err := cindex.Files(paths)
		if err != nil {
			return nil, err
		}
		var pl *planner
		var visit func(int, []byte, []cindex.Func)
		if !opt.AllFunctions {
			pl = newPlanner(opt.Rules, files)
			visit = pl.visit
		}
		// a file the index could not read is reported by the parse below
		idx := cindex.BuildFiles(files, workers, visit)
		opt.Defs = newDefinitions(idx, popt.ParseOptions)
		if pl != nil {
			popt.Prepare = pl.selector(popt.ParseOptions, workers).prepare
		}
	}
	// The definitions fetched for one directory are fetched for many:
	// each is walked once per rule context, not once per directory.
	sums := lockpair.NewSummaries(rules.C)
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		sem      = make(chan struct{}, workers)
		perGroup [][]report.Finding
		notes    [][]string
		degraded [][]Degraded
		group    []*cparse.CFile
		groupDir string
	)
	flush := func() {
		if len(group) == 0 {
			return
		}
		g := group
		group = nil
		// The groups in flight write their results into these slices
		// under mu: growing them without it could copy a slice
		// before a group's write and drop that group's findings.
		mu.Lock()
		idx := len(perGroup)
		perGroup = append(perGroup, nil)
		notes = append(notes, nil)
		degraded = append(degraded, nil)
		mu.Unlock()
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			fds, ns, ds, st := scanGroup(g, opt, sums)
			mu.Lock()
			perGroup[idx] = fds
			notes[idx] = ns
			degraded[idx] = append(ds, st.parse...)
			res.Stats.Functions += st.Functions
			res.Stats.FunctionsDegraded += st.FunctionsDegraded
			res.Stats.FunctionsSkipped += st.FunctionsSkipped
			mu.Unlock()
		}()
	}
	var parseNotes []string
	err := cparse.Scan(paths, popt, func(cf *cparse.CFile, err error) {
		if err != nil {
			res.skip(err)
			return
		}
		parseNotes = append(parseNotes, cf.Notes...)
		res.Stats.Files++
		res.Stats.Lines += cf.Lines
		if dir := filepath.Dir(cf.Path); dir != groupDir {
			flush()
			groupDir = dir
		}
		group = append(group, cf)
	})
	flush()
	wg.Wait()
	if err != nil {
		return nil, err
	}
	res.Notes = append(res.Notes, parseNotes...)
	for i := range perGroup {
		res.Findings = append(res.Findings, perGroup[i]...)
		res.Notes = append(res.Notes, notes[i]...)
		res.Degraded = append(res.Degraded, degraded[i]...)
	}
	sortDegraded(res.Degraded)
	report.Sort(res.Findings)
	res.Findings = report.Dedup(res.Findings)
	return res, nil
}

// skip records a file the run could not check: over --max-file is a
// note (a deliberate limit), anything else an error that ends the run
// in exit 2 once the rest is reported. Both count as skipped.
func (res *Result) skip(err error) {
	res.Stats.Skipped++
	var tooLarge *limits.TooLargeError
	if errors.As(err, &tooLarge) {
		res.Notes = append(res.Notes, fmt.Sprintf("%s: not checked: larger than the %s limit of %s", tooLarge.Name, tooLarge.Flag, limits.FormatSize(tooLarge.Limit)))
		return
	}
	res.Errors = append(res.Errors, err.Error())
}

// scanCached returns the stored result of key, or scans and stores it.
func scanCached(paths []string, key string, opt Options) (*Result, error) {
	c := opt.Cache
	if r, hit := c.get(key); hit {
		return r, nil
	}
	opt.Cache = nil
	r, err := Scan(paths, opt)
	if err != nil || len(r.Errors) > 0 {
		return r, err // what could not be read is read again next time
	}
	if err := c.put(key, r); err != nil {
		r.Notes = append(r.Notes, fmt.Sprintf("cache: result not stored: %v", err))
	}
	return r, nil
}

// groupStats are the counts of one directory's functions.
type groupStats struct {
	report.Stats
	parse []Degraded // functions whose bodies kept parse errors
}

// scanGroup learns from and checks the files of one directory. When the
// scan left functions out and the directory writes tag bits, its files
// are parsed again whole: the tagged-pointer checks reason across every
// function in view.
func scanGroup(files []*cparse.CFile, opt Options, sums *lockpair.Summaries) ([]report.Finding, []string, []Degraded, groupStats) {
	if skipped(files) > 0 && writesTags(files) {
		files = reparse(files, opt)
	}
	var st groupStats
	for _, cf := range files {
		st.Functions += len(cf.Funcs)
		st.FunctionsDegraded += cf.Degraded
		st.FunctionsSkipped += cf.Skipped
		st.parse = append(st.parse, parseDegraded(cf.Funcs)...)
	}
	rs := opt.Rules.Clone()
	structs := taggedptr.CStructs{}
	var funcs []*flow.Func
	for _, cf := range files {
		structs.Merge(cf.Structs)
		funcs = append(funcs, cf.Funcs...)
	}
	taggedptr.LearnC(funcs, structs, rs)
	learnFrom := funcs
	var notes []string
	if extra, err := opt.Defs.For(funcs, rs); err != nil {
		notes = append(notes, err.Error()+"; wrappers of other directories not learned")
	} else {
		learnFrom = append(append([]*flow.Func(nil), funcs...), extra...)
	}
	lockpair.LearnWith(learnFrom, rs, rules.C, sums)
	var out []report.Finding
	var degraded []Degraded
	lockpair.CheckAll(funcs, rs, func(fn *flow.Func, r lockpair.Result) {
		if r.Degraded {
			note, d := walkGaveUp(fn, r.DegradedWhy)
			notes = append(notes, note)
			degraded = append(degraded, d)
		}
		out = append(out, r.Findings...)
	})
	out = append(out, taggedptr.CheckC(funcs, rs, taggedptr.COptions{Structs: structs})...)
	return out, notes, degraded, st
}

func skipped(files []*cparse.CFile) int {
	n := 0
	for _, cf := range files {
		n += cf.Skipped
	}
	return n
}

// writesTags reports whether a function of files stores tag bits.
func writesTags(files []*cparse.CFile) bool {
	for _, cf := range files {
		for _, f := range cf.Funcs {
			for _, b := range f.Blocks {
				for _, ev := range b.Events {
					if len(rules.TagWrites(ev.X)) > 0 {
						return true
					}
				}
			}
		}
	}
	return false
}

// reparse parses files again whole. A file that can no longer be read or
// parsed keeps what the scan made of it.
func reparse(files []*cparse.CFile, opt Options) []*cparse.CFile {
	out := make([]*cparse.CFile, len(files))
	for i, cf := range files {
		out[i] = cf
		if cf.Skipped == 0 {
			continue
		}
		src, err := limits.ReadRegular(cf.Path, "--max-file", opt.MaxFile)
		if err != nil {
			continue
		}
		if whole, err := cparse.ParseC(cf.Path, src, cparse.ParseOptions{NoReturn: opt.Rules.NoReturn}); err == nil {
			out[i] = whole
		}
	}
	return out
}

// SortedLearned returns learned rules in a stable order for printing.
func (l Learned) Sorted() Learned {
	ps := append([]*rules.Pair(nil), l.Pairs...)
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Name < ps[j].Name })
	ts := append([]*rules.TaggedField(nil), l.Tagged...)
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].Struct+ts[i].Field < ts[j].Struct+ts[j].Field })
	return Learned{Pairs: ps, Tagged: ts}
}
