package rules

import (
	"testing"

	"github.com/tagcheck/tagcheck/flow"
)

func TestLowBitMask(t *testing.T) {
	num := func(s string) *flow.Expr { return &flow.Expr{Op: flow.OpNumber, Name: s} }
	id := func(s string) *flow.Expr { return &flow.Expr{Op: flow.OpIdent, Name: s} }
	bin := func(op string, a, b *flow.Expr) *flow.Expr {
		return &flow.Expr{Op: flow.OpBinary, Name: op, Args: []*flow.Expr{a, b}}
	}
	call := func(n string, a *flow.Expr) *flow.Expr {
		return &flow.Expr{Op: flow.OpCall, Name: n, Args: []*flow.Expr{a}}
	}
	cases := []struct {
		name string
		mask *flow.Expr
		want bool
	}{
		{"1", num("1"), true},
		{"0x3UL", num("0x3UL"), true},
		{"macro", id("HEAD_BIT"), true},
		{"BIT(0)", call("BIT", num("0")), true},
		{"cond", &flow.Expr{Op: flow.OpCond, Args: []*flow.Expr{id("ro"), id("READ_ONLY"), num("0")}}, true},
		{"1UL << 1", bin("<<", num("1UL"), num("1")), true},
		{"0x8: not below 8", num("0x8"), false},
		{"0: no bits", num("0"), false},
		{"BIT(10)", call("BIT", num("10")), false},
		{"BIT(bit)", call("BIT", id("bit")), false},
		{"hi << 32", bin("<<", &flow.Expr{Op: flow.OpCast, Name: "u64", Args: []*flow.Expr{id("hi")}}, num("32")), false},
		{"a variable", id("color"), false},
		{"a call", call("rb_color", id("rb")), false},
	}
	for _, c := range cases {
		if got := LowBitMask(c.mask, MinPointerAlign); got != c.want {
			t.Errorf("%s: LowBitMask = %v, want %v", c.name, got, c.want)
		}
	}
	if LowBitMask(num("0x4"), 4) {
		t.Error("0x4 on a 4-byte-aligned pointee leaves bit 2 in the address: not a tag")
	}
}
