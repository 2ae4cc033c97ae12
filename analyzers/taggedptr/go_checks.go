package taggedptr

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"go/version"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/tagcheck/tagcheck/report"
)

// fieldBase names one field of one struct value within a function.
type fieldBase struct {
	field *types.Var
	base  ssa.Value
}

// untaggedDerefs follows every raw read of a tagged word to the places
// where it is used as a *T.
func (s *state) untaggedDerefs() {
	zero := map[*ssa.Function]map[fieldBase][]*ssa.BasicBlock{}
	for _, ld := range s.loads {
		fi := s.fields[ld.field]
		if !fi.tagged {
			continue
		}
		// Accessors handle the tag; their conversions still tell the pointee.
		quiet := s.access[ld.fn] != nil || s.access[topFunc(ld.fn)] != nil
		if zero[ld.fn] == nil {
			zero[ld.fn] = s.tagZeroBlocks(ld.fn)
		}
		w := &wordWalk{s: s, fi: fi, ld: ld, quiet: quiet, zero: zero[ld.fn][fieldBase{ld.field, resolve(ld.base)}], seen: map[ssa.Value]bool{}}
		if pt, ok := ld.v.Type().Underlying().(*types.Pointer); ok {
			// atomic.Pointer[T].Load gives a *T directly.
			if fi.pointee == nil {
				fi.pointee, fi.pointeePos = pt.Elem(), ld.v.Pos()
			}
			if !quiet {
				w.pointer(ld.v.(ssa.Instruction), ld.v)
			}
			continue
		}
		w.follow(ld.v, false)
	}
}

type wordWalk struct {
	s     *state
	fi    *fieldInfo
	ld    loadEv
	quiet bool
	zero  []*ssa.BasicBlock
	seen  map[ssa.Value]bool
}

// follow walks a word through conversions and phis; untagged says the
// mask has been cleared on the way.
func (w *wordWalk) follow(v ssa.Value, untagged bool) {
	if w.seen[v] || v.Referrers() == nil {
		return
	}
	w.seen[v] = true
	for _, r := range *v.Referrers() {
		switch r := r.(type) {
		case *ssa.Convert, *ssa.ChangeType:
			rv := r.(ssa.Value)
			if pt, ok := rv.Type().Underlying().(*types.Pointer); ok {
				if w.fi.pointee == nil {
					w.fi.pointee, w.fi.pointeePos = pt.Elem(), rv.Pos()
				}
				if !untagged && !w.quiet {
					w.pointer(r, rv)
				}
				continue
			}
			w.follow(rv, untagged)
		case *ssa.Phi:
			u := untagged
			for _, e := range r.Edges {
				if op, ok := w.s.tagOpOf(e); ok && !op.set {
					u = true // the code clears the tag on some path: it knows
				}
			}
			w.follow(r, u)
		case *ssa.BinOp:
			if op, ok := w.s.tagOpOf(r); ok && !op.set && op.mask&w.fi.mask != 0 {
				w.follow(r, true)
			}
		case *ssa.Store:
			// A local that stays in memory (captured, address taken):
			// follow its loads when this is the only value it ever holds.
			if a, ok := r.Addr.(*ssa.Alloc); ok && r.Val == v && onlyStore(a) {
				for _, rr := range *a.Referrers() {
					if u, ok := rr.(*ssa.UnOp); ok && u.Op == token.MUL {
						w.follow(u, untagged)
					}
				}
			}
		}
	}
}

// onlyStore reports whether a is written exactly once.
func onlyStore(a *ssa.Alloc) bool {
	n := 0
	for _, r := range *a.Referrers() {
		switch r := r.(type) {
		case *ssa.Store:
			if r.Addr == a {
				n++
			}
		case *ssa.UnOp, *ssa.DebugRef:
		case *ssa.MakeClosure:
			// captured: the closure must only read it
			fn := r.Fn.(*ssa.Function)
			for i, b := range r.Bindings {
				if b != a || i >= len(fn.FreeVars) {
					continue
				}
				refs := fn.FreeVars[i].Referrers()
				if refs == nil {
					continue
				}
				for _, fr := range *refs {
					if _, ok := fr.(*ssa.UnOp); !ok {
						return false
					}
				}
			}
		default:
			return false // escapes to code that may write it
		}
	}
	return n == 1
}

