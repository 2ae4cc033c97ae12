package taggedptr

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// Elements of arrays, slices and maps of integer words held in a field or
// a package variable (slots [8]uintptr, handles map[int]uintptr) carry
// pointers as lone uintptr fields do: a slot table that is the only
// reference to its objects hides them from the collector.

// elemWords records the stores into such elements and where the package
// converts one back to a pointer; only gc-hidden reads them.
type elemWords struct {
	stores []storeEv
	back   map[*types.Var]token.Pos // container -> first conversion of an element back to a pointer
}

// containerOf finds the field or package variable whose element v
// addresses (an IndexAddr of an array or slice) or which is the map v
// (a load of the variable).
func containerOf(v ssa.Value) (*types.Var, ssa.Value, token.Pos) {
	if ia, ok := v.(*ssa.IndexAddr); ok {
		v = ia.X
		if f, base := fieldOfAddr(v); f != nil { // &x.arr[i], &arr[i]
			return f, base, selPos(v)
		}
	}
	ld, ok := v.(*ssa.UnOp) // x.slice[i], x.m[k]: the container is loaded first
	if !ok || ld.Op != token.MUL {
		return nil, nil, token.NoPos
	}
	f, base := fieldOfAddr(ld.X)
	return f, base, selPos(ld.X)
}

// wordElems reports whether t is an array, slice or map of integer words.
func wordElems(t types.Type) bool {
	var elem types.Type
	switch c := t.Underlying().(type) {
	case *types.Array:
		elem = c.Elem()
	case *types.Slice:
		elem = c.Elem()
	case *types.Map:
		elem = c.Elem()
	default:
		return false
	}
	return isInteger(elem) && isWordType(elem)
}

// elemStoreOf recognises a plain store of an element of a word container.
func elemStoreOf(instr ssa.Instruction) (storeEv, bool) {
	var addr, val ssa.Value
	switch x := instr.(type) {
	case *ssa.Store:
		if _, ok := x.Addr.(*ssa.IndexAddr); !ok {
			return storeEv{}, false
		}
		addr, val = x.Addr, x.Val
	case *ssa.MapUpdate:
		addr, val = x.Map, x.Value
	default:
		return storeEv{}, false
	}
	f, base, sel := containerOf(addr)
	if f == nil || !wordElems(f.Type()) {
		return storeEv{}, false
	}
	pos := instr.Pos()
	if sel.IsValid() {
		pos = sel
	}
	return storeEv{instr: instr, pos: pos, at: pos, sel: sel, field: f, base: base, val: val, kind: plainStore}, true
}

// elemLoadOf recognises a read of an element of a word container.
func elemLoadOf(v ssa.Value) (*types.Var, bool) {
	var from ssa.Value
	switch x := v.(type) {
	case *ssa.UnOp:
		if x.Op != token.MUL {
			return nil, false
		}
		if _, ok := x.X.(*ssa.IndexAddr); !ok {
			return nil, false
		}
		from = x.X
	case *ssa.Lookup:
		from = x.X
	case *ssa.Index:
		if ld, ok := x.X.(*ssa.UnOp); ok {
			from = ld
		}
	}
	if from == nil {
		return nil, false
	}
	f, _, _ := containerOf(from)
	if f == nil || !wordElems(f.Type()) {
		return nil, false
	}
	return f, true
}

// scanElems collects the element stores and the conversions back.
func (s *state) scanElems() {
	s.elems.back = map[*types.Var]token.Pos{}
	for _, fn := range s.ssa.SrcFuncs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if st, ok := elemStoreOf(instr); ok {
					st.fn = fn
					s.elems.stores = append(s.elems.stores, st)
				}
				v, ok := instr.(ssa.Value)
				if !ok {
					continue
				}
				f, ok := elemLoadOf(v)
				if !ok || s.elems.back[f].IsValid() {
					continue
				}
				if pos := s.convertedBack(v, map[ssa.Value]bool{}); pos.IsValid() {
					s.elems.back[f] = pos
				}
			}
		}
	}
}
