package lockpair

import (
	"bytes"
	_ "embed"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/goflow"
	"github.com/tagcheck/tagcheck/internal/analysisdoc"
	"github.com/tagcheck/tagcheck/report"
	"github.com/tagcheck/tagcheck/rules"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"
)

// Analyzer reports lock-pairing mistakes in Go code; see the package
// documentation.
var Analyzer = &analysis.Analyzer{
	Name:      "lockpair",
	Doc:       analysisdoc.MustExtract(doc, "lockpair"),
	URL:       "https://pkg.go.dev/github.com/tagcheck/tagcheck/analyzers/lockpair",
	Requires:  []*analysis.Analyzer{buildssa.Analyzer},
	Run:       run,
	FactTypes: []analysis.Fact{new(WrapperFact)},
}

// doc is the package documentation, whose "# Analyzer lockpair" section
// is the Analyzer's Doc.
//
//go:embed doc.go
var doc string

var (
	ruleFiles   fileList
	rulesDigest string
)

func init() {
	Analyzer.Flags.Var(&ruleFiles, "rules", "extra YAML rule `file`s (repeatable, or comma-separated)")
	Analyzer.Flags.StringVar(&rulesDigest, "rules_digest", "", rules.DigestUsage("lockpair"))
}

type fileList []string

func (l *fileList) String() string { return strings.Join(*l, ",") }

func (l *fileList) Set(v string) error {
	for _, f := range strings.Split(v, ",") {
		if f = strings.TrimSpace(f); f != "" {
			*l = append(*l, f)
		}
	}
	return nil
}

var loaded struct {
	sync.Mutex
	key string
	rs  *rules.Set
	err error
}

// baseRules loads the embedded packs and the -lockpair.rules files once per
// flag setting, checking -lockpair.rules_digest.
func baseRules() (*rules.Set, error) {
	key := ruleFiles.String() + "\x00" + rulesDigest
	loaded.Lock()
	defer loaded.Unlock()
	if loaded.rs != nil && loaded.key == key || loaded.err != nil && loaded.key == key {
		return loaded.rs, loaded.err
	}
	loaded.key = key
	loaded.rs, loaded.err = loadRules(ruleFiles, rulesDigest)
	return loaded.rs, loaded.err
}

func loadRules(files []string, digest string) (*rules.Set, error) {
	if err := rules.CheckDigest("lockpair", files, digest); err != nil {
		return nil, err
	}
	return rules.Load(files...)
}

// WrapperFact says that a function acquires or releases resources for its
// caller, in terms of its parameters ($0 is the receiver of a method): it
// is learned from the body or declared by a //tagcheck: directive.
type WrapperFact struct {
	Pairs []FactPair
}

// FactPair is a rules.Pair as carried between packages.
type FactPair struct {
	Acquire   []string
	Release   []string
	Takes     []string
	Resources []string
	Mode      string
	When      string
	Learned   string
}

// AFact marks WrapperFact as an analysis fact.
func (*WrapperFact) AFact() {}