// pointer reports the raw *T p (made at instr) if it is used as a pointer
// where the tag may be set.
func (w *wordWalk) pointer(instr ssa.Instruction, p ssa.Value) {
	use := w.s.pointerUse(p, map[ssa.Value]bool{})
	if use == nil {
		return
	}
	for _, z := range w.zero {
		if z.Dominates(instr.Block()) {
			return
		}
	}
	w.s.reportDeref(w.fi, w.ld, instr, p, use)
}

// pointerUse returns the first instruction using p as a pointer: a
// dereference, a call argument, a store of it; comparisons and atomic
// operations do not count.
func (s *state) pointerUse(p ssa.Value, seen map[ssa.Value]bool) ssa.Instruction {
	if seen[p] || p.Referrers() == nil {
		return nil
	}
	seen[p] = true
	for _, r := range *p.Referrers() {
		switch r := r.(type) {
		case *ssa.DebugRef:
		case *ssa.BinOp:
		case *ssa.ChangeType, *ssa.Phi:
			if u := s.pointerUse(r.(ssa.Value), seen); u != nil {
				return u
			}
		case *ssa.Convert:
			// back to a word (uintptr) is not a use of the pointer
			if isPointerType(r.Type()) {
				if u := s.pointerUse(r, seen); u != nil {
					return u
				}
			}
		case *ssa.Call:
			if name, _, _ := atomicCall(&r.Call); name != "" {
				continue
			}
			if fn := r.Call.StaticCallee(); fn != nil && (s.helpers[fn] || s.access[fn] != nil) {
				continue
			}
			return r
		default:
			return r
		}
	}
	return nil
}

// tagZeroBlocks finds, per field and base, the blocks entered only when
// the word's tag bits tested zero.
func (s *state) tagZeroBlocks(fn *ssa.Function) map[fieldBase][]*ssa.BasicBlock {
	out := map[fieldBase][]*ssa.BasicBlock{}
	for _, b := range fn.Blocks {
		if len(b.Instrs) == 0 {
			continue
		}
		ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok || len(b.Succs) != 2 {
			continue
		}
		cmp, ok := ifi.Cond.(*ssa.BinOp)
		if !ok || (cmp.Op != token.EQL && cmp.Op != token.NEQ) {
			continue
		}
		x, k := cmp.X, cmp.Y
		if _, ok := x.(*ssa.Const); ok {
			x, k = k, x
		}
		if c, ok := k.(*ssa.Const); !ok || c.Value == nil || c.Value.String() != "0" {
			continue
		}
		and, ok := peel(x).(*ssa.BinOp)
		if !ok || and.Op != token.AND {
			continue
		}
		ld, ok := loadOf(peel(and.X))
		if !ok {
			ld, ok = loadOf(peel(and.Y))
		}
		if !ok {
			continue
		}
		succ := b.Succs[0]
		if cmp.Op == token.NEQ {
			succ = b.Succs[1]
		}
		if len(succ.Preds) != 1 {
			continue
		}
		key := fieldBase{ld.field, resolve(ld.base)}
		out[key] = append(out[key], succ)
	}
	return out
}

