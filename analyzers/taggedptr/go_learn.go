package taggedptr

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// scan records every read and write of a pointer-carrying word.
func (s *state) scan() {
	for _, fn := range s.ssa.SrcFuncs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if v, ok := instr.(ssa.Value); ok {
					if ld, ok := loadOf(v); ok && isWordType(ld.field.Type()) {
						ld.fn = fn
						s.loads = append(s.loads, ld)
						fi := s.field(ld.field)
						if ld.atomic && !fi.atomicPos.IsValid() {
							fi.atomicPos = v.Pos()
						}
					}
				}
				st, ok := storesOf(instr)
				if !ok || !isWordType(st.field.Type()) {
					continue
				}
				st.fn = fn
				if call, ok := s.calls[st.pos]; ok {
					st.at = call.Pos() // report at the call, not its parenthesis
				} else {
					st.at = st.pos
				}
				fi := s.field(st.field)
				switch st.kind {
				case orStore, andStore:
					st.op, st.hasOp = s.atomicBitop(st)
				default:
					st.op, st.hasOp = s.tagOpOf(st.val)
				}
				if st.kind != plainStore && !fi.atomicPos.IsValid() {
					fi.atomicPos = st.at
				}
				s.stores = append(s.stores, st)
			}
		}
	}
	// A word converted back to a pointer carries one.
	for _, ld := range s.loads {
		fi := s.fields[ld.field]
		if pos := s.convertedBack(ld.v, map[ssa.Value]bool{}); pos.IsValid() {
			fi.carrying = true
			if !fi.backPos.IsValid() {
				fi.backPos = pos
			}
		}
	}
}

// atomicBitop describes x.f.Or(M) / atomic.AndUintptr(&x.f, ^M).
func (s *state) atomicBitop(st storeEv) (bitop, bool) {
	k, ok := st.val.(*ssa.Const)
	if !ok || k.Value == nil {
		return bitop{}, false
	}
	m, ok := uintOfConst(k.Value)
	if !ok {
		return bitop{}, false
	}
	op := bitop{set: st.kind == orStore, mask: m, pos: st.pos}
	var arg ast.Expr
	if call, ok := s.calls[st.pos]; ok && len(call.Args) > 0 {
		arg = call.Args[len(call.Args)-1]
	}
	if st.kind == andStore {
		bits := s.wordBits(k.Type())
		op.mask = ^m
		if bits < 64 {
			op.mask &= 1<<bits - 1
		}
		if op.mask == 0 || op.mask >= 1<<16 {
			return bitop{}, false
		}
	}
	if arg != nil {
		op.maskText = maskExprText(arg, st.kind == andStore, s.pass.TypesInfo)
	}
	if op.maskText == "" {
		op.maskText = "0x" + formatHex(op.mask)
	}
	return op, true
}

// convertedBack follows an integer word to a conversion into
// unsafe.Pointer and returns its position.
func (s *state) convertedBack(v ssa.Value, seen map[ssa.Value]bool) token.Pos {
	if seen[v] || v.Referrers() == nil {
		return token.NoPos
	}
	seen[v] = true
	for _, r := range *v.Referrers() {
		switch r := r.(type) {
		case *ssa.Convert:
			if isInteger(r.X.Type()) && isUnsafePointer(r.Type()) {
				return r.Pos()
			}
			if p := s.convertedBack(r, seen); p.IsValid() {
				return p
			}
		case *ssa.ChangeType, *ssa.Phi:
			if p := s.convertedBack(r.(ssa.Value), seen); p.IsValid() {
				return p
			}
		case *ssa.BinOp:
			if _, ok := r.Y.(*ssa.Const); ok && isInteger(r.Type()) {
				if p := s.convertedBack(r, seen); p.IsValid() {
					return p
				}
			}
		}
	}
	return token.NoPos
}

// learn marks fields tagged from the stores that set tag bits and the
// accessors that clear them, and finds the accessors and untag helpers.
func (s *state) learn() {
	for _, st := range s.stores {
		if !st.hasOp || !st.op.set {
			continue
		}
		fi := s.fields[st.field]
		fromPtr := st.op.word != nil && isPointerType(st.op.word.Type())
		fromWord := st.kind == orStore
		if ld, ok := loadOf(st.op.word); ok && ld.field == st.field {
			fromWord = true
		}
		if !fromPtr && !(fromWord && fi.carrying) {
			continue
		}
		fi.setTagged(st.op.mask, st.op.maskText, st.at, "", "is tagged by this store")
		fi.carrying = true
		if fromPtr && fi.pointee == nil {
			if pt, ok := st.op.word.Type().Underlying().(*types.Pointer); ok {
				fi.pointee, fi.pointeePos = pt.Elem(), st.at
			}
		}
	}
	for _, fn := range s.ssa.SrcFuncs {
		for _, b := range fn.Blocks {
			if len(b.Instrs) == 0 {
				continue
			}
			ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
			if !ok || len(ret.Results) != 1 {
				continue
			}
			op, ok := s.tagOpOf(ret.Results[0])
			if !ok || op.set {
				continue
			}
			if p, ok := op.word.(*ssa.Parameter); ok && p.Parent() == fn {
				s.helpers[fn] = true
				continue
			}
			ld, ok := loadOf(op.word)
			if !ok {
				continue
			}
			fi := s.fields[ld.field]
			// Rounding an address down (&^ 4095) is not untagging: only
			// low masks teach a tag.
			if fi == nil || !fi.carrying || op.mask > 0xff {
				continue
			}
			fi.setTagged(op.mask, op.maskText, op.pos, "", "is untagged by this accessor")
			s.access[fn] = ld.field
			if obj, ok := fn.Object().(*types.Func); ok && fn.Parent() == nil && fi.accessor == nil {
				fi.accessor = obj
			}
		}
	}
}

func formatHex(m uint64) string {
	const digits = "0123456789abcdef"
	if m == 0 {
		return "0"
	}
	var b []byte
	for ; m > 0; m >>= 4 {
		b = append([]byte{digits[m&15]}, b...)
	}
	return string(b)
}
