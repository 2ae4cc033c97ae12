package lockpair

import (
	"bytes"
	_ "embed"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"sync"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/goflow"
	"github.com/tagcheck/tagcheck/internal/analysisdoc"
	"github.com/tagcheck/tagcheck/internal/fixguard"
	"github.com/tagcheck/tagcheck/internal/lazyssa"
	"github.com/tagcheck/tagcheck/internal/rulecache"
	"github.com/tagcheck/tagcheck/report"
	"github.com/tagcheck/tagcheck/rules"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// Analyzer reports lock-pairing mistakes in Go code; see the package
// documentation.
var Analyzer = &analysis.Analyzer{
	Name:      "lockpair",
	Doc:       analysisdoc.MustExtract(doc, "lockpair"),
	URL:       "https://pkg.go.dev/github.com/tagcheck/tagcheck/analyzers/lockpair",
	Requires:  []*analysis.Analyzer{lazyssa.Analyzer},
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
	return rulecache.Load(files)
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
	if !hasWork(pass, base) {
		return nil, nil
	}
	in, err := pass.ResultOf[lazyssa.Analyzer].(*lazyssa.SSA).Get()
	if err != nil {
		return nil, err
	}
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
		if knows(c.rs, n) {
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
			args := flow.ArgKeys(call)
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
			args := flow.ArgKeys(call)
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
	fixguard.Guard(c.pass.Fset, &d)
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