// reportDeref reports a raw tagged word used as a pointer.
func (s *state) reportDeref(fi *fieldInfo, ld loadEv, instr ssa.Instruction, p ssa.Value, use ssa.Instruction) {
	pos, end := instr.Pos(), token.NoPos
	conv := s.calls[instr.Pos()]
	if conv != nil {
		pos, end = conv.Pos(), conv.End()
	}
	if !pos.IsValid() {
		pos = use.Pos()
	}
	how := "passed on"
	switch u := use.(type) {
	case *ssa.FieldAddr, *ssa.IndexAddr, *ssa.UnOp, *ssa.Field:
		how = "dereferenced"
	case *ssa.Store:
		if u.Addr == p {
			how = "dereferenced"
		} else {
			how = "stored"
		}
	case *ssa.Return:
		how = "returned"
	case *ssa.Call:
		if fn := u.Call.StaticCallee(); fn != nil {
			how = "passed to " + fn.Name()
		}
	}
	name := s.exprText(ld.pos, fi)
	where := ""
	if o := s.originOf(fi); strings.HasPrefix(o, "by ") {
		where = ", declared " + o
	} else if o != "" {
		where = ", tagged at " + o
	}
	advice := "clear the tag first (&^ " + fi.maskText + ")"
	var fixes []analysis.SuggestedFix
	if acc, repl := s.accessorCall(fi, conv, p.Type()); repl != "" {
		advice = "use " + acc
		fixes = []analysis.SuggestedFix{{
			Message:   "Untag with " + acc,
			TextEdits: []analysis.TextEdit{{Pos: conv.Pos(), End: conv.End(), NewText: []byte(repl)}},
		}}
	} else if sig := accessorSig(fi); sig != nil && sig.Recv() != nil && sig.Params().Len() == 0 && s.sels[ld.pos] != nil {
		advice = "use " + types.ExprString(s.sels[ld.pos].X) + "." + fi.accessor.Name() + "()"
	} else if fi.accessor != nil && fi.accessor.Type().(*types.Signature).Recv() != nil {
		advice = "use its accessor " + fi.accessor.Name()
	} else if fi.accessor != nil {
		advice = "use " + fi.accessor.Name()
	} else if fi.accessorText != "" {
		advice = "use " + fi.accessorText
	}
	s.report(analysis.Diagnostic{
		Pos:      pos,
		End:      end,
		Category: short(report.UntaggedDeref),
		Message: fmt.Sprintf("%s: %s carries tag bits (mask %s%s) but is %s as %s without clearing them: the address is off by the tag, so the access hits the wrong memory; %s",
			report.UntaggedDeref, name, fi.maskText, where, how, types.TypeString(p.Type(), s.qual), advice),
		Related:        s.related(fi),
		SuggestedFixes: fixes,
	})
}

func accessorSig(fi *fieldInfo) *types.Signature {
	if fi.accessor == nil {
		return nil
	}
	return fi.accessor.Type().(*types.Signature)
}

// accessorCall builds the accessor call replacing the conversion conv of
// x.f to type want, when the accessor's shape allows it: a method of the
// field's type without parameters, a function of the struct pointer, or a
// helper of the word, returning want.
func (s *state) accessorCall(fi *fieldInfo, conv *ast.CallExpr, want types.Type) (name, repl string) {
	acc := fi.accessor
	if acc == nil || conv == nil || len(conv.Args) != 1 {
		return "", ""
	}
	sig := acc.Type().(*types.Signature)
	// Another package's accessor is callable without a qualifier only as
	// an exported method.
	if acc.Pkg() != s.pass.Pkg && (sig.Recv() == nil || !acc.Exported()) {
		return "", ""
	}
	sel := fieldSelector(conv.Args[0], fi, s.pass.TypesInfo)
	if sel == nil {
		return "", ""
	}
	if sig.Results().Len() != 1 || !types.Identical(sig.Results().At(0).Type(), want) {
		return "", ""
	}
	x := types.ExprString(sel.X)
	switch {
	case sig.Recv() != nil && sig.Params().Len() == 0:
		return x + "." + acc.Name() + "()", x + "." + acc.Name() + "()"
	case sig.Recv() == nil && sig.Params().Len() == 1:
		pt := sig.Params().At(0).Type()
		if xt := s.pass.TypesInfo.TypeOf(sel.X); xt != nil && types.Identical(pt, xt) {
			return acc.Name() + "(" + x + ")", acc.Name() + "(" + x + ")"
		}
		if types.Identical(pt, fi.obj.Type()) {
			return acc.Name() + "(" + types.ExprString(sel) + ")", acc.Name() + "(" + types.ExprString(sel) + ")"
		}
	}
	return "", ""
}