func (f *WrapperFact) String() string {
	var parts []string
	for _, p := range f.Pairs {
		verb := "releases"
		switch {
		case len(p.Acquire) > 0:
			verb = "acquires"
		case len(p.Takes) > 0:
			verb = "takes"
		}
		s := verb + " " + strings.Join(p.Resources, ",")
		if p.Mode == string(rules.Shared) {
			s += " shared"
		}
		if p.When != "" {
			s += " when " + p.When
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

func factPair(p *rules.Pair) FactPair {
	return FactPair{
		Acquire: slices.Clone(p.Acquire), Release: slices.Clone(p.Release), Takes: slices.Clone(p.Takes),
		Resources: slices.Clone(p.Holds()), Mode: string(p.Mode), When: string(p.When), Learned: p.Learned,
	}
}

func (fp FactPair) pair(name string) *rules.Pair {
	return &rules.Pair{
		Name: name, Lang: rules.Go, Acquire: slices.Clone(fp.Acquire), Release: slices.Clone(fp.Release),
		Takes: slices.Clone(fp.Takes), Resources: slices.Clone(fp.Resources), Mode: rules.Mode(fp.Mode), When: rules.When(fp.When), Learned: fp.Learned,
	}
}

// checker is the state of one pass.
type checker struct {
	pass    *analysis.Pass
	rs      *rules.Set
	cfg     goflow.Config
	calls   map[*ssa.Function][]string // callee names, including those of deferred and go literals
	lowered map[*ssa.Function]*flow.Func
	// goCalls holds, for each go statement's event of a lowered function,
	// the calls the goroutine makes (goflow.GoStmt); resolveGo decides
	// before each walk which of them hand a held lock over.
	goCalls map[*flow.Func][]goStmt
	// wrappers learned, declared or imported, with the mode a release
	// wrapper releases in ("" when unknown: it pairs with any mode).
	acquirers []*rules.Pair
	releasers []*rules.Pair
	relMode   map[*rules.Pair]rules.Mode
	own       map[*types.Func][]*rules.Pair // pairs to export
	declared  map[*ssa.Function]bool
	taken     map[*ssa.Function]map[string]bool // what learnTakes added: "resource mode"
	unwrapped map[*ssa.Function]bool            // wrappers by shape that no caller treats as one
	walks     map[*ssa.Function]walk            // the last walk of each function, see checkCached
	changedAt map[string]int                    // callee name -> generation of the rules that last changed it
	gen       int
	files     map[string]*token.File
	lines     map[string]token.Pos // see adjustedLines
	astFiles  map[*token.File]*ast.File
}

func run(pass *analysis.Pass) (any, error) {
	base, err := baseRules()
	if err != nil {
		return nil, err
	}
	in := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
	c := &checker{
		pass:      pass,
		rs:        base.Clone(),
		calls:     map[*ssa.Function][]string{},
		lowered:   map[*ssa.Function]*flow.Func{},
		goCalls:   map[*flow.Func][]goStmt{},
		relMode:   map[*rules.Pair]rules.Mode{},
		own:       map[*types.Func][]*rules.Pair{},
		declared:  map[*ssa.Function]bool{},
		taken:     map[*ssa.Function]map[string]bool{},
		unwrapped: map[*ssa.Function]bool{},
		walks:     map[*ssa.Function]walk{},
		changedAt: map[string]int{},
		files:     map[string]*token.File{},
		astFiles:  map[*token.File]*ast.File{},
	}
	c.cfg = goflow.Config{Names: goflow.FuncName, NoReturn: c.rs.NoReturn, Impls: goflow.NewImpls(in.Pkg)}
	for _, f := range pass.Files {
		tf := pass.Fset.File(f.Pos())
		if tf != nil {
			c.files[tf.Name()] = tf
			c.astFiles[tf] = f
		}
	}

	var funcs []*ssa.Function
	for _, fn := range in.SrcFuncs {
		if fn.Synthetic != "" || len(fn.Blocks) == 0 {
			continue
		}
		funcs = append(funcs, fn)
		c.scan(fn, fn)
	}
	c.directives(in)
	c.learn(funcs)
	c.match()

	for _, fn := range funcs {
		if c.declared[fn] || !c.candidate(fn) {
			continue
		}
		r := c.checkCached(fn)
		report.Sort(r.Findings)
		for _, fd := range report.Dedup(r.Findings) {
			c.report(fd, fn.Pos())
		}
	}
	c.export()
	return nil, nil
}

// scan records the callees of fn (and of the literals it defers or starts
// as goroutines, which lower into its body) and imports the facts of
// callees in other packages.
func (c *checker) scan(fn, into *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			var call *ssa.CallCommon
			switch in := instr.(type) {
			case *ssa.Call:
				call = &in.Call
			case *ssa.Defer, *ssa.Go:
				call = instr.(ssa.CallInstruction).Common()
				if lit := deferredLiteral(call); lit != nil {
					c.scan(lit, into)
					continue
				}
			default:
				continue
			}
			if name := c.cfg.CalleeName(call); name != "" {
				c.calls[into] = append(c.calls[into], name)
			}
			callee := call.StaticCallee()
			if fn, _ := c.cfg.Concrete(call); fn != nil {
				callee = fn
			}
			if callee != nil {
				c.importFact(callee)
			}
		}
	}
}

func deferredLiteral(call *ssa.CallCommon) *ssa.Function {
	if call.IsInvoke() {
		return nil
	}
	switch v := call.Value.(type) {
	case *ssa.Function:
		if v.Parent() != nil {
			return v
		}
	case *ssa.MakeClosure:
		if fn := v.Fn.(*ssa.Function); fn.Synthetic == "" && fn.Parent() != nil {
			return fn
		}
	}
	return nil
}

func (c *checker) importFact(callee *ssa.Function) {
	if o := callee.Origin(); o != nil {
		callee = o
	}
	obj, ok := callee.Object().(*types.Func)
	if !ok || obj.Pkg() == nil || obj.Pkg() == c.pass.Pkg {
		return
	}
	name := goflow.FuncName(callee)
	if len(c.rs.Acquires(name)) > 0 || len(c.rs.Releases(name)) > 0 {
		return
	}
	var f WrapperFact
	if !c.pass.ImportObjectFact(obj, &f) {
		return
	}
	for _, fp := range f.Pairs {
		p := fp.pair(name)
		if len(fp.Takes) > 0 {
			p.Takes = []string{name}
		}
		c.rs.AddPair(p)
		switch {
		case len(p.Takes) > 0:
		case len(p.Acquire) > 0:
			c.acquirers = append(c.acquirers, p)
		default:
			c.releasers = append(c.releasers, p)
			c.relMode[p] = p.Mode
		}
	}
}

func (c *checker) candidate(fn *ssa.Function) bool {
	for _, n := range c.calls[fn] {
		if len(c.rs.Acquires(n)) > 0 || len(c.rs.Releases(n)) > 0 || len(c.rs.Takes(n)) > 0 {
			return true
		}
	}
	return false
}

func (c *checker) lower(fn *ssa.Function) *flow.Func {
	f, ok := c.lowered[fn]
	if !ok {
		f = c.cfg.Lower(fn)
		c.lowered[fn] = f
		for _, b := range f.Blocks {
			for _, ev := range b.Events {
				if calls, ok := goflow.GoCalls(ev); ok {
					c.goCalls[f] = append(c.goCalls[f], goStmt{ev, calls})
				}
			}
		}
	}
	return f
}

// walk is the result of a walk, and the generation of the rules it saw.
type walk struct {
	r   Result
	gen int
}

// changed notes that the rules learned something about the function
// named name: its callers' walks are out of date.
func (c *checker) changed(name string) {
	c.gen++
	c.changedAt[name] = c.gen
}

// calleesChanged reports whether the rules about something fn calls
// changed after generation gen.
func (c *checker) calleesChanged(fn *ssa.Function, gen int) bool {
	for _, n := range c.calls[fn] {
		if c.changedAt[n] > gen {
			return true
		}
	}
	return false
}

// checkCached walks fn unless a walk under the same rules, as far as fn's
// callees go, is at hand: learning re-walks only the callers of what the
// last round learned, and the report reuses the last walk.
func (c *checker) checkCached(fn *ssa.Function) Result {
	if prev, ok := c.walks[fn]; ok && !c.calleesChanged(fn, prev.gen) {
		return prev.r
	}
	gen := c.gen
	r := c.check(fn)
	c.walks[fn] = walk{r: r, gen: gen}
	return r
}

// check walks fn with the rules known now.
func (c *checker) check(fn *ssa.Function) Result {
	f := c.lower(fn)
	c.resolveGo(f)
	return CheckFunc(f, c.rs, Options{Lang: rules.Go, NoWrapper: c.unwrapped[fn]})
}

// goStmt is a go statement's event and the calls its goroutine makes.
type goStmt struct {
	ev    *flow.Event
	calls []*flow.Expr
}

// resolveGo sets what each go statement of f does on f's paths, by the
// rules known now: a lock the goroutine releases is handed over to it at
// the statement, as if released there ("mu.Lock(); go func() { ...;
// mu.Unlock() }()", "go ac.resetTransportAndUnlock()"); nothing else the
// goroutine does happens on f's paths. A lock the goroutine takes itself
// is its own business: its release is not a hand-over ("go func() {
// mu.Lock(); defer mu.Unlock(); ... }()").
func (c *checker) resolveGo(f *flow.Func) {
	goLang := func(p *rules.Pair) bool { return p.Lang == "" || p.Lang == rules.Go }
	for _, g := range c.goCalls[f] {
		own := map[string]bool{}
		for _, call := range g.calls {
			args := callArgKeys(call)
			for _, p := range c.rs.Acquires(call.Name) {
				if goLang(p) {
					for _, t := range p.Holds() {
						if r := rules.Instantiate(t, args); r != "" {
							own[r] = true
						}
					}
				}
			}
		}
		x := &flow.Expr{Op: flow.OpComma, Name: goflow.GoStmt, Text: g.ev.X.Text, Pos: g.ev.X.Pos}
		for _, call := range g.calls {
			args := callArgKeys(call)
			handover := false
			for _, p := range c.rs.Releases(call.Name) {
				if !goLang(p) {
					continue
				}
				handover = true
				for _, t := range p.Holds() {
					if r := rules.Instantiate(t, args); r == "" || own[r] {
						handover = false
					}
				}
				break
			}
			if handover {
				x.Args = append(x.Args, call)
			}
		}
		g.ev.X = x
	}
}

func callArgKeys(c *flow.Expr) []string {
	ks := make([]string, len(c.Args))
	for i, a := range c.Args {
		ks[i] = a.Key()
	}
	return ks
}

// learn finds the wrappers among funcs, repeating so that wrappers of
// wrappers are found too.
func (c *checker) learn(funcs []*ssa.Function) {
	known := map[*ssa.Function]bool{}
	// Wrappers by shape whose lock is taken in a loop wait until some
	// caller is seen to release after them, which may take the release
	// wrappers of later rounds.
	inLoop := map[*ssa.Function]*rules.Pair{}
	for round := 0; round < 8; round++ {
		added := 0
		for _, fn := range funcs {
			if known[fn] || c.declared[fn] || !c.candidate(fn) {
				continue
			}
			if prev, ok := c.walks[fn]; ok && !c.calleesChanged(fn, prev.gen) {
				continue // walked since anything it calls was learned
			}
			name := goflow.FuncName(fn)
			if len(c.rs.Acquires(name)) > 0 || len(c.rs.Releases(name)) > 0 {
				continue
			}
			f := c.lower(fn)
			r := c.checkCached(fn)
			if r.Degraded {
				continue
			}
			obj, _ := fn.Object().(*types.Func)
			if r.Wrapper == nil && len(r.Releases) == 0 {
				added += c.learnTakes(fn, obj, r.Takes)
			}
			if r.Wrapper != nil && r.WrapperInLoop && !c.releasedByCallers(fn, r.Wrapper) {
				inLoop[fn] = r.Wrapper
				continue
			}
			if r.Wrapper != nil {
				known[fn] = true
				c.addWrapper(fn, obj, r.Wrapper)
				added++
			}
			if len(r.Releases) > 0 {
				c.changed(name)
				known[fn] = true
				p := &rules.Pair{Name: name, Lang: rules.Go, Release: []string{name}, Resources: r.Releases,
					Learned: f.Pos.String()}
				mode := c.releaseMode(f)
				c.rs.AddPair(p)
				p.Mode = mode
				c.relMode[p] = mode
				c.releasers = append(c.releasers, p)
				if obj != nil {
					c.own[obj] = append(c.own[obj], p)
				}
				added++
			}
		}
		for _, fn := range funcs {
			if p := inLoop[fn]; p != nil && c.releasedByCallers(fn, p) {
				delete(inLoop, fn)
				known[fn] = true
				obj, _ := fn.Object().(*types.Func)
				c.addWrapper(fn, obj, p)
				added++
			}
		}
		c.match()
		if added > 0 {
			continue
		}
		if len(inLoop) == 0 {
			break
		}
		for fn := range inLoop {
			// Leaves a loop holding the lock, and no caller
			// releases it after: a forgotten unlock before a break,
			// not a wrapper. Walked again as such next round, so that
			// what it takes is learned.
			c.unwrapped[fn] = true
			delete(c.walks, fn)
		}
		clear(inLoop)
	}
}

// addWrapper adds the acquire wrapper p learned from fn.
func (c *checker) addWrapper(fn *ssa.Function, obj *types.Func, p *rules.Pair) {
	c.changed(goflow.FuncName(fn))
	c.rs.AddPair(p)
	c.acquirers = append(c.acquirers, p)
	if obj != nil {
		c.own[obj] = append(c.own[obj], p)
	}
}

// releasedByCallers reports whether some function of the package calls fn
// and also one of the releases of the wrapper pair p: evidence that fn's
// callers expect it to return holding the lock. An exported function
// without such callers in view must say so with //tagcheck:acquires.
func (c *checker) releasedByCallers(fn *ssa.Function, p *rules.Pair) bool {
	name := goflow.FuncName(fn)
	for caller, names := range c.calls {
		if caller == fn || !slices.Contains(names, name) {
			continue
		}
		for _, n := range names {
			if p.ReleasedBy(n) {
				return true
			}
			for _, r := range c.rs.Releases(n) {
				if len(r.Acquire) == 0 && sameSet(r.Holds(), p.Holds()) {
					return true // a release wrapper of the same lock
				}
			}
		}
	}
	return false
}

// learnTakes adds what fn takes while it runs to the rules, so that its
// callers holding one of them are told (and, for an exported function,
// callers in other packages through its fact). It returns how many are new.
func (c *checker) learnTakes(fn *ssa.Function, obj *types.Func, takes []*rules.Pair) int {
	n := 0
	for _, p := range takes {
		k := p.Resources[0] + " " + string(p.Mode)
		if c.taken[fn][k] {
			continue
		}
		if c.taken[fn] == nil {
			c.taken[fn] = map[string]bool{}
		}
		c.taken[fn][k] = true
		c.rs.AddPair(p)
		c.changed(p.Name)
		if obj != nil && obj.Exported() && nameable(p.Resources[0]) {
			c.own[obj] = append(c.own[obj], p)
		}
		n++
	}
	return n
}

// nameable reports whether code in another package can hold the resource
// template t: one reached through a parameter or an exported package
// variable. Only those go into facts: that fmt.Errorf takes sync's
// allPoolsMu concerns no caller.
func nameable(t string) bool {
	if strings.HasPrefix(t, "$") {
		return true
	}
	_, v, ok := strings.Cut(t, ".")
	return ok && v != "" && v[0] >= 'A' && v[0] <= 'Z'
}

// releaseMode is the mode of the releases f calls, or "" when they differ.
func (c *checker) releaseMode(f *flow.Func) rules.Mode {
	var mode rules.Mode
	seen := false
	var visit func(evs []*flow.Event)
	visit = func(evs []*flow.Event) {
		for _, ev := range evs {
			visit(ev.Body)
			for _, call := range flow.Calls(ev.X) {
				for _, p := range c.rs.Releases(call.Name) {
					m := p.Mode
					if m == "" {
						m = rules.Exclusive
					}
					if seen && m != mode {
						mode = ""
					} else if !seen {
						mode = m
					}
					seen = true
				}
			}
		}
	}
	for _, b := range f.Blocks {
		visit(b.Events)
	}
	return mode
}

// match pairs acquire wrappers with the release wrappers of the same
// resources and mode: s.ReadLock() pairs with s.ReadUnlock(), not with
// s.WriteUnlock(). The release wrapper's name goes first, so a fix
// suggests it.
func (c *checker) match() {
	for _, a := range c.acquirers {
		am := a.Mode
		if am == "" {
			am = rules.Exclusive
		}
		var names []string
		for _, r := range c.releasers {
			if m := c.relMode[r]; m != "" && m != am || !sameSet(a.Holds(), r.Holds()) {
				continue
			}
			for _, n := range r.Release {
				if !a.ReleasedBy(n) {
					names = append(names, n)
				}
			}
		}
		if len(names) > 0 {
			sort.Strings(names)
			a.Release = append(names, a.Release...)
			for _, n := range a.Acquire {
				c.changed(n) // its callers pair it differently now
			}
		}
	}
}

// directives reads //tagcheck:acquires and //tagcheck:releases in the doc
// comments of the package's functions.
func (c *checker) directives(in *buildssa.SSA) {
	byObj := map[*types.Func]*ssa.Function{}
	for _, fn := range in.SrcFuncs {
		if obj, ok := fn.Object().(*types.Func); ok {
			byObj[obj] = fn
		}
	}
	for _, file := range c.pass.Files {
		for _, d := range file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Doc == nil {
				continue
			}
			obj, _ := c.pass.TypesInfo.Defs[fd.Name].(*types.Func)
			if obj == nil {
				continue
			}
			for _, cm := range fd.Doc.List {
				text := strings.TrimSpace(cm.Text)
				if i := strings.Index(text, " //"); i >= 0 {
					text = text[:i] // a remark after the directive
				}
				var verb string
				switch {
				case strings.HasPrefix(text, "//tagcheck:acquires"):
					verb = "acquires"
				case strings.HasPrefix(text, "//tagcheck:releases"):
					verb = "releases"
				default:
					continue
				}
				p, err := c.directivePair(obj, verb, strings.Fields(text)[1:])
				if err != nil {
					c.pass.Report(analysis.Diagnostic{Pos: cm.Pos(), Category: "directive",
						Message: "lockpair: " + err.Error()})
					continue
				}
				if fn := byObj[obj]; fn != nil {
					c.declared[fn] = true
				}
				c.rs.AddPair(p)
				if verb == "acquires" {
					c.acquirers = append(c.acquirers, p)
				} else {
					c.releasers = append(c.releasers, p)
					c.relMode[p] = p.Mode
				}
				c.own[obj] = append(c.own[obj], p)
			}
		}
	}
}

