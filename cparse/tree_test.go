package cparse

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	sitter "github.com/smacker/go-tree-sitter"
	tsc "github.com/smacker/go-tree-sitter/c"

	"github.com/tagcheck/tagcheck/internal/testenv"
)

// TestFlatTree: the nodes flat.c copies out of tree-sitter are the ones
// go-tree-sitter's Node API shows, node for node (kind, bytes, named,
// missing, has-error, children), and field finds the child
// ChildByFieldName finds, for every field of the grammar — on the C
// cases of the repository and on shapes that stress the walk.
func TestFlatTree(t *testing.T) {
	var files []string
	filepath.WalkDir(filepath.Join("..", "testdata"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".c") || strings.HasSuffix(p, ".patch")) {
			files = append(files, p)
		}
		return nil
	})
	if len(files) < 20 {
		t.Fatalf("only %d C cases found", len(files))
	}
	for _, p := range files {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		compareTrees(t, p, prepass(src).rw)
	}
	deep := strings.Repeat("(", 3000) + "x" + strings.Repeat(")", 3000)
	for i, src := range []string{
		"",
		"int",
		"int f(void) { return " + deep + "; }",
		"int f(void) { if (a { b; } for (;;) x = ; }",
		"struct s { int a; union { int b; }; } v; int g(int a, char *b[]) { for (i = 0, j = 1; i < n; i++, j--) ; }",
		"void h(void) { a = b ? : c; x = (struct t){ .a = 1 }; asm goto (\"\" : : : : l); l: ; }",
		// two macro calls without semicolons before a definition: the
		// function_definition's "parameters" is a grandchild
		"setup(a)\nteardown(b)\n\nstatic u32 pick(struct hdr *h) {\n\tint i;\n}\n",
	} {
		compareTrees(t, "case "+string(rune('0'+i)), []byte(src))
	}
}

// TestKernelFlatTree runs TestFlatTree's comparison on a directory of the
// Linux tree (TAGCHECK_FLAT_DIR, default fs/ext4).
func TestKernelFlatTree(t *testing.T) {
	n := 0
	rel := kernelSources(t, "TAGCHECK_FLAT_DIR", "fs/ext4", func(p string, src []byte) {
		compareTrees(t, p, prepass(src).rw)
		n++
	})
	t.Logf("%d files of %s", n, rel)
}

// kernelSources calls fn with each .c and .h file of a directory of the
// Linux tree, named by the environment variable env (default def), and
// returns that directory. It skips under -short or without the tree.
func kernelSources(t *testing.T, env, def string, fn func(path string, src []byte)) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short")
	}
	root := testenv.KernelTree(t)
	rel := os.Getenv(env)
	if rel == "" {
		rel = def
	}
	filepath.WalkDir(filepath.Join(root, rel), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".c") || strings.HasSuffix(p, ".h")) {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		fn(p, src)
		return nil
	})
	return rel
}

// compareTrees parses src both ways and compares the trees.
func compareTrees(t *testing.T, name string, src []byte) {
	t.Helper()
	p := newParser()
	defer p.Close()
	ft, err := p.parse(src)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer ft.close()
	sp := sitter.NewParser()
	defer sp.Close()
	sp.SetLanguage(tsc.GetLanguage())
	tree, err := sp.ParseCtx(context.Background(), nil, src)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer tree.Close()
	var names []string
	for name := range fieldIDs {
		names = append(names, name)
	}
	bad := 0
	var walk func(f *node, s *sitter.Node)
	walk = func(f *node, s *sitter.Node) {
		if bad > 10 {
			return
		}
		where := func() string { return fmt.Sprintf("%s:%d: %s", name, s.StartPoint().Row+1, s.Type()) }
		if int(f.sym) != int(s.Symbol()) || f.start != s.StartByte() || f.end != s.EndByte() ||
			f.IsNamed() != s.IsNamed() || f.IsMissing() != s.IsMissing() || f.HasError() != s.HasError() ||
			f.IsError() != s.IsError() {
			t.Errorf("%s: flat node %+v differs", where(), *f)
			bad++
			return
		}
		var kids []*node
		for ch := f.first; ch != nil; ch = ch.next {
			kids = append(kids, ch)
		}
		if len(kids) != int(s.ChildCount()) {
			t.Errorf("%s: %d children, want %d", where(), len(kids), s.ChildCount())
			bad++
			return
		}
		if len(kids) > 0 {
			for _, fname := range names {
				want := s.ChildByFieldName(fname)
				got := field(f, fname)
				if (want == nil) != (got == nil) || want != nil && (got.start != want.StartByte() || got.end != want.EndByte() || int(got.sym) != int(want.Symbol())) {
					t.Errorf("%s: field %s: got %v, want %v", where(), fname, got, want)
					bad++
				}
			}
		}
		for i, ch := range kids {
			walk(ch, s.Child(i))
		}
	}
	walk(ft.root, tree.RootNode())
}