// fieldSelector finds x.f inside unsafe.Pointer(x.f) or x.f itself.
func fieldSelector(e ast.Expr, fi *fieldInfo, info *types.Info) *ast.SelectorExpr {
	for {
		switch x := e.(type) {
		case *ast.ParenExpr:
			e = x.X
			continue
		case *ast.CallExpr:
			if tv, ok := info.Types[x.Fun]; ok && tv.IsType() && len(x.Args) == 1 {
				e = x.Args[0]
				continue
			}
			// atomic.LoadUintptr(&x.f), x.f.Load()
			fn, ok := typeutil.Callee(info, x).(*types.Func)
			if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "sync/atomic" || !strings.HasPrefix(fn.Name(), "Load") {
				return nil
			}
			if sel, ok := x.Fun.(*ast.SelectorExpr); ok && fn.Type().(*types.Signature).Recv() != nil {
				e = sel.X
				continue
			}
			if len(x.Args) == 1 {
				if u, ok := ast.Unparen(x.Args[0]).(*ast.UnaryExpr); ok && u.Op == token.AND {
					e = u.X
					continue
				}
			}
			return nil
		case *ast.SelectorExpr:
			if v, ok := info.Uses[x.Sel].(*types.Var); ok && v.Origin() == fi.obj {
				return x
			}
		}
		return nil
	}
}

// short is the rule name without its family: "untagged-deref".
func short(rule string) string {
	_, name, _ := strings.Cut(rule, "/")
	return name
}

// racyRMWs reports tag updates made of a read and a separate write.
func (s *state) racyRMWs() {
	for _, st := range s.stores {
		fi := s.fields[st.field]
		if !fi.tagged || !st.hasOp || st.op.mask&fi.mask == 0 {
			continue
		}
		switch st.kind {
		case casStore, orStore, andStore:
			continue
		}
		ld, ok := loadOf(st.op.word)
		if !ok || ld.field != st.field || !sameBase(ld.base, st.base) {
			continue
		}
		// An object this function allocated is not shared yet.
		if a, ok := resolve(st.base).(*ssa.Alloc); ok && topFunc(a.Parent()) == topFunc(st.fn) {
			continue
		}
		// Writers serialized by a mutex, readers atomic: fine, unless some
		// writer of the word goes without the lock (CAS, Or, And, Swap).
		if underLock(st.instr) && !s.lockFreeWriter(st.field) {
			continue
		}
		verb := "sets"
		if !st.op.set {
			verb = "clears"
		}
		name := s.exprText(st.sel, fi)
		var msg string
		switch {
		case ld.atomic || st.kind != plainStore:
			read, write := "a plain read", "an atomic "+st.name
			if strings.HasPrefix(st.name, "atomic.") {
				write = st.name
			}
			if ld.atomic {
				read = "an atomic Load"
			}
			if st.kind == plainStore {
				write = "a plain store"
			}
			msg = fmt.Sprintf("%s: %s the tag %s of %s with %s followed by %s: a concurrent CompareAndSwap between the two is silently undone; %s",
				report.RacyRMW, verb, fi.maskText, name, read, write, s.rmwAdvice(st, fi))
		case fi.atomicPos.IsValid():
			msg = fmt.Sprintf("%s: %s the tag %s of %s with a plain read-modify-write, but %s is accessed atomically at %s: the update races with those accesses and can lose them; %s",
				report.RacyRMW, verb, fi.maskText, name, fieldName(fi), s.where(fi.atomicPos), s.rmwAdvice(st, fi))
		default:
			continue
		}
		d := analysis.Diagnostic{Pos: st.at, Category: short(report.RacyRMW), Message: msg, Related: s.related(fi)}
		if fix := s.rmwFix(st); fix != nil {
			d.SuggestedFixes = []analysis.SuggestedFix{*fix}
		}
		s.report(d)
	}
}

// underLock reports whether a sync.Mutex or sync.RWMutex Lock call comes
// before instr on every path through its function.
func underLock(instr ssa.Instruction) bool {
	blk := instr.Block()
	for _, b := range instr.Parent().Blocks {
		if !b.Dominates(blk) {
			continue
		}
		for _, i := range b.Instrs {
			if b == blk && i == instr {
				break
			}
			c, ok := i.(*ssa.Call)
			if !ok {
				continue
			}
			fn := c.Call.StaticCallee()
			if fn == nil {
				continue
			}
			if obj, ok := fn.Object().(*types.Func); ok && (obj.FullName() == "(*sync.Mutex).Lock" || obj.FullName() == "(*sync.RWMutex).Lock") {
				return true
			}
		}
	}
	return false
}

