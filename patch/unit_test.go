package patch

import (
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
	f.Add([]byte("--- a/f.c\n+++ b/f.c\n@@ -4194300,2 +4194300,3 @@ int f(void)\n a;\n+b;\n }\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkUnits(t, data, "fuzz")
	})
}

// TestUnitsFarDown: hunks far down a file give a unit that leaves out
// most of the blank lines before them, and whose lines map back to their
// post-image lines.
func TestUnitsFarDown(t *testing.T) {
	data := "--- a/f.c\n+++ b/f.c\n@@ -4000000,2 +4000000,3 @@ int f(void)\n \ta();\n+\tb();\n }\n@@ -4001000,1 +4001001,2 @@ int g(void)\n \tc();\n+\td();\n"
	ps, err := ParsePatches("far.patch", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	pi := ps[0].Files[0].Fragments()
	u := pi.Units()[0]
	if len(u.Src) > 1024 {
		t.Errorf("unit of %d bytes for 5 lines shown:\n%s", len(u.Src), u.Src)
	}
	lines := strings.Split(string(u.Src), "\n")
	for i, l := range lines {
		switch u.PostLine(i + 1) {
		case 4000001:
			if l != "\tb();" {
				t.Errorf("line 4000001 is %q", l)
			}
		case 4001002:
			if l != "\td();" {
				t.Errorf("line 4001002 is %q", l)
			}
		}
	}
	checkUnits(t, []byte(data), "far.patch")
}