func (c *checker) directivePair(obj *types.Func, verb string, args []string) (*rules.Pair, error) {
	if len(args) == 0 || len(args) > 2 {
		return nil, fmt.Errorf("//tagcheck:%s wants RESOURCE [shared|exclusive]", verb)
	}
	mode := rules.Exclusive
	if len(args) == 2 {
		switch rules.Mode(args[1]) {
		case rules.Shared, rules.Exclusive:
			mode = rules.Mode(args[1])
		default:
			return nil, fmt.Errorf("//tagcheck:%s %s: mode %q: want shared or exclusive", verb, args[0], args[1])
		}
	}
	sig := obj.Signature()
	var params []*types.Var
	if sig.Recv() != nil {
		params = append(params, sig.Recv())
	}
	for i := 0; i < sig.Params().Len(); i++ {
		params = append(params, sig.Params().At(i))
	}
	res := args[0]
	root, rest := res, ""
	if i := strings.IndexByte(res, '.'); i >= 0 {
		root, rest = res[:i], res[i:]
	}
	tmpl := ""
	var rootType types.Type
	for i, p := range params {
		if p.Name() == root {
			tmpl = fmt.Sprintf("$%d%s", i, rest)
			rootType = p.Type()
		}
	}
	if tmpl == "" {
		v, ok := c.pass.Pkg.Scope().Lookup(root).(*types.Var)
		if !ok {
			return nil, fmt.Errorf("//tagcheck:%s %s: %s is neither a parameter nor a package variable", verb, res, root)
		}
		tmpl = c.pass.Pkg.Name() + "." + res
		rootType = types.NewPointer(v.Type())
	}
	name := obj.FullName()
	p := &rules.Pair{Name: name, Lang: rules.Go, Resources: []string{tmpl}, Mode: mode,
		Learned: c.pass.Fset.Position(obj.Pos()).String()}
	if verb == "acquires" {
		p.Acquire = []string{name}
		// The lock's own releases pair with it too.
		if t := fieldType(rootType, rest); t != nil {
			p.Release = c.releasesOf(t, mode)
		}
	} else {
		p.Release = []string{name}
	}
	return p, nil
}

