package taggedptr

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/ssa"

	"github.com/tagcheck/tagcheck/internal/analysisdoc"
	"github.com/tagcheck/tagcheck/internal/fixguard"
	"github.com/tagcheck/tagcheck/internal/lazyssa"
	"github.com/tagcheck/tagcheck/internal/rulecache"
	"github.com/tagcheck/tagcheck/rules"
)

// Analyzer reports tagged-pointer misuse in Go code; see the package
// documentation.
var Analyzer = &analysis.Analyzer{
	Name:      "taggedptr",
	Doc:       analysisdoc.MustExtract(doc, "taggedptr"),
	URL:       "https://pkg.go.dev/github.com/tagcheck/tagcheck/analyzers/taggedptr",
	Requires:  []*analysis.Analyzer{inspect.Analyzer, lazyssa.Analyzer},
	FactTypes: []analysis.Fact{new(TaggedFact)},
	Run:       run,
}

// doc is the package documentation, whose "# Analyzer taggedptr" section
// is the Analyzer's Doc.
//
//go:embed doc.go
var doc string

// rulesFlag is the value of -taggedptr.rules: rule pack files, separated
// by commas, added to the embedded packs; rulesDigest is
// -taggedptr.rules_digest, their digest for go vet's cache (see
// rules.CheckDigest).
var rulesFlag, rulesDigest string

func init() {
	Analyzer.Flags.StringVar(&rulesFlag, "rules", "", "comma-separated YAML rule packs adding tagged fields (lang: go) to the embedded ones")
	Analyzer.Flags.StringVar(&rulesDigest, "rules_digest", "", rules.DigestUsage("taggedptr"))
}

// TaggedFact is exported on an exported struct field (a *types.Var) whose
// low bits carry a tag, so that importers check their uses of it too.
type TaggedFact struct {
	Mask     uint64 // the tag bits
	MaskText string // the mask as the declaring package writes it
	Accessor string // the untag accessor, "(*pkg.T).M" or "pkg.F"; may be empty
	Origin   string // where the field became tagged, "file.go:12"
}

// AFact marks TaggedFact as an analysis.Fact.
func (*TaggedFact) AFact() {}

func (f *TaggedFact) String() string {
	s := "tagged mask=" + f.MaskText
	if f.Accessor != "" {
		s += " accessor=" + f.Accessor
	}
	return s
}

var (
	packMu    sync.Mutex
	packCache = map[string]packResult{}
)

type packResult struct {
	set *rules.Set
	err error
}

// loadPacks returns the rule set for the flag values, loading it once.
func loadPacks(flagValue, digest string) (*rules.Set, error) {
	key := flagValue + "\x00" + digest
	packMu.Lock()
	defer packMu.Unlock()
	if r, ok := packCache[key]; ok {
		return r.set, r.err
	}
	var files []string
	for _, f := range strings.Split(flagValue, ",") {
		if f = strings.TrimSpace(f); f != "" {
			files = append(files, f)
		}
	}
	var set *rules.Set
	err := rules.CheckDigest("taggedptr", files, digest)
	if err == nil {
		set, err = rulecache.Load(files)
	}
	packCache[key] = packResult{set, err}
	return set, err
}

// fieldInfo is what the pass knows about one pointer-carrying field or
// global.
type fieldInfo struct {
	obj   *types.Var
	named *types.TypeName // the struct type declaring the field; nil for globals

	tagged     bool
	mask       uint64
	maskText   string
	origin     token.Pos // the store, directive or accessor that made it tagged, in this package
	originText string    // the same, described, when it is elsewhere
	how        string    // "tagged by the store", ...

	accessor     *types.Func // untag accessor in this package
	accessorText string      // accessor named by a directive, a pack or a fact

	pointee    types.Type // the type the word points to
	pointeePos token.Pos

	atomicPos token.Pos // first atomic access in the package
	backPos   token.Pos // first conversion of the word back to a pointer
	carrying  bool      // holds a pointer: pointer-typed, or converted back
}