// lockFreeWriter reports whether the package writes the word with an
// atomic read-modify-write (CompareAndSwap, Or, And, Swap) anywhere.
func (s *state) lockFreeWriter(f *types.Var) bool {
	for _, st := range s.stores {
		if st.field == f {
			switch st.kind {
			case casStore, orStore, andStore, swapStore:
				return true
			}
		}
	}
	return false
}

// plainWriter returns the first plain store of the word in the package.
func (s *state) plainWriter(f *types.Var) token.Pos {
	for _, st := range s.stores {
		if st.field == f && st.kind == plainStore {
			return st.at
		}
	}
	return token.NoPos
}

// orAndSuffix returns the sync/atomic type suffix ("Uintptr") for a word
// type that has Or and And, or "".
func orAndSuffix(t types.Type) string {
	switch a := atomicType(t); a {
	case "Uintptr", "Uint64", "Uint32", "Int64", "Int32":
		return a
	case "":
	default:
		return ""
	}
	if b, ok := t.Underlying().(*types.Basic); ok {
		switch b.Kind() {
		case types.Uintptr:
			return "Uintptr"
		case types.Uint64:
			return "Uint64"
		}
	}
	return ""
}

func (s *state) rmwAdvice(st storeEv, fi *fieldInfo) string {
	suffix := orAndSuffix(fi.obj.Type())
	if suffix == "" || !s.go123(st.pos) {
		return "use a CompareAndSwap loop"
	}
	op := "Or"
	if !st.op.set {
		op = "And"
	}
	if atomicType(fi.obj.Type()) != "" {
		return fmt.Sprintf("use %s.%s (Go 1.23) or a CompareAndSwap loop", s.exprText(st.sel, fi), op)
	}
	return fmt.Sprintf("use atomic.%s%s (Go 1.23) or a CompareAndSwap loop", op, suffix)
}

// go123 reports whether the file at pos may use Go 1.23's Or and And.
func (s *state) go123(pos token.Pos) bool {
	v := s.pass.Pkg.GoVersion()
	if f := s.files[s.pass.Fset.File(pos)]; f != nil {
		if fv := s.pass.TypesInfo.FileVersions[f]; fv != "" {
			v = fv
		}
	}
	return v == "" || version.Compare(v, "go1.23") >= 0
}

// rmwFix rewrites x.f.Store(x.f.Load() | M) as x.f.Or(M), the
// package-function form likewise, and a plain x.f |= M as
// atomic.OrUintptr(&x.f, M), when the whole update is that one statement
// or expression.
func (s *state) rmwFix(st storeEv) *analysis.SuggestedFix {
	fi := s.fields[st.field]
	suffix := orAndSuffix(fi.obj.Type())
	if suffix == "" || !s.go123(st.pos) {
		return nil
	}
	op, mask := "Or", st.op.maskText
	if !st.op.set {
		op, mask = "And", "^"+strings.ToLower(suffix)+"("+mask+")"
	}
	var repl string
	var from, to token.Pos
	switch st.kind {
	case atomicStore:
		call := s.calls[st.pos]
		if call == nil || len(call.Args) == 0 {
			return nil
		}
		bin, ok := ast.Unparen(call.Args[len(call.Args)-1]).(*ast.BinaryExpr)
		if !ok || bin.OpPos != st.op.pos {
			return nil
		}
		fun, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		if atomicType(fi.obj.Type()) != "" {
			repl = fmt.Sprintf("%s.%s(%s)", types.ExprString(fun.X), op, mask)
		} else {
			repl = fmt.Sprintf("%s.%s%s(%s, %s)", types.ExprString(fun.X), op, suffix, types.ExprString(call.Args[0]), mask)
		}
		from, to = call.Pos(), call.End()
	case plainStore:
		as := s.assigns[st.op.pos]
		if as == nil || atomicType(fi.obj.Type()) != "" || (as.Tok != token.OR_ASSIGN && as.Tok != token.AND_NOT_ASSIGN) {
			return nil
		}
		pkg := s.importName(as.Pos(), "sync/atomic")
		if pkg == "" {
			return nil
		}
		repl = fmt.Sprintf("%s.%s%s(&%s, %s)", pkg, op, suffix, types.ExprString(as.Lhs[0]), mask)
		from, to = as.Pos(), as.End()
	default:
		return nil
	}
	return &analysis.SuggestedFix{
		Message:   "Use " + repl,
		TextEdits: []analysis.TextEdit{{Pos: from, End: to, NewText: []byte(repl)}},
	}
}

