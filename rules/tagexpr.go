package rules

import (
	"strings"

	"github.com/tagcheck/tagcheck/flow"
)

// TagWrite is a store that sets or clears tag bits in a pointer field:
// the shape `X->f = (T *)((unsigned long)X->f | MASK)` and its atomic
// forms. Both the lock-pairing walk (a tag bit left set is a held reader
// mark) and the tagged-pointer checks read it, so it is recognised here,
// once.
type TagWrite struct {
	Field *flow.Expr // the field written: X->f (OpField)
	Set   bool       // bits set (|) rather than cleared (& ~)
	Mask  *flow.Expr // the bits
	Via   string     // "=", "|=", "xchg", "cmpxchg", "WRITE_ONCE", "set_bit", ...
	// SeparateRead is the plain read of the field that computes the new
	// value outside the atomic operation that writes it (racy when another
	// CPU may update the field in between); nil when there is none.
	SeparateRead *flow.Expr
	Node         *flow.Expr // the assignment or call that writes
}

// storeCalls are calls that store their value argument into the place
// their first argument points to (or names, for WRITE_ONCE-style macros).
// The index is the value argument; addr says whether argument 0 is &place.
var storeCalls = map[string]struct {
	value  int
	addr   bool
	atomic bool // the call reads and writes the word in one atomic step
}{
	"xchg":                    {1, true, false},
	"xchg_relaxed":            {1, true, false},
	"xchg_acquire":            {1, true, false},
	"xchg_release":            {1, true, false},
	"cmpxchg":                 {2, true, true},
	"cmpxchg_relaxed":         {2, true, true},
	"cmpxchg_acquire":         {2, true, true},
	"cmpxchg_release":         {2, true, true},
	"try_cmpxchg":             {2, true, true},
	"WRITE_ONCE":              {1, false, false},
	"smp_store_release":       {1, true, false},
	"rcu_assign_pointer":      {1, false, false},
	"atomic_long_set":         {1, true, false},
	"atomic_long_xchg":        {1, true, false},
	"atomic_long_cmpxchg":     {2, true, true},
	"atomic64_set":            {1, true, false},
	"atomic_long_try_cmpxchg": {2, true, true},
}

// bitCalls set or clear bits of the word their last argument points to.
var bitCalls = map[string]bool{
	"set_bit": true, "__set_bit": true, "test_and_set_bit": true, "test_and_set_bit_lock": true,
	"clear_bit": false, "__clear_bit": false, "test_and_clear_bit": false, "clear_bit_unlock": false,
	"atomic_long_or": true, "atomic_long_andnot": false, "atomic_long_fetch_or": true, "atomic_long_fetch_andnot": false,
}

// TagWrites returns the tag writes inside e.
func TagWrites(e *flow.Expr) []TagWrite {
	var out []TagWrite
	flow.Walk(e, func(x *flow.Expr) bool {
		switch x.Op {
		case flow.OpAssign:
			if w, ok := assignTagWrite(x); ok {
				out = append(out, w)
			}
		case flow.OpCall:
			if w, ok := callTagWrite(x); ok {
				out = append(out, w)
			}
		}
		return true
	})
	return out
}

func assignTagWrite(x *flow.Expr) (TagWrite, bool) {
	place := fieldOf(x.Arg(0))
	if place == nil {
		return TagWrite{}, false
	}
	switch x.Name {
	case "=":
		set, mask, read, ok := tagValue(x.Arg(1), place)
		if !ok {
			return TagWrite{}, false
		}
		return TagWrite{Field: place, Set: set, Mask: mask, Via: "=", SeparateRead: read, Node: x}, true
	case "|=", "&=":
		// Only through an integer view of the pointer word:
		// *(unsigned long *)&X->f |= 1.
		if !integerView(x.Arg(0)) {
			return TagWrite{}, false
		}
		m := x.Arg(1)
		if x.Name == "&=" {
			s := flow.Strip(m)
			if s.Op != flow.OpUnary || s.Name != "~" {
				return TagWrite{}, false
			}
			m = s.Arg(0)
		}
		return TagWrite{Field: place, Set: x.Name == "|=", Mask: m, Via: x.Name, SeparateRead: place, Node: x}, true
	}
	return TagWrite{}, false
}