// fieldType follows ".a.b" from t.
func fieldType(t types.Type, path string) types.Type {
	for _, f := range strings.Split(strings.TrimPrefix(path, "."), ".") {
		if f == "" {
			continue
		}
		obj, _, _ := types.LookupFieldOrMethod(t, true, nil, f)
		v, ok := obj.(*types.Var)
		if !ok {
			return nil
		}
		t = v.Type()
	}
	return t
}

// releasesOf lists the releases the rules give for unconditional acquires
// by methods of t (or *t) in the given mode.
func (c *checker) releasesOf(t types.Type, mode rules.Mode) []string {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	prefixes := []string{"(*" + t.String() + ").", "(" + t.String() + ")."}
	var out []string
	for _, p := range c.rs.Pairs() {
		if p.When != rules.Always || p.Mode != mode {
			continue
		}
		for _, a := range p.Acquire {
			if strings.HasPrefix(a, prefixes[0]) || strings.HasPrefix(a, prefixes[1]) {
				for _, r := range p.Release {
					if !slices.Contains(out, r) {
						out = append(out, r)
					}
				}
			}
		}
	}
	return out
}

func (c *checker) export() {
	objs := make([]*types.Func, 0, len(c.own))
	for obj := range c.own {
		objs = append(objs, obj)
	}
	for _, obj := range objs {
		if obj.Pkg() != c.pass.Pkg {
			continue
		}
		f := &WrapperFact{}
		for _, p := range c.own[obj] {
			f.Pairs = append(f.Pairs, factPair(p))
		}
		c.pass.ExportObjectFact(obj, f)
	}
}