// state is one pass's working set.
type state struct {
	pass   *analysis.Pass
	ssa    *buildssa.SSA
	packs  *rules.Set
	fields map[*types.Var]*fieldInfo

	masks   map[token.Pos]ast.Expr          // BinaryExpr.OpPos, op-assignment start -> the mask operand
	sels    map[token.Pos]*ast.SelectorExpr // Sel.Pos -> selector
	calls   map[token.Pos]*ast.CallExpr     // Lparen -> call
	assigns map[token.Pos]*ast.AssignStmt   // op-assignments by start
	files   map[*token.File]*ast.File
	loads   []loadEv
	stores  []storeEv
	elems   elemWords              // stores into word arrays and maps, for gc-hidden
	helpers map[*ssa.Function]bool // functions that clear a mask on a parameter
	access  map[*ssa.Function]*types.Var

	reported map[reportKey]bool
	// declaring indexes, per package, the named struct types by their
	// fields (see declaringType): built once, not a scope scan per field.
	declaring map[*types.Package]map[*types.Var]*types.TypeName
}

type reportKey struct {
	pos  token.Pos
	rule string
}

func run(pass *analysis.Pass) (_ any, err error) {
	// A bug here must not take go vet down for the whole package: say
	// where, as an error.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("taggedptr: internal error in package %s: %v", pass.Pkg.Path(), r)
		}
	}()
	packs, err := loadPacks(rulesFlag, rulesDigest)
	if err != nil {
		return nil, err
	}
	s := &state{
		pass:     pass,
		packs:    packs,
		fields:   map[*types.Var]*fieldInfo{},
		masks:    map[token.Pos]ast.Expr{},
		sels:     map[token.Pos]*ast.SelectorExpr{},
		calls:    map[token.Pos]*ast.CallExpr{},
		assigns:  map[token.Pos]*ast.AssignStmt{},
		files:    map[*token.File]*ast.File{},
		helpers:  map[*ssa.Function]bool{},
		access:   map[*ssa.Function]*types.Var{},
		reported: map[reportKey]bool{},
	}
	if !s.relevant() {
		return nil, nil
	}
	if s.ssa, err = pass.ResultOf[lazyssa.Analyzer].(*lazyssa.SSA).Get(); err != nil {
		return nil, err
	}
	s.indexSyntax()
	s.directives()
	s.scan()
	s.scanElems()
	s.learn()
	s.untaggedDerefs()
	s.racyRMWs()
	s.foreignWrites()
	s.gcHidden()
	s.maskAlignment()
	s.exportFacts()
	return nil, nil
}

// indexSyntax maps the positions SSA keeps to the syntax around them.
func (s *state) indexSyntax() {
	for _, f := range s.pass.Files {
		s.files[s.pass.Fset.File(f.Pos())] = f
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BinaryExpr:
				s.masks[n.OpPos] = n.Y
			case *ast.AssignStmt:
				if len(n.Rhs) == 1 && n.Tok != token.ASSIGN && n.Tok != token.DEFINE {
					s.masks[n.Pos()] = n.Rhs[0] // go/ssa places x op= y at the statement
					s.assigns[n.Pos()] = n
				}
			case *ast.SelectorExpr:
				s.sels[n.Sel.Pos()] = n
			case *ast.CallExpr:
				s.calls[n.Lparen] = n
			}
			return true
		})
	}
}

// field returns the info for a field or global, creating it (with what
// rule packs and facts say) on first sight.
func (s *state) field(v *types.Var) *fieldInfo {
	v = v.Origin()
	if fi, ok := s.fields[v]; ok {
		return fi
	}
	fi := &fieldInfo{obj: v}
	s.fields[v] = fi
	if v.IsField() {
		fi.named = s.declaringType(v)
	}
	t := v.Type()
	if isPointerType(t) || isAtomicPointer(t) {
		fi.carrying = true
	}
	if targ := atomicPointerElem(t); targ != nil {
		fi.pointee = targ
	}
	var fact TaggedFact
	if v.Pkg() != nil && v.Pkg() != s.pass.Pkg && s.pass.ImportObjectFact(v, &fact) {
		fi.setTagged(fact.Mask, fact.MaskText, token.NoPos, fact.Origin, "tagged in package "+v.Pkg().Name())
		fi.accessorText = fact.Accessor
		fi.carrying = true
		fi.accessor = lookupAccessor(fi, fact.Accessor)
	}
	if fi.named != nil && !fi.tagged {
		name := fi.named.Name()
		if fi.named.Pkg() != nil {
			name = fi.named.Pkg().Path() + "." + name
		}
		for _, r := range s.packs.Tagged() {
			if (r.Lang != rules.Go && r.Lang != "") || r.Struct != name || r.Field != v.Name() {
				continue
			}
			m, ok := parseMask(r.Mask, fi.named.Pkg())
			if !ok {
				continue
			}
			fi.setTagged(m, r.Mask, token.NoPos, "by a rule pack", "declared tagged by a rule pack")
			if len(r.Accessors) > 0 {
				fi.accessorText = r.Accessors[0]
				fi.accessor = lookupAccessor(fi, r.Accessors[0])
			}
			fi.carrying = true
			break
		}
	}
	return fi
}

