package taggedptr

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// storeKind says how a word is written.
type storeKind int

const (
	plainStore  storeKind = iota // x.f = v
	atomicStore                  // atomic.StoreUintptr(&x.f, v), x.f.Store(v)
	swapStore                    // Swap
	casStore                     // CompareAndSwap: val is the new value
	orStore                      // Or: val is the mask
	andStore                     // And: val is the mask kept
)

// loadEv is one read of a field's word.
type loadEv struct {
	fn     *ssa.Function
	v      ssa.Value // the loaded word
	field  *types.Var
	base   ssa.Value // the struct pointer (nil for globals)
	atomic bool
	pos    token.Pos // the selector's Sel, for its text
}

// storeEv is one write of a field's word.
type storeEv struct {
	fn    *ssa.Function
	instr ssa.Instruction
	pos   token.Pos // the instruction's position (an atomic call's Lparen)
	at    token.Pos // where to report: the assigned field, or the call
	sel   token.Pos // the selector's Sel, for its text
	field *types.Var
	base  ssa.Value
	val   ssa.Value
	kind  storeKind
	name  string // the atomic operation, "atomic.StoreUintptr" or "Store"
	op    bitop
	hasOp bool
}

// bitop is a tag set or clear: word | mask, word &^ mask, word & ^mask.
type bitop struct {
	set      bool
	mask     uint64
	maskText string
	word     ssa.Value // the other operand, conversions peeled
	pos      token.Pos
}

func isPointerType(t types.Type) bool {
	switch t := t.Underlying().(type) {
	case *types.Basic:
		return t.Kind() == types.UnsafePointer
	case *types.Pointer:
		return true
	}
	return false
}

func isUnsafePointer(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.UnsafePointer
}

func isInteger(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsInteger != 0
}

// atomicType returns the name of a sync/atomic type ("Uintptr", "Pointer"),
// or "".
func atomicType(t types.Type) string {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != "sync/atomic" {
		return ""
	}
	return n.Obj().Name()
}

func isAtomicPointer(t types.Type) bool { return atomicType(t) == "Pointer" }

// atomicPointerElem returns T of atomic.Pointer[T].
func atomicPointerElem(t types.Type) types.Type {
	if !isAtomicPointer(t) {
		return nil
	}
	// atomicType looks through one pointer: so must we (*atomic.Pointer[T]).
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if ok && n.TypeArgs().Len() == 1 {
		return n.TypeArgs().At(0)
	}
	return nil
}

// isWordType reports whether a field of type t can carry a pointer with
// tag bits.
func isWordType(t types.Type) bool {
	switch atomicType(t) {
	case "Uintptr", "Uint64", "Pointer":
		return true
	}
	if b, ok := t.Underlying().(*types.Basic); ok {
		switch b.Kind() {
		case types.Uintptr, types.Uint64, types.UnsafePointer:
			return true
		}
	}
	return false
}

func parseUint(s string) (uint64, bool) {
	s = strings.TrimRight(strings.ReplaceAll(s, "_", ""), "uUlL")
	v, err := strconv.ParseUint(s, 0, 64)
	return v, err == nil
}

func uintOfConst(v constant.Value) (uint64, bool) {
	v = constant.ToInt(v)
	if v.Kind() != constant.Int {
		return 0, false
	}
	if u, ok := constant.Uint64Val(v); ok {
		return u, true
	}
	if i, ok := constant.Int64Val(v); ok {
		return uint64(i), true
	}
	return 0, false
}

// peel strips conversions between integer and pointer types.
func peel(v ssa.Value) ssa.Value {
	for {
		switch x := v.(type) {
		case *ssa.Convert:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		default:
			return v
		}
	}
}

// fieldOfAddr returns the field or global an address names, and the base
// struct pointer.
func fieldOfAddr(v ssa.Value) (*types.Var, ssa.Value) {
	switch a := v.(type) {
	case *ssa.FieldAddr:
		pt, ok := a.X.Type().Underlying().(*types.Pointer)
		if !ok {
			return nil, nil
		}
		st, ok := pt.Elem().Underlying().(*types.Struct)
		if !ok || a.Field >= st.NumFields() {
			return nil, nil
		}
		return st.Field(a.Field).Origin(), a.X
	case *ssa.Global:
		if g, ok := a.Object().(*types.Var); ok {
			return g, nil
		}
	}
	return nil, nil
}

// selPos is the position of the selector naming an address's field.
func selPos(v ssa.Value) token.Pos {
	if a, ok := v.(*ssa.FieldAddr); ok {
		return a.Pos()
	}
	return token.NoPos
}