// importName is the name under which the file at pos imports path, or "".
func (s *state) importName(pos token.Pos, path string) string {
	f := s.files[s.pass.Fset.File(pos)]
	if f == nil {
		return ""
	}
	for _, imp := range f.Imports {
		if strings.Trim(imp.Path.Value, `"`) != path {
			continue
		}
		if imp.Name != nil {
			if imp.Name.Name == "_" || imp.Name.Name == "." {
				return ""
			}
			return imp.Name.Name
		}
		return path[strings.LastIndex(path, "/")+1:]
	}
	return ""
}

// foreignWrites reports tag writes into values the function does not own.
func (s *state) foreignWrites() {
	for _, st := range s.stores {
		fi := s.fields[st.field]
		if !fi.tagged || fi.named == nil || !st.hasOp || st.op.mask&fi.mask == 0 {
			continue
		}
		// A CompareAndSwap on a word that everyone writes atomically is
		// the lock-free protocol; against a plain writer it is not.
		plain := s.plainWriter(st.field)
		if st.kind == casStore && !plain.IsValid() {
			continue
		}
		base := resolve(st.base)
		top := topFunc(st.fn)
		var recv *ssa.Parameter
		if top.Signature.Recv() != nil && len(top.Params) > 0 {
			recv = top.Params[0]
		}
		if recv != nil && derivedFrom(base, recv) {
			continue
		}
		if a, ok := base.(*ssa.Alloc); ok && topFunc(a.Parent()) == top {
			continue
		}
		verb := "sets"
		if !st.op.set {
			verb = "clears"
		}
		name := s.exprText(st.sel, fi)
		var why string
		if recv != nil && isMethodOf(top, fi.named) {
			why = fmt.Sprintf("%s is not the receiver %s but another %s; only a %s's own methods, on their receiver, may write its tag bits",
				baseText(s, st, fi), recv.Name(), fi.named.Name(), fi.named.Name())
		} else {
			why = fmt.Sprintf("%s is not a method of %s on this value and did not allocate it; only a %s's own methods may write its tag bits",
				top.Name(), fi.named.Name(), fi.named.Name())
		}
		if st.kind == casStore {
			why += fmt.Sprintf("; the CompareAndSwap does not help, since %s is also written plainly at %s", fieldName(fi), s.where(plain))
		}
		s.report(analysis.Diagnostic{
			Pos:      st.at,
			Category: short(report.ForeignWrite),
			Message: fmt.Sprintf("%s: %s tag bits (mask %s) in %s, a field of a value this code does not own: %s; the owner writes %s without expecting foreign bits, and every plain reader of it now sees a tagged address",
				report.ForeignWrite, verb, st.op.maskText, name, why, fieldName(fi)),
			Related: s.related(fi),
		})
	}
}

func baseText(s *state, st storeEv, fi *fieldInfo) string {
	if sel, ok := s.sels[st.sel]; ok {
		return types.ExprString(sel.X)
	}
	return "the value"
}

