package rules

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
)

// MinPointerAlign is the alignment assumed for an address whose pointee
// the code in view does not describe: kernel allocations and structs
// holding a pointer or a long are 8-byte aligned, leaving bits 0-2 free.
const MinPointerAlign = 8

// LowBitMask reports whether mask is a tag: a constant whose bits all lie
// below align, the pointee's alignment (1, 0x3, HEAD_BIT, BIT(0),
// c ? FLAG : 0). A mask that depends on a variable (a bit number, a
// colour, (u64)hi << 32) or that uses high bits (BIT(10)) does not tag a
// pointer: it writes a bitmap, a register or a control word. A named
// constant whose value is not in view (a macro) is taken at its word.
func LowBitMask(mask *flow.Expr, align uint64) bool {
	v, known, ok := constValue(mask)
	if !ok {
		return false
	}
	return !known || (v != 0 && v < align)
}

// ConstMask reports whether mask is a constant (known or named), of any
// width: the operand of a test of tag bits.
func ConstMask(mask *flow.Expr) bool {
	_, _, ok := constValue(mask)
	return ok
}

// macroName is how the kernel spells constants: upper case.
var macroName = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*$`)

// constValue evaluates e when it is a constant expression: ok says it is
// one, known that its value v could be computed from literals.
func constValue(e *flow.Expr) (v uint64, known, ok bool) {
	e = flow.Strip(e)
	if e == nil {
		return 0, false, false
	}
	switch e.Op {
	case flow.OpNumber:
		n, err := strconv.ParseUint(strings.TrimRight(strings.ToLower(e.Name), "ul"), 0, 64)
		return n, err == nil, true
	case flow.OpIdent:
		return 0, false, macroName.MatchString(e.Name)
	case flow.OpCond:
		a, ka, oka := constValue(e.Arg(1))
		b, kb, okb := constValue(e.Arg(2))
		return a | b, ka && kb, oka && okb
	case flow.OpCall:
		switch e.Name {
		case "BIT", "BIT_ULL", "_BITUL", "_BITULL":
			n, kn, okn := constValue(e.Arg(0))
			if kn && n >= 64 {
				return 0, false, false
			}
			return 1 << n, kn, okn
		}
		return 0, false, false
	case flow.OpBinary:
		a, ka, oka := constValue(e.Arg(0))
		b, kb, okb := constValue(e.Arg(1))
		if !oka || !okb {
			return 0, false, false
		}
		known := ka && kb
		switch e.Name {
		case "|", "+":
			return a | b, known, true
		case "<<":
			if known && b >= 64 {
				return 0, false, false
			}
			return a << b, known, true
		case "&":
			return a & b, known, true
		}
		return 0, false, true
	}
	return 0, false, false
}