// report turns a finding into a diagnostic.
// A finding whose position maps to no token of the package's files is
// reported at the function's (fallback), naming where it is: never
// dropped.
func (c *checker) report(fd report.Finding, fallback token.Pos) {
	msg := fd.Rule + ": " + fd.Message
	pos := c.tokenPos(fd.File, fd.Line, fd.Column)
	if !pos.IsValid() {
		pos = fallback
		msg += fmt.Sprintf(" (at %s:%d:%d)", fd.File, fd.Line, fd.Column)
	}
	d := analysis.Diagnostic{
		Pos:      pos,
		Category: strings.TrimPrefix(fd.Rule, "lockpair/"),
		Message:  msg,
	}
	for _, r := range fd.Related {
		if p := c.tokenPos(r.File, r.Line, r.Column); p.IsValid() {
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: p, Message: r.Message})
		}
	}
	if fd.Fix != nil {
		if fix, ok := c.fix(pos, fd.Fix); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
	}
	c.pass.Report(d)
}

// tokenPos finds the token at a position as the walk states it: where
// //line directives (cgo's rewritten files, generated code) move
// positions, at the line they name.
func (c *checker) tokenPos(file string, line, col int) token.Pos {
	if p, ok := c.adjustedLines()[fmt.Sprintf("%s:%d", file, line)]; ok {
		tf := c.pass.Fset.File(p)
		adj := tf.PositionFor(p, true)
		return clampPos(tf, p, col-adj.Column)
	}
	tf := c.files[file]
	if tf == nil || line < 1 || line > tf.LineCount() {
		return token.NoPos
	}
	start := tf.LineStart(line)
	if col < 1 {
		col = 1
	}
	off := tf.Offset(start) + col - 1
	if off > tf.Size() {
		return start
	}
	return tf.Pos(off)
}

