package cparse

import (
	"fmt"
	"testing"
)

func TestEachTopLevel(t *testing.T) {
	b := []byte(`f(a, g(b, c), "d, e", /* f, g */ h[i, j] / 2, k; l)`)
	open := 1
	end := matchParen(b, open)
	var commas []int
	eachTopLevel(b, open, end, func(k int) bool {
		if b[k] == ',' {
			commas = append(commas, k)
		}
		return b[k] != ';'
	})
	// the commas after a, ), "d, e" and ]; none inside g(), the string,
	// the comment or h[]; nothing after the ";" that stopped the scan
	if got := fmt.Sprint(commas); got != "[3 12 20 44]" {
		t.Errorf("top-level commas at %s, want [3 12 20 44]", got)
	}
}
