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
	if testing.Short() {
		t.Skip("-short")
	}
	root := testenv.KernelTree(t)
	rel := os.Getenv("TAGCHECK_FLAT_DIR")
	if rel == "" {
		rel = "fs/ext4"
	}
	n := 0
	filepath.WalkDir(filepath.Join(root, rel), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".c") || strings.HasSuffix(p, ".h")) {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		compareTrees(t, p, prepass(src).rw)
		n++
		return nil
	})
	t.Logf("%d files of %s", n, rel)
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
