package cparse

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseC: ParseC never panics and every position it reports lies in
// the text.
func FuzzParseC(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "c", "cfg", "*.c"))
	for _, p := range files {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("int f(void) { ({ ({ x; }) }); goto a; a: ; }"))
	f.Add([]byte("#if 0\n{\n#else\n}\n#endif\nSYSCALL_DEFINE1(x, int, a) { list_for_each(a) }"))
	f.Add([]byte("void g(void) { scoped_guard(a, b) break; guard(x)(y); case 1 ... : }"))
	f.Fuzz(func(t *testing.T, src []byte) {
		cf, err := ParseC("f.c", src, ParseOptions{NoReturn: testNoReturn})
		if err != nil {
			return
		}
		checkPositions(t, cf, src)
	})
}
