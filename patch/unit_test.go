package patch

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func FuzzUnits(f *testing.F) {
	files, _ := filepath.Glob("../testdata/patches/*.patch")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("--- a/f.c\n+++ b/f.c\n@@ -10,3 +10,3 @@ int f(int x)\n \tif (x) {\n-\t\tlock(a);\n+\t\tlock(b);\n \t\tfoo(\"}\");\n@@ -20,2 +20,2 @@ int f(int x)\n \tbar(); /* { */\n-\t}\n+\t}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ps, err := ParsePatches("fuzz", data)
		if err != nil {
			return
		}
		for _, p := range ps {
			for _, fp := range p.Files {
				for _, h := range fp.Hunks {
					if h.NewStart > 100000 {
						return // keep the fuzzer's memory small
					}
				}
			}
		}
		checkUnits(t, data, "fuzz")
		for _, p := range ps {
			for _, fp := range p.Files {
				for _, u := range fp.Fragments().Units() {
					if !u.Whole && bytes.Count(u.Src, []byte{'\n'}) < len(u.Seen) {
						t.Fatalf("unit shorter than its post-image")
					}
				}
			}
		}
	})
}

// TestUnitsHandMade: a post-image built by hand with short Seen/Added
// slices does not panic.
func TestUnitsHandMade(t *testing.T) {
	pi := &PostImage{Path: "h.c", Lines: []string{"", "\tfoo();", "", "x"}, Seen: []bool{false, true}}
	u := pi.Units()
	if len(u) != 1 || !strings.HasPrefix(string(u[0].Src), "\n\tfoo();\n") {
		t.Fatalf("%q", u[0].Src)
	}
}
