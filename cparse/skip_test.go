package cparse

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagcheck/tagcheck/cindex"
	"github.com/tagcheck/tagcheck/internal/testenv"
)

// sameTree parses src twice, reading every byte and leaving out the
// insides of long runs of blanks, and reports the first difference
// between the two trees. It returns the number of ranges read.
func sameTree(t *testing.T, name string, src []byte) int {
	t.Helper()
	whole, skip := newParser(), newParser()
	defer whole.Close()
	defer skip.Close()
	whole.readAll = true
	a, err := whole.parse(src)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer a.close()
	b, err := skip.parse(src)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer b.close()
	if diff := treeDiff(a.root, b.root); diff != "" {
		t.Errorf("%s: leaving the blanks out changes the tree: %s", name, diff)
	}
	return len(skip.ranges)
}

func treeDiff(a, b *node) string {
	for ; a != nil || b != nil; a, b = a.next, b.next {
		if a == nil || b == nil {
			return fmt.Sprintf("a sibling more on one side (%v, %v)", a, b)
		}
		if a.sym != b.sym || a.field != b.field || a.flags != b.flags || a.start != b.start || a.end != b.end {
			return fmt.Sprintf("%s [%d,%d) against %s [%d,%d)", kindOf(a), a.start, a.end, kindOf(b), b.start, b.end)
		}
		if d := treeDiff(a.first, b.first); d != "" {
			return d
		}
	}
	return ""
}

// TestSkippedBlanksSameTree: the runs of blanks tree-sitter does not
// read leave its tree as it is, where the run separates two tokens, ends
// a directive or a line comment, or lies inside a literal or a comment.
func TestSkippedBlanksSameTree(t *testing.T) {
	run := strings.Repeat(" \t", 40)
	lines := strings.Repeat("  \n\t", 30)
	for name, src := range map[string]string{
		"between tokens":     "int" + run + "x;\nstatic long" + lines + "y = 1;\n",
		"after a directive":  "#define X 1" + run + "\nint y;\n#define Z 2" + lines + "int z;\n",
		"after #if":          "#if A" + lines + "int a;\n#else" + run + "\nint b;\n#endif\n",
		"after a comment":    "// note" + run + "\nint c;\n// note" + lines + "int d;\n",
		"in a literal":       "char *s = \"a" + run + "b\";\n",
		"a long blank line":  "#define W 1" + run + "\n" + lines + "int w;\n",
		"continued comment":  "// a \\\n" + lines + "int l;\n",
		"CRLF continuation":  "#define N(x) \\\r\n" + strings.ReplaceAll(lines, "\n", "\r\n") + "x\r\nint n;\r\n",
		"in a block comment": "/* a" + lines + "b */ int e;\n",
		"a blanked body":     "int f(void)\n{" + lines + "}\nint g(void) { return 0; }\n",
		"a blanked table":    "static int t[] = {" + lines + "};\nvoid h(void) { lock(); }\n",
		"at both ends":       lines + "int i;" + lines,
		"continued line":     "#define M(x) \\\n" + lines + "x\nint j;\n",
		"no blank":           "int k;",
	} {
		n := sameTree(t, name, []byte(src))
		if skips := strings.Contains(src, lines) || strings.Contains(src, "\r\n\t  \r\n"); skips != (n > 0) {
			t.Errorf("%s: %d ranges read, want them only where blank lines run over %d bytes", name, n, minSkip)
		}
	}
}

// TestKernelSkippedBlanksSameTree parses fs/ext4's files with every
// other function body blanked, as the scan's selection does, with and
// without reading the blanks.
func TestKernelSkippedBlanksSameTree(t *testing.T) {
	root := testenv.KernelTree(t)
	if testing.Short() {
		t.Skip("skipping the kernel comparison in short mode")
	}
	files, err := filepath.Glob(filepath.Join(root, "fs", "ext4", "*.c"))
	if err != nil || len(files) == 0 {
		t.Fatalf("fs/ext4: %v", err)
	}
	ranges := 0
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rw := bytes.Clone(prepass(src).rw)
		for k, fn := range cindex.Funcs(rw) {
			if k%2 == 0 && rw[fn.End-1] == '}' {
				for i := fn.Body + 1; i < fn.End-1; i++ {
					if rw[i] != '\n' {
						rw[i] = ' '
					}
				}
			}
		}
		ranges += sameTree(t, path, rw)
	}
	if ranges == 0 {
		t.Error("no blank run was left out")
	}
}

// FuzzSkippedBlanksSameTree: for any text, leaving the long runs of
// blank lines out of tree-sitter's reading gives the tree it gives
// reading every byte.
func FuzzSkippedBlanksSameTree(f *testing.F) {
	lines := strings.Repeat("  \n\t", 30)
	f.Add("#define X 1  \n" + lines + "int y;\n")
	f.Add("// a \\\n" + lines + "int l;\n")
	f.Add("int f(void)\n{" + lines + "}\nstatic int t[] = {" + lines + "};\n")
	f.Add("char *s = \"a\\\n" + lines + "\";\n")
	f.Fuzz(func(t *testing.T, src string) {
		sameTree(t, "fuzz", []byte(src))
	})
}
