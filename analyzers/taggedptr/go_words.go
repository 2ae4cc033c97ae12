package taggedptr

import (
	"fmt"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/tagcheck/tagcheck/report"
)

// taggedptr/foreign-write, taggedptr/gc-hidden and
// taggedptr/mask-alignment in Go: who writes the word, whether the
// collector sees the pointer, and whether the mask fits the alignment.

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
			fi.named = s.declaringType(st.field)
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