// lookupAccessor finds the accessor a fact or pack names ("(*pkg.T).M",
// "pkg.F", "M") among the methods of the field's type and the functions
// of its package.
func lookupAccessor(fi *fieldInfo, text string) *types.Func {
	if fi.named == nil || text == "" {
		return nil
	}
	name := text
	if i := strings.LastIndexAny(name, ".)"); i >= 0 {
		name = name[i+1:]
	}
	pkg := fi.named.Pkg()
	if obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(fi.named.Type()), true, pkg, name); obj != nil {
		if fn, ok := obj.(*types.Func); ok {
			return fn
		}
	}
	if pkg != nil {
		if fn, ok := pkg.Scope().Lookup(name).(*types.Func); ok {
			return fn
		}
	}
	return nil
}

func (fi *fieldInfo) setTagged(mask uint64, text string, pos token.Pos, where, how string) {
	if fi.tagged || mask == 0 {
		return
	}
	fi.tagged, fi.mask, fi.maskText, fi.origin, fi.originText, fi.how = true, mask, text, pos, where, how
}

// declaringType finds the named struct type of v's package whose fields
// include v.
func (s *state) declaringType(v *types.Var) *types.TypeName {
	pkg := v.Pkg()
	if pkg == nil {
		return nil
	}
	byField, ok := s.declaring[pkg]
	if !ok {
		byField = map[*types.Var]*types.TypeName{}
		scope := pkg.Scope()
		for _, name := range scope.Names() {
			tn, ok := scope.Lookup(name).(*types.TypeName)
			if !ok {
				continue
			}
			if st, ok := tn.Type().Underlying().(*types.Struct); ok {
				for i := 0; i < st.NumFields(); i++ {
					if _, dup := byField[st.Field(i)]; !dup {
						byField[st.Field(i)] = tn // the first in name order, as before
					}
				}
			}
		}
		if s.declaring == nil {
			s.declaring = map[*types.Package]map[*types.Var]*types.TypeName{}
		}
		s.declaring[pkg] = byField
	}
	return byField[v]
}

// parseMask reads a mask written as a literal or as a constant of pkg.
func parseMask(text string, pkg *types.Package) (uint64, bool) {
	text = strings.TrimSpace(text)
	if v, ok := parseUint(text); ok {
		return v, true
	}
	if pkg != nil {
		if k, ok := pkg.Scope().Lookup(text).(*types.Const); ok {
			return uintOfConst(k.Val())
		}
	}
	return 0, false
}

// directives reads //tagcheck:tagged comments on struct fields.
func (s *state) directives() {
	for _, f := range s.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			st, ok := n.(*ast.StructType)
			if !ok {
				return true
			}
			for _, fld := range st.Fields.List {
				for _, cg := range []*ast.CommentGroup{fld.Doc, fld.Comment} {
					if cg == nil {
						continue
					}
					for _, c := range cg.List {
						s.directive(c, fld)
					}
				}
			}
			return true
		})
	}
}

func (s *state) directive(c *ast.Comment, fld *ast.Field) {
	text, ok := strings.CutPrefix(c.Text, "//tagcheck:tagged")
	if !ok {
		return
	}
	var mask, accessor string
	for _, kv := range strings.Fields(text) {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "mask":
			mask = v
		case "accessor":
			accessor = v
		}
	}
	m, ok := parseMask(mask, s.pass.Pkg)
	if !ok {
		s.pass.Reportf(c.Pos(), "taggedptr: directive needs mask=M with M an integer literal or a constant of this package")
		return
	}
	for _, name := range fld.Names {
		v, ok := s.pass.TypesInfo.Defs[name].(*types.Var)
		if !ok {
			continue
		}
		fi := s.field(v)
		fi.setTagged(m, mask, c.Pos(), "", "declared tagged by the directive")
		fi.carrying = true
		if accessor != "" {
			fi.accessorText = accessor
			if fn := lookupAccessor(fi, accessor); fn != nil {
				fi.accessor = fn
			} else if fn, ok := s.pass.Pkg.Scope().Lookup(accessor).(*types.Func); ok {
				fi.accessor = fn
			}
		}
	}
}

