package taggedptr

import (
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/rules"
)

// What makes a C field a tagged pointer. A store of X->f | MASK is a tag
// write only when f holds an address and MASK is a constant of low bits
// the address leaves free: bitmaps (__set_bit(bit, (unsigned long
// *)&c->intercepts)), register values ((u64)hi << 32 | lo) and control
// words (clear_bit(10, &b->ctl)) take the same shape and are not tags.

// cPointerWords lists the integer fields ("struct.field") that the code
// in view converts to a pointer: (T *)X->f, (T *)(X->f & ~M),
// (T *)READ_ONCE(X->f).
func cPointerWords(funcs []*flow.Func, env *cEnv) map[string]bool {
	out := map[string]bool{}
	for _, f := range funcs {
		cEvents(f, func(_ *flow.Block, ev *flow.Event) {
			flow.Walk(ev.X, func(x *flow.Expr) bool {
				if x.Op != flow.OpCast || !strings.Contains(x.Name, "*") {
					return true
				}
				if fld := cMaskedRead(x.Arg(0)); fld != nil {
					if s := env.fieldStruct(f, fld); s != "" {
						out[s+"."+fld.Name] = true
					}
				}
				return true
			})
		})
	}
	return out
}

// cMaskedRead returns the field e reads, itself or with bits masked off
// (X->f & ~M), through casts and read accessors.
func cMaskedRead(e *flow.Expr) *flow.Expr {
	if s := flow.Strip(e); s != nil && s.Op == flow.OpBinary && s.Name == "&" {
		if r := rules.ReadOf(s.Arg(0)); r != nil {
			return r
		}
		return rules.ReadOf(s.Arg(1))
	}
	return rules.ReadOf(e)
}

// fieldType is the declared type of s.f, "" when not in view.
func (env *cEnv) fieldType(s, f string) string {
	return env.structs[s][f]
}

// tagsPointer reports whether tw, a write of s.f in fn, tags a pointer:
// the mask is a constant of bits below the pointee's alignment, and the
// field is a pointer, or an integer word that holds one (the write stores
// an address into it, or the code converts it back to a pointer). A field
// whose declaration is not in view is judged by the write alone, whose
// casts already say it handles an address.
func (env *cEnv) tagsPointer(fn *flow.Func, s string, tw rules.TagWrite, words map[string]bool) bool {
	t := env.fieldType(s, tw.Field.Name)
	if !rules.LowBitMask(tw.Mask, env.pointeeAlign(t)) {
		return false
	}
	switch {
	case t == "":
		return true
	case strings.Contains(t, "["):
		return false // an array: its bits are a bitmap
	case strings.Contains(t, "*"):
		return true
	}
	return words[s+"."+tw.Field.Name] || env.storesAddress(fn, tw.Node, tw.Field)
}

// storesAddress reports whether the write node converts an address to an
// integer ((unsigned long)desc | 1, with desc a pointer), other than the
// field itself.
func (env *cEnv) storesAddress(fn *flow.Func, node, place *flow.Expr) bool {
	found := false
	flow.Walk(node, func(x *flow.Expr) bool {
		if found || x.Op != flow.OpCast || !rules.IntegerType(x.Name) {
			return !found
		}
		a := flow.Strip(x.Arg(0))
		if a == nil || a.Key() == place.Key() {
			return true
		}
		found = env.isPointer(fn, a)
		return !found
	})
	return found
}

// isPointer reports whether e has a pointer type in fn.
func (env *cEnv) isPointer(fn *flow.Func, e *flow.Expr) bool {
	switch e.Op {
	case flow.OpIdent:
		return strings.Contains(fn.TypeOf(e.Name), "*")
	case flow.OpUnary:
		return e.Name == "&"
	case flow.OpField:
		if s := env.fieldStruct(fn, e); s != "" {
			return strings.Contains(env.fieldType(s, e.Name), "*")
		}
	}
	return env.typeOf(fn, e).Ptr > 0
}

// pointeeAlign is the alignment of what a field of type t points to: that
// of a struct in view, MinPointerAlign for anything else (void, an
// integer word, a struct not in view).
func (env *cEnv) pointeeAlign(t string) uint64 {
	ct := parseCType(t)
	if ct.Ptr != 1 || !ct.known() {
		return rules.MinPointerAlign
	}
	return env.structAlign(ct.Tag, 0)
}

// structAlign is the alignment of struct tag: that of its widest member.
func (env *cEnv) structAlign(tag string, depth int) uint64 {
	fields, ok := env.structs[tag]
	if !ok || len(fields) == 0 || depth > 4 {
		return rules.MinPointerAlign
	}
	var a uint64 = 1
	for _, t := range fields {
		a = max(a, env.typeAlign(t, depth))
	}
	return a
}

// cScalarAlign are the alignments of the kernel's scalar types; a word
// not listed (a typedef not in view) counts as 8.
var cScalarAlign = map[string]uint64{
	"char": 1, "bool": 1, "_Bool": 1, "u8": 1, "s8": 1, "__u8": 1, "__s8": 1, "uint8_t": 1, "int8_t": 1,
	"short": 2, "u16": 2, "s16": 2, "__u16": 2, "__s16": 2, "__le16": 2, "__be16": 2, "uint16_t": 2, "int16_t": 2,
	"int": 4, "unsigned": 4, "signed": 4, "u32": 4, "s32": 4, "__u32": 4, "__s32": 4, "__le32": 4, "__be32": 4,
	"uint32_t": 4, "int32_t": 4, "atomic_t": 4, "refcount_t": 4, "float": 4, "enum": 4,
}

func (env *cEnv) typeAlign(t string, depth int) uint64 {
	if i := strings.Index(t, "["); i >= 0 {
		t = t[:i] // an array aligns as its element
	}
	if strings.Contains(t, "*") {
		return 8
	}
	ct := parseCType(t)
	if ct.known() {
		return env.structAlign(ct.Tag, depth+1)
	}
	words := strings.Fields(t)
	if len(words) > 0 && words[0] == "enum" {
		return 4
	}
	var a uint64
	for _, w := range words {
		if cTypeQualifiers[w] || w == "unsigned" && len(words) > 1 {
			continue
		}
		al, ok := cScalarAlign[w]
		if !ok {
			return 8
		}
		a = max(a, al)
	}
	if a == 0 {
		return 8
	}
	return a
}
