package analysisdoc

import "testing"

func TestExtract(t *testing.T) {
	src := `// Package p does things.
//
// # Analyzer p
//
// p: report things
//
// More about p.
//
// # Other
//
// Not part of it.
package p
`
	got, err := Extract(src, "p")
	if want := "report things\n\nMore about p."; err != nil || got != want {
		t.Errorf("Extract = %q, %v; want %q", got, err, want)
	}
	for _, name := range []string{"q", "Other"} {
		if _, err := Extract(src, name); err == nil {
			t.Errorf("Extract(%q) found a section", name)
		}
	}
}