// exportFacts gives importers what this package knows about its exported
// tagged fields.
func (s *state) exportFacts() {
	vars := make([]*types.Var, 0, len(s.fields))
	for v, fi := range s.fields {
		if fi.tagged && v.Pkg() == s.pass.Pkg && v.Exported() {
			vars = append(vars, v)
		}
	}
	sort.Slice(vars, func(i, j int) bool { return vars[i].Pos() < vars[j].Pos() })
	for _, v := range vars {
		fi := s.fields[v]
		f := &TaggedFact{Mask: fi.mask, MaskText: fi.maskText, Origin: s.where(fi.origin)}
		if fi.accessor != nil {
			f.Accessor = fi.accessor.FullName()
		} else {
			f.Accessor = fi.accessorText
		}
		if f.Origin == "" {
			f.Origin = fi.originText
		}
		s.pass.ExportObjectFact(v, f)
	}
}

// where describes a position as "file.go:12".
func (s *state) where(pos token.Pos) string {
	if !pos.IsValid() {
		return ""
	}
	p := s.pass.Fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

// origin describes where the field became tagged, for messages.
func (s *state) originOf(fi *fieldInfo) string {
	if w := s.where(fi.origin); w != "" {
		return w
	}
	return fi.originText
}

// related points at the place that made the field tagged.
func (s *state) related(fi *fieldInfo) []analysis.RelatedInformation {
	if !fi.origin.IsValid() {
		return nil
	}
	return []analysis.RelatedInformation{{Pos: fi.origin, Message: fmt.Sprintf("%s %s (mask %s)", fieldName(fi), fi.how, fi.maskText)}}
}

// fieldName is "T.f" for a field, "v" for a global.
func fieldName(fi *fieldInfo) string {
	if fi.named != nil {
		return fi.named.Name() + "." + fi.obj.Name()
	}
	return fi.obj.Name()
}

// exprText returns the source text of the selector at the field access pos,
// or the field's name.
func (s *state) exprText(pos token.Pos, fi *fieldInfo) string {
	if sel, ok := s.sels[pos]; ok {
		return types.ExprString(sel)
	}
	return fieldName(fi)
}

// qual writes types of this package bare and others by package name.
func (s *state) qual(p *types.Package) string {
	if p == s.pass.Pkg {
		return ""
	}
	return p.Name()
}

// report emits one diagnostic per position and rule.
func (s *state) report(d analysis.Diagnostic) {
	k := reportKey{d.Pos, d.Category}
	if s.reported[k] {
		return
	}
	s.reported[k] = true
	fixguard.Guard(s.pass.Fset, &d)
	s.pass.Report(d)
}

// relevant reports whether the package can touch a tagged word at all:
// rule packs name Go fields, or it reads fields other packages tagged, or
// it has a //tagcheck:tagged directive or converts between unsafe.Pointer
// and an integer, which every tagging store, untagging accessor and
// pointer kept as an integer does. Most packages do none of these, and
// their SSA form is not built (go vet runs taggedptr on every dependency,
// for facts).
func (s *state) relevant() bool {
	for _, t := range s.packs.Tagged() {
		if t.Lang == rules.Go {
			return true
		}
	}
	if len(s.pass.AllObjectFacts()) > 0 {
		return true
	}
	imports := false
	for _, imp := range s.pass.Pkg.Imports() {
		if p := imp.Path(); p == "unsafe" || p == "sync/atomic" {
			imports = true
		}
	}
	return imports && (s.hasTaggedDirective() || s.convertsWords())
}

func (s *state) hasTaggedDirective() bool {
	for _, f := range s.pass.Files {
		for _, g := range f.Comments {
			for _, c := range g.List {
				if strings.HasPrefix(c.Text, "//tagcheck:tagged") {
					return true
				}
			}
		}
	}
	return false
}

// convertsWords reports whether the package converts an unsafe.Pointer
// to an integer or back.
func (s *state) convertsWords() bool {
	found := false
	ins := s.pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	ins.Preorder([]ast.Node{(*ast.CallExpr)(nil)}, func(n ast.Node) {
		call := n.(*ast.CallExpr)
		if found || len(call.Args) != 1 {
			return
		}
		to := s.pass.TypesInfo.Types[call.Fun]
		from := s.pass.TypesInfo.TypeOf(call.Args[0])
		if !to.IsType() || from == nil {
			return
		}
		found = isUnsafePointer(to.Type) && isInteger(from) || isInteger(to.Type) && isUnsafePointer(from)
	})
	return found
}