// TestKernelBraceFree: the files of a directory of the Linux tree
// (TAGCHECK_BRACEFREE_DIR, default include/) that have no brace are not
// parsed (hasBraces); pre-passed, parsed and lowered anyway, each gives
// what emptyFile gives: no function, no struct, no note.
func TestKernelBraceFree(t *testing.T) {
	p := newParser()
	defer p.Close()
	files, bytes := 0, 0
	rel := kernelSources(t, "TAGCHECK_BRACEFREE_DIR", "include", func(path string, src []byte) {
		if hasBraces(src) {
			return
		}
		pp := prepass(src)
		if hasBraces(pp.rw) {
			t.Errorf("%s: the pre-pass wrote a brace into a text without one", path)
		}
		cf, err := lowerFile(p, path, src, pp, ParseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want := emptyFile(path, src)
		if len(cf.Funcs) != 0 || len(cf.Structs) != 0 || len(cf.Notes) != 0 || cf.Degraded != 0 || cf.Lines != want.Lines {
			t.Errorf("%s: brace-free, yet lowered to %d functions, %d structs, %d notes, %d lines (want %d)",
				path, len(cf.Funcs), len(cf.Structs), len(cf.Notes), cf.Lines, want.Lines)
		}
		files++
		bytes += len(src)
	})
	if files == 0 {
		t.Fatalf("no brace-free file under %s", rel)
	}
	t.Logf("%d brace-free files, %d bytes, under %s", files, bytes, rel)
}

// TestBraceFree: a text of defines and prototypes is not parsed; one
// brace makes it parsed.
func TestBraceFree(t *testing.T) {
	for _, c := range []struct {
		src    string
		braces bool
	}{
		{"#define A 1\n#define B(x) ((x) + 1)\nint f(int a);\nextern struct s *g;\n", false},
		{"int f(void) { return 0; }\n", true},
		{"struct s { int a; };\n", true},
		{"int f(void)\n}\n", true}, // a body cut short still goes to tree-sitter
		{"D1(if (x) y();)\nASSERT(c, dump(r););\n", false},
	} {
		if got := hasBraces(prepass([]byte(c.src)).rw); got != c.braces {
			t.Errorf("hasBraces(%q) = %v, want %v", c.src, got, c.braces)
		}
		cf, err := ParseC("t.c", []byte(c.src), ParseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !c.braces && (len(cf.Funcs) != 0 || len(cf.Structs) != 0 || cf.Lines != strings.Count(c.src, "\n")) {
			t.Errorf("%q: %+v", c.src, cf)
		}
		if c.src == "int f(void) { return 0; }\n" && len(cf.Funcs) != 1 {
			t.Errorf("%q: %d functions, want 1", c.src, len(cf.Funcs))
		}
	}
}

// TestRecycledNodes: a parser hands the node arrays of closed trees to
// its next parses; each tree is still node for node (syntax errors
// included) what a fresh parser builds, and a tree left open while
// others are parsed and closed (a statement expression's, inside its
// file's) is not touched by them.
func TestRecycledNodes(t *testing.T) {
	texts := []string{
		strings.Repeat("int f(int a) { if (a) return g(a); return 0; }\n", 200),
		"int x = ;\nvoid h(void) { for (;;) { } }\n",
		"struct s { int a; };\n",
		strings.Repeat("static void k(struct s *p) { p->a = ({ int y = 1; y; }); }\n", 50),
		"",
	}
	fresh := func(src string) *tree {
		p := newParser()
		t.Cleanup(p.Close)
		tr, err := p.parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		return tr
	}
	same := func(what string, got *tree, src string) {
		t.Helper()
		want := fresh(src)
		defer want.close()
		if diff := treeDiff(got.root, want.root); diff != "" {
			t.Errorf("%s: %s", what, diff)
		}
		if errs := errorsIn(got.root); errs != errorsIn(want.root) {
			t.Errorf("%s: %d syntax errors, want %d", what, errs, errorsIn(want.root))
		}
	}
	p := newParser()
	defer p.Close()
	open, err := p.parse([]byte(texts[0]))
	if err != nil {
		t.Fatal(err)
	}
	for round := range 3 {
		for i, src := range texts {
			tr, err := p.parse([]byte(src))
			if err != nil {
				t.Fatal(err)
			}
			same(fmt.Sprintf("round %d, text %d", round, i), tr, src)
			tr.close()
		}
	}
	same("the tree left open", open, texts[0])
	open.close()
	if len(p.free) == 0 || len(p.free) > maxFreeNodes {
		t.Errorf("the parser keeps %d node arrays, want 1 to %d", len(p.free), maxFreeNodes)
	}
	for i, nodes := range p.free {
		for j, n := range nodes[:cap(nodes)] {
			if n != (node{}) {
				t.Fatalf("kept array %d holds node %d of an earlier parse: %+v", i, j, n)
			}
		}
	}
}

// errorsIn counts the nodes of the tree at n that hold a syntax error.
func errorsIn(n *node) int {
	c := 0
	for ; n != nil; n = n.next {
		if n.err != nil {
			c++
		}
		c += errorsIn(n.first)
	}
	return c
}