func callTagWrite(x *flow.Expr) (TagWrite, bool) {
	if sc, ok := storeCalls[x.Name]; ok {
		target := x.Arg(0)
		if sc.addr {
			target = addrOf(target)
		}
		place := fieldOf(target)
		if place == nil || x.Arg(sc.value) == nil {
			return TagWrite{}, false
		}
		set, mask, read, ok := tagValue(x.Arg(sc.value), place)
		if !ok {
			return TagWrite{}, false
		}
		return TagWrite{Field: place, Set: set, Mask: mask, Via: x.Name, SeparateRead: read, Node: x}, true
	}
	if set, ok := bitCalls[x.Name]; ok && len(x.Args) == 2 {
		place := fieldOf(addrOf(x.Args[1]))
		if place == nil || !integerView(x.Args[1]) {
			return TagWrite{}, false
		}
		mask := x.Args[0]
		if strings.HasSuffix(x.Name, "_bit") || strings.HasSuffix(x.Name, "_bit_lock") || strings.HasSuffix(x.Name, "_bit_unlock") {
			mask = &flow.Expr{Op: flow.OpBinary, Name: "<<", Args: []*flow.Expr{{Op: flow.OpNumber, Name: "1UL", Text: "1UL"}, x.Args[0]}, Text: "BIT(" + x.Args[0].Text + ")"}
		}
		return TagWrite{Field: place, Set: set, Mask: mask, Via: x.Name, Node: x}, true
	}
	return TagWrite{}, false
}

// tagValue matches the stored value against `place | MASK` or
// `place & ~MASK` seen through casts and READ_ONCE. read is the plain read
// of place inside the value, if any.
func tagValue(v, place *flow.Expr) (set bool, mask, read *flow.Expr, ok bool) {
	v = flow.Strip(v)
	if v == nil || v.Op != flow.OpBinary || (v.Name != "|" && v.Name != "&") {
		return false, nil, nil, false
	}
	a, m := v.Arg(0), v.Arg(1)
	if !sameWord(a, place) {
		a, m = m, a
		if !sameWord(a, place) {
			// `old | MASK` where old is a local read earlier: the caller
			// cannot tell what old holds; only a cast-to-integer operand
			// marks the pointer-word idiom.
			if isIntCast(v.Arg(0)) || isIntCast(v.Arg(1)) {
				return tagValueOfLocal(v)
			}
			return false, nil, nil, false
		}
	}
	m, ok = tagMask(v, m)
	if !ok || !isIntCast(a) && !isIntCast(v) && !pointerCast(v) {
		return false, nil, nil, false
	}
	return v.Name == "|", m, plainRead(a), true
}

// tagMask is the mask of v, `word | MASK` or `word & ~MASK`, given its
// operand m beside the word; ok is false when a clear is not `& ~MASK`.
func tagMask(v, m *flow.Expr) (mask *flow.Expr, ok bool) {
	if v.Name != "&" {
		return m, true
	}
	s := flow.Strip(m)
	if s == nil || s.Op != flow.OpUnary || s.Name != "~" {
		return nil, false
	}
	return s.Arg(0), true
}

// tagValueOfLocal handles `(T *)((unsigned long)old | MASK)` with old a
// local: a tag write with no separate read of the field.
func tagValueOfLocal(v *flow.Expr) (bool, *flow.Expr, *flow.Expr, bool) {
	a, m := v.Arg(0), v.Arg(1)
	if !isIntCast(a) {
		a, m = m, a
	}
	if s := flow.Strip(a); s == nil || s.Op != flow.OpIdent {
		return false, nil, nil, false
	}
	m, ok := tagMask(v, m)
	if !ok {
		return false, nil, nil, false
	}
	return v.Name == "|", m, nil, true
}