// adjustedLines maps "file:line", as //line directives give it, to the
// start of the line that has it, for the files where the directives move
// positions. Computed once per pass.
func (c *checker) adjustedLines() map[string]token.Pos {
	if c.lines != nil {
		return c.lines
	}
	c.lines = map[string]token.Pos{}
	for name, tf := range c.files {
		for l := 1; l <= tf.LineCount(); l++ {
			p := tf.LineStart(l)
			adj := tf.PositionFor(p, true)
			if adj.Filename == name && adj.Line == l {
				continue
			}
			k := fmt.Sprintf("%s:%d", adj.Filename, adj.Line)
			if _, dup := c.lines[k]; !dup {
				c.lines[k] = p
			}
		}
	}
	return c.lines
}

// clampPos moves delta bytes from p, staying inside its line.
func clampPos(tf *token.File, p token.Pos, delta int) token.Pos {
	if delta <= 0 {
		return p
	}
	off := tf.Offset(p) + delta
	line := tf.Line(p)
	if line < tf.LineCount() && off >= tf.Offset(tf.LineStart(line+1)) || off > tf.Size() {
		return p
	}
	return tf.Pos(off)
}

// fix edits the selector of the release call at pos: mu.Unlock() becomes
// mu.RUnlock().
func (c *checker) fix(pos token.Pos, fx *report.Fix) (analysis.SuggestedFix, bool) {
	tf := c.pass.Fset.File(pos)
	file := c.astFiles[tf]
	newCall, err := parser.ParseExpr(fx.New)
	if file == nil || err != nil {
		return analysis.SuggestedFix{}, false
	}
	newSel, ok := selectorOf(newCall)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	var found *ast.SelectorExpr
	ast.Inspect(file, func(n ast.Node) bool {
		if found != nil || n == nil || n.Pos() > pos || n.End() <= pos {
			return found == nil
		}
		if call, ok := n.(*ast.CallExpr); ok && call.Pos() == pos && normalize(types.ExprString(call)) == normalize(fx.Old) {
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && types.ExprString(sel.X) == types.ExprString(newSel.X) {
				found = sel
			}
		}
		return true
	})
	if found == nil {
		return analysis.SuggestedFix{}, false
	}
	return analysis.SuggestedFix{
		Message: fmt.Sprintf("Replace %s with %s", found.Sel.Name, newSel.Sel.Name),
		TextEdits: []analysis.TextEdit{{
			Pos: found.Sel.Pos(), End: found.Sel.End(), NewText: []byte(newSel.Sel.Name),
		}},
	}, true
}

func selectorOf(e ast.Expr) (*ast.SelectorExpr, bool) {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return nil, false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	return sel, ok
}

func normalize(s string) string {
	return string(bytes.Join(bytes.Fields([]byte(s)), nil))
}
