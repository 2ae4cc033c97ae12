package taggedptr

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
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