// isMethodOf reports whether fn is a method of named.
func isMethodOf(fn *ssa.Function, named *types.TypeName) bool {
	recv := fn.Signature.Recv()
	if recv == nil {
		return false
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Origin().Obj() == named
}

// derivedFrom reports whether v is recv, or reached from it only through
// embedded fields.
func derivedFrom(v ssa.Value, recv *ssa.Parameter) bool {
	for i := 0; i < 16; i++ {
		v = resolve(v)
		if v == recv {
			return true
		}
		fa, ok := v.(*ssa.FieldAddr)
		if !ok {
			return false
		}
		pt, ok := fa.X.Type().Underlying().(*types.Pointer)
		if !ok {
			return false
		}
		st, ok := pt.Elem().Underlying().(*types.Struct)
		if !ok || !st.Field(fa.Field).Embedded() {
			return false
		}
		v = fa.X
	}
	return false
}

// gcHidden reports pointers kept only in integer words that the package
// converts back to pointers.
func (s *state) gcHidden() {
	for _, st := range s.stores {
		fi := s.fields[st.field]
		if !isInteger(fi.obj.Type()) && orAndSuffix(fi.obj.Type()) == "" {
			continue
		}
		if !fi.backPos.IsValid() || st.kind == orStore || st.kind == andStore || overlay(st.base) || isHeaderField(fi) {
			continue
		}
		s.hiddenIn(st, s.exprText(st.sel, fi), fi.backPos, types.TypeString(fi.obj.Type(), s.qual), fieldName(fi))
	}
	for _, st := range s.elems.stores {
		back := s.elems.back[st.field]
		if !back.IsValid() || overlay(st.base) {
			continue
		}
		fi := &fieldInfo{obj: st.field} // named only: containers are not words of s.fields
		if st.field.IsField() {
			fi.named = declaringType(st.field)
		}
		elem := "an element of " + s.exprText(st.sel, fi)
		s.hiddenIn(st, elem, back, "uintptr", "an element of "+fieldName(fi))
	}
}

// hiddenIn reports the store st, which puts a pointer into the integer
// word name (of type typ, converted back to a pointer at back), when the
// function keeps that pointer nowhere the collector sees.
func (s *state) hiddenIn(st storeEv, name string, back token.Pos, typ, word string) {
	w := peel(st.val)
	if st.hasOp && st.op.set {
		w = st.op.word
	}
	if !isPointerType(w.Type()) {
		return
	}
	if pt, ok := w.Type().Underlying().(*types.Pointer); ok && notInHeap(pt.Elem(), s.pass.Pkg) {
		return
	} else if !ok && notInHeap(w.Type(), s.pass.Pkg) {
		return
	}
	var what string
	switch o := w.(type) {
	case *ssa.Alloc:
		if o.Heap {
			what = "a new " + types.TypeString(o.Type().(*types.Pointer).Elem(), s.qual)
		} else {
			what = "a stack variable, which moves when the stack grows"
		}
	case *ssa.Parameter:
		what = o.Name()
	default:
		return
	}
	if keptElsewhere(w, map[ssa.Value]bool{}) {
		return
	}
	s.report(analysis.Diagnostic{
		Pos:      st.at,
		Category: short(report.GCHidden),
		Message: fmt.Sprintf("%s: %s keeps the address of %s only as a %s: the garbage collector does not see integers, so the object may be freed while %s still holds its address, and %s is converted back to a pointer at %s; keep it in a pointer-typed field (unsafe.Pointer or *T) as well",
			report.GCHidden, name, what, typ, name, word, s.where(back)),
		Related: []analysis.RelatedInformation{{Pos: back, Message: word + " converted back to a pointer"}},
	})
}

// keptElsewhere reports whether the function also stores pointer p (or a
// pointer conversion of it) somewhere the collector sees, or returns it.
func keptElsewhere(p ssa.Value, seen map[ssa.Value]bool) bool {
	if seen[p] || p.Referrers() == nil {
		return false
	}
	seen[p] = true
	for _, r := range *p.Referrers() {
		switch r := r.(type) {
		case *ssa.Store:
			if r.Val == p {
				return true
			}
		case *ssa.MapUpdate:
			if r.Value == p || r.Key == p {
				return true
			}
		case *ssa.Send:
			if r.X == p {
				return true
			}
		case *ssa.Return:
			return true
		case *ssa.ChangeType, *ssa.Phi, *ssa.MakeInterface:
			if keptElsewhere(r.(ssa.Value), seen) {
				return true
			}
		case *ssa.Convert:
			if isPointerType(r.Type()) && keptElsewhere(r, seen) {
				return true
			}
		}
	}
	return false
}

// maskAlignment reports masks that reach above the pointee's free low bits.
func (s *state) maskAlignment() {
	fis := make([]*fieldInfo, 0, len(s.fields))
	for _, fi := range s.fields {
		fis = append(fis, fi)
	}
	sort.Slice(fis, func(i, j int) bool { return fis[i].obj.Pos() < fis[j].obj.Pos() })
	for _, fi := range fis {
		if !fi.tagged || fi.obj.Pkg() != s.pass.Pkg || fi.pointee == nil {
			continue
		}
		t := fi.pointee
		if _, ok := t.Underlying().(*types.Interface); ok || isUnsafePointer(t) {
			continue
		}
		if mentionsTypeParam(t, map[types.Type]bool{}) {
			continue // its alignment depends on the instantiation
		}
		align := uint64(s.pass.TypesSizes.Alignof(t))
		if align == 0 {
			continue
		}
		low := fi.mask & 0xffff
		bad := low &^ (align - 1)
		if bad == 0 {
			continue
		}
		pos := fi.origin
		if !pos.IsValid() {
			pos = fi.pointeePos
		}
		if !pos.IsValid() {
			continue
		}
		free := "no low bits"
		switch {
		case align == 2:
			free = "only bit 0"
		case align > 2:
			free = fmt.Sprintf("only bits 0-%d", log2(align)-1)
		}
		tn := types.TypeString(t, s.qual)
		s.report(analysis.Diagnostic{
			Pos:      pos,
			Category: short(report.MaskAlignment),
			Message: fmt.Sprintf("%s: mask %s (%#x) of %s uses %s, but %s has %d-byte alignment, which leaves %s of its address free: the tag overwrites address bits (Go promises no more alignment than the type's); narrow the mask to %#x or raise %s's alignment",
				report.MaskAlignment, fi.maskText, fi.mask, fieldName(fi), bitList(bad), tn, align, free, low&(align-1), tn),
		})
	}
}

func log2(x uint64) int {
	n := 0
	for x > 1 {
		x >>= 1
		n++
	}
	return n
}

func bitList(m uint64) string {
	var bits []string
	for i := 0; i < 64; i++ {
		if m&(1<<i) != 0 {
			bits = append(bits, fmt.Sprint(i))
		}
	}
	if len(bits) == 1 {
		return "bit " + bits[0]
	}
	return "bits " + strings.Join(bits, ", ")
}

// overlay reports whether base is a struct laid over other memory,
// (*T)(unsafe.Pointer(&x)): what it stores lands in x, which the collector
// may well see (a slice's data pointer through a SliceHeader).
func overlay(base ssa.Value) bool {
	if base == nil {
		return false
	}
	c, ok := resolve(base).(*ssa.Convert)
	return ok && isUnsafePointer(c.X.Type())
}

// isHeaderField reports fields of reflect.SliceHeader and StringHeader,
// which describe memory the collector sees through the real slice.
func isHeaderField(fi *fieldInfo) bool {
	if fi.named == nil || fi.named.Pkg() == nil || fi.named.Pkg().Path() != "reflect" {
		return false
	}
	return fi.named.Name() == "SliceHeader" || fi.named.Name() == "StringHeader"
}

// mentionsTypeParam reports whether t's layout depends on a type
// parameter (go/types cannot size it).
func mentionsTypeParam(t types.Type, seen map[types.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t := types.Unalias(t).(type) {
	case *types.TypeParam:
		return true
	case *types.Named:
		for i := 0; i < t.TypeArgs().Len(); i++ {
			if mentionsTypeParam(t.TypeArgs().At(i), seen) {
				return true
			}
		}
		if t.TypeParams().Len() > 0 && t.TypeArgs().Len() == 0 {
			return true
		}
		return mentionsTypeParam(t.Underlying(), seen)
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			if mentionsTypeParam(t.Field(i).Type(), seen) {
				return true
			}
		}
	case *types.Array:
		return mentionsTypeParam(t.Elem(), seen)
	}
	return false
}