// atomicCall returns the sync/atomic operation a call makes: its name
// ("StoreUintptr", "Load", ...), whether it is a method, and the address
// operand (the first argument, or the receiver).
func atomicCall(c *ssa.CallCommon) (name string, method bool, addr ssa.Value) {
	fn := c.StaticCallee()
	if fn == nil || len(c.Args) == 0 {
		return "", false, nil
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok {
		if o := fn.Origin(); o != nil {
			obj, ok = o.Object().(*types.Func)
		}
		if !ok {
			return "", false, nil
		}
	}
	obj = obj.Origin()
	if obj.Pkg() == nil || obj.Pkg().Path() != "sync/atomic" {
		return "", false, nil
	}
	sig := obj.Type().(*types.Signature)
	return obj.Name(), sig.Recv() != nil, c.Args[0]
}

// atomicVerb strips the type suffix: "StoreUintptr" -> "Store".
func atomicVerb(name string) string {
	for _, v := range []string{"CompareAndSwap", "Load", "Store", "Swap", "Add", "Or", "And"} {
		if strings.HasPrefix(name, v) {
			return v
		}
	}
	return ""
}

// loadOf recognises v as a read of a field's word.
func loadOf(v ssa.Value) (ev loadEv, ok bool) {
	switch x := v.(type) {
	case *ssa.UnOp:
		if x.Op != token.MUL {
			return ev, false
		}
		f, base := fieldOfAddr(x.X)
		if f == nil {
			return ev, false
		}
		return loadEv{v: v, field: f, base: base, pos: selPos(x.X)}, true
	case *ssa.Field:
		st, ok := x.X.Type().Underlying().(*types.Struct)
		if !ok || x.Field >= st.NumFields() {
			return ev, false
		}
		return loadEv{v: v, field: st.Field(x.Field).Origin(), base: x.X, pos: x.Pos()}, true
	case *ssa.Call:
		name, _, addr := atomicCall(&x.Call)
		if atomicVerb(name) != "Load" {
			return ev, false
		}
		f, base := fieldOfAddr(addr)
		if f == nil {
			return ev, false
		}
		return loadEv{v: v, field: f, base: base, atomic: true, pos: selPos(addr)}, true
	}
	return ev, false
}

// storesOf recognises an instruction as a write of a field's word.
func storesOf(instr ssa.Instruction) (ev storeEv, ok bool) {
	switch x := instr.(type) {
	case *ssa.Store:
		f, base := fieldOfAddr(x.Addr)
		if f == nil {
			return ev, false
		}
		pos := x.Pos()
		if p := selPos(x.Addr); p.IsValid() {
			pos = p
		}
		return storeEv{instr: instr, pos: pos, sel: selPos(x.Addr), field: f, base: base, val: x.Val, kind: plainStore}, true
	case *ssa.Call:
		name, method, addr := atomicCall(&x.Call)
		if name == "" {
			return ev, false
		}
		f, base := fieldOfAddr(addr)
		if f == nil {
			return ev, false
		}
		args := x.Call.Args
		ev = storeEv{instr: instr, pos: x.Pos(), sel: selPos(addr), field: f, base: base, name: name}
		if !method {
			ev.name = "atomic." + name
		}
		switch atomicVerb(name) {
		case "Store":
			ev.kind = atomicStore
		case "Swap":
			ev.kind = swapStore
		case "CompareAndSwap":
			ev.kind = casStore
			if len(args) == 3 {
				ev.val = args[2]
			}
			return ev, ev.val != nil
		case "Or":
			ev.kind = orStore
		case "And":
			ev.kind = andStore
		default:
			return ev, false
		}
		if len(args) == 2 {
			ev.val = args[1]
		}
		return ev, ev.val != nil
	}
	return ev, false
}

// wordBits is the width of an integer word type in bits.
func (s *state) wordBits(t types.Type) uint {
	if !isInteger(t) {
		return 64
	}
	return uint(s.pass.TypesSizes.Sizeof(t) * 8)
}

// tagOpOf recognises v as a tag set or clear with a constant mask.
func (s *state) tagOpOf(v ssa.Value) (bitop, bool) {
	b, ok := peel(v).(*ssa.BinOp)
	if !ok {
		return bitop{}, false
	}
	x, y := b.X, b.Y
	k, ok := y.(*ssa.Const)
	if !ok && b.Op == token.OR {
		k, ok = x.(*ssa.Const)
		x = y
	}
	if !ok || k.Value == nil {
		return bitop{}, false
	}
	m, ok := uintOfConst(k.Value)
	if !ok {
		return bitop{}, false
	}
	op := bitop{word: peel(x), pos: b.Pos(), maskText: s.maskText(b.Pos(), m, false)}
	switch b.Op {
	case token.OR:
		op.set, op.mask = true, m
	case token.AND_NOT:
		op.mask = m
	case token.AND:
		bits := s.wordBits(b.Type())
		inv := ^m
		if bits < 64 {
			inv &= 1<<bits - 1
		}
		// Only "& ^M" with a small M is a tag clear; "& M" tests the tag.
		if inv == 0 || inv >= 1<<16 {
			return bitop{}, false
		}
		op.mask = inv
		op.maskText = s.maskText(b.Pos(), inv, true)
	default:
		return bitop{}, false
	}
	if op.mask == 0 {
		return bitop{}, false
	}
	return op, true
}

// maskText is the mask as written at an operator, or its value in hex.
func (s *state) maskText(pos token.Pos, m uint64, inverted bool) string {
	if e, ok := s.masks[pos]; ok {
		if t := maskExprText(e, inverted, s.pass.TypesInfo); t != "" {
			return t
		}
	}
	return "0x" + strconv.FormatUint(m, 16)
}

// maskExprText spells a mask operand: M for M, uintptr(M) and, when
// inverted, for ^M and ^uintptr(M). It returns "" when e is not of
// that form.
func maskExprText(e ast.Expr, inverted bool, info *types.Info) string {
	e = ast.Unparen(e)
	if inverted {
		u, ok := e.(*ast.UnaryExpr)
		if !ok || u.Op != token.XOR {
			return ""
		}
		e = ast.Unparen(u.X)
	}
	if c, ok := e.(*ast.CallExpr); ok && len(c.Args) == 1 {
		if tv, ok := info.Types[c.Fun]; ok && tv.IsType() {
			e = ast.Unparen(c.Args[0])
		}
	}
	return types.ExprString(e)
}

// ptrSource returns the pointer an integer word was made from
// (uintptr(unsafe.Pointer(p)) gives p), or nil.
func ptrSource(v ssa.Value) ssa.Value {
	for {
		switch x := v.(type) {
		case *ssa.Convert:
			if isPointerType(x.X.Type()) {
				p := x.X
				for {
					switch y := p.(type) {
					case *ssa.Convert:
						if isPointerType(y.X.Type()) {
							p = y.X
							continue
						}
					case *ssa.ChangeType:
						p = y.X
						continue
					}
					return p
				}
			}
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		default:
			if isPointerType(v.Type()) {
				return v
			}
			return nil
		}
	}
}

// topFunc is the declared function enclosing an anonymous one.
func topFunc(fn *ssa.Function) *ssa.Function {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	return fn
}

// resolve follows a captured variable of a closure to the value its
// enclosing function bound, and strips pointer conversions.
func resolve(v ssa.Value) ssa.Value {
	for i := 0; i < 16; i++ {
		switch x := v.(type) {
		case *ssa.ChangeType:
			v = x.X
			continue
		case *ssa.UnOp:
			// a captured variable: *fv, where fv is bound to an Alloc
			// holding one value
			if x.Op != token.MUL {
				return v
			}
			a, ok := resolve(x.X).(*ssa.Alloc)
			if !ok {
				return v
			}
			var stored ssa.Value
			for _, r := range *a.Referrers() {
				if st, ok := r.(*ssa.Store); ok && st.Addr == a {
					if stored != nil {
						return v
					}
					stored = st.Val
				}
			}
			if stored == nil {
				return v
			}
			v = stored
			continue
		case *ssa.FreeVar:
			fn := x.Parent()
			idx := -1
			for j, fv := range fn.FreeVars {
				if fv == x {
					idx = j
				}
			}
			parent := fn.Parent()
			if idx < 0 || parent == nil {
				return v
			}
			var bound ssa.Value
			for _, b := range parent.Blocks {
				for _, instr := range b.Instrs {
					if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == fn && idx < len(mc.Bindings) {
						bound = mc.Bindings[idx]
					}
				}
			}
			if bound == nil {
				return v
			}
			v = bound
			continue
		}
		return v
	}
	return v
}

// sameBase reports whether two loads/stores address the same struct.
func sameBase(a, b ssa.Value) bool {
	if a == nil || b == nil {
		return a == b
	}
	return resolve(a) == resolve(b)
}

// notInHeap reports whether values of t live outside the Go heap: types
// marked with the runtime's sys.NotInHeap, and everything the runtime
// itself manages.
func notInHeap(t types.Type, pkg *types.Package) bool {
	if path := pkg.Path(); path == "runtime" || strings.HasPrefix(path, "runtime/") || strings.HasPrefix(path, "internal/runtime/") {
		return true
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for i := 0; i < st.NumFields(); i++ {
		f := st.Field(i)
		if n, ok := types.Unalias(f.Type()).(*types.Named); ok && n.Obj().Name() == "NotInHeap" && n.Obj().Pkg() != nil && strings.HasSuffix(n.Obj().Pkg().Path(), "runtime/sys") {
			return true
		}
	}
	return false
}