// sameWord reports whether e reads place, through casts, READ_ONCE and
// rcu_dereference-style accessors.
func sameWord(e, place *flow.Expr) bool {
	return ReadOf(e) != nil && ReadOf(e).Key() == place.Key()
}

// ReadOf returns the field e reads, looking through casts and the
// kernel's read accessors, or nil.
func ReadOf(e *flow.Expr) *flow.Expr {
	e = flow.Strip(e)
	for e != nil && e.Op == flow.OpCall && readAccessors[e.Name] && len(e.Args) >= 1 {
		e = flow.Strip(e.Args[0])
	}
	if e != nil && e.Op == flow.OpField {
		return e
	}
	return nil
}

func plainRead(e *flow.Expr) *flow.Expr {
	s := flow.Strip(e)
	if s != nil && s.Op == flow.OpField {
		return s
	}
	if s != nil && s.Op == flow.OpCall && readAccessors[s.Name] {
		return s
	}
	return nil
}

var readAccessors = map[string]bool{
	"READ_ONCE": true, "rcu_dereference": true, "rcu_dereference_raw": true,
	"rcu_dereference_protected": true, "rcu_dereference_check": true,
	"smp_load_acquire": false, "rcu_access_pointer": true,
}

// SetsBits reports whether fn sets or clears bits of the word its last
// argument points to (set_bit, clear_bit_unlock, atomic_long_or, ...): a
// tag write when that word is a pointer field seen as an integer.
func SetsBits(fn string) bool {
	_, ok := bitCalls[fn]
	return ok
}

// IntegerType reports whether a cast to t can hold a pointer word
// (unsigned long, uintptr_t, u64, ...); the last word of such a type
// ("long") is one too.
func IntegerType(t string) bool { return integerType(t) }

func isIntCast(e *flow.Expr) bool {
	return e != nil && e.Op == flow.OpCast && integerType(e.Name)
}

func pointerCast(e *flow.Expr) bool {
	return e != nil && e.Op == flow.OpCast && strings.Contains(e.Name, "*")
}

func integerType(t string) bool {
	t = strings.TrimSpace(t)
	switch t {
	case "unsigned long", "long", "uintptr_t", "unsigned long long", "u64", "uint64_t", "size_t", "ulong", "intptr_t":
		return true
	}
	return false
}

// integerView reports whether e is (or points to) the field seen as an
// integer word: *(unsigned long *)&X->f, or (unsigned long *)&X->f.
func integerView(e *flow.Expr) bool {
	if e == nil {
		return false
	}
	if e.Op == flow.OpUnary && e.Name == "*" {
		e = e.Arg(0)
	}
	return e != nil && e.Op == flow.OpCast && strings.Contains(e.Name, "*") && integerType(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(e.Name), "*")))
}

// fieldOf returns the field e denotes (through casts and an integer view).
func fieldOf(e *flow.Expr) *flow.Expr {
	e = flow.Strip(e)
	if e != nil && e.Op == flow.OpUnary && e.Name == "*" {
		e = flow.Strip(addrOf(flow.Strip(e.Arg(0))))
	}
	if e != nil && e.Op == flow.OpField {
		return e
	}
	return nil
}

// addrOf returns x for &x (through casts), or nil.
func addrOf(e *flow.Expr) *flow.Expr {
	e = flow.Strip(e)
	if e != nil && e.Op == flow.OpUnary && e.Name == "&" {
		return e.Arg(0)
	}
	return nil
}

// tagPrefix marks a lock-pairing resource that is the tag bits of a
// field; TagResource and TaggedFieldOf are the only code that knows it.
const tagPrefix = "tag:"

// TagResource names the tag bits of a field as a lock-pairing resource.
func TagResource(fieldKey string) string { return tagPrefix + fieldKey }

// TaggedFieldOf returns the field whose tag bits res is, and whether it
// is one (the inverse of TagResource).
func TaggedFieldOf(res string) (fieldKey string, ok bool) {
	return strings.CutPrefix(res, tagPrefix)
}
