package flow

import (
	"slices"
	"testing"
)

// TestSealRecords: a sealed function answers Calls and ArgKeys from what
// Seal recorded, the same as finding them again; a copy of a sealed
// expression, changed for a message, is not answered from the record.
func TestSealRecords(t *testing.T) {
	ident := func(n string) *Expr { return &Expr{Op: OpIdent, Name: n} }
	field := &Expr{Op: OpField, Name: "lock", Arrow: true, Args: []*Expr{ident("dev")}}
	inner := &Expr{Op: OpCall, Name: "to_dev", Args: []*Expr{ident("p")}}
	outer := &Expr{Op: OpCall, Name: "mutex_lock", Args: []*Expr{{Op: OpUnary, Name: "&", Args: []*Expr{field}}, inner}}
	f := &Func{Blocks: []*Block{{Events: []*Event{{Kind: EvExpr, X: outer}}}}}
	f.Seal()

	if got := Calls(outer); !slices.Equal(got, []*Expr{inner, outer}) {
		t.Errorf("Calls = %v, want to_dev then mutex_lock", got)
	}
	if outer.sealed == nil || !outer.sealed.keyed || inner.sealed == nil || !inner.sealed.keyed {
		t.Fatal("Seal recorded no argument keys")
	}
	for _, c := range []*Expr{outer, inner} {
		if got, want := ArgKeys(c), argKeys(c); !slices.Equal(got, want) {
			t.Errorf("ArgKeys(%s) = %q, want %q", c.Name, got, want)
		}
	}
	if got := ArgKeys(outer); !slices.Equal(got, []string{"&dev->lock", "to_dev(p)"}) {
		t.Errorf("ArgKeys(mutex_lock) = %q", got)
	}
	renamed := *outer
	renamed.Args = []*Expr{ident("q")}
	if got := ArgKeys(&renamed); !slices.Equal(got, []string{"q"}) {
		t.Errorf("ArgKeys of a changed copy = %q, want [q]", got)
	}
}
