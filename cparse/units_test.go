package cparse

// Units (package patch) are the text the front end parses: these tests
// check that tree-sitter C parses them, on the seed, the fixture and the
// wrapping rules' small cases.

import (
	"context"
	"github.com/tagcheck/tagcheck/flow"
	"os"
	"path/filepath"
	"strings"
	"testing"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/c"

	"github.com/tagcheck/tagcheck/internal/testenv"
	"github.com/tagcheck/tagcheck/patch"
)

// readPatches parses a shared seed or fixture.
func readPatches(t *testing.T, rel string) []*patch.Patch {
	t.Helper()
	path := testenv.Shared(t, rel)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := patch.ParsePatches(filepath.Base(path), data)
	if err != nil || len(ps) != 1 {
		t.Fatalf("%s: %d patches, %v; want 1", rel, len(ps), err)
	}
	return ps
}

func tsParse(t testing.TB, src []byte) *sitter.Node {
	t.Helper()
	p := sitter.NewParser()
	p.SetLanguage(c.GetLanguage())
	tree, err := p.ParseCtx(context.Background(), nil, src)
	if err != nil {
		t.Fatal(err)
	}
	return tree.RootNode()
}

// unitLines returns the text of each line of u by its post-image line.
func unitLines(u patch.Unit) map[int]string {
	out := map[int]string{}
	for i, l := range strings.Split(string(u.Src), "\n") {
		out[u.PostLine(i+1)] = l
	}
	return out
}

// changedFunctions returns the function definitions of u that hold a line
// pi adds.
func changedFunctions(root *sitter.Node, u patch.Unit, pi *patch.PostImage) []*sitter.Node {
	var out []*sitter.Node
	var walk func(n *sitter.Node)
	walk = func(n *sitter.Node) {
		if n.Type() == "function_definition" {
			s, e := int(n.StartPoint().Row), int(n.EndPoint().Row)
			for l := s; l <= e; l++ {
				if pi.Added(u.PostLine(l + 1)) {
					out = append(out, n)
					return
				}
			}
			return
		}
		for i := 0; i < int(n.ChildCount()); i++ {
			walk(n.Child(i))
		}
	}
	walk(root)
	return out
}

// checkParses parses every unit of every file patch and fails on parse
// errors inside the functions that hold changed lines. It returns how many
// such functions there were.
func checkParses(t *testing.T, ps []*patch.Patch) int {
	t.Helper()
	n := 0
	for _, p := range ps {
		for _, fp := range p.Files {
			pi := fp.Fragments()
			for _, u := range pi.Units() {
				root := tsParse(t, u.Src)
				for _, fn := range changedFunctions(root, u, pi) {
					n++
					if fn.HasError() {
						t.Errorf("%s:%d: parse errors in the function holding changed lines:\n%s", u.Path, fn.StartPoint().Row+1, numberedLines(u.Src, int(fn.StartPoint().Row), int(fn.EndPoint().Row)))
					}
				}
			}
		}
	}
	return n
}

func numberedLines(src []byte, from, to int) string {
	var b strings.Builder
	for i, l := range strings.Split(string(src), "\n") {
		if i >= from && i <= to {
			b.WriteString(strings.Repeat(" ", 6-len(itoa(i+1))) + itoa(i+1) + "  " + l + "\n")
		}
	}
	return b.String()
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var d []byte
	for ; i > 0; i /= 10 {
		d = append([]byte{byte('0' + i%10)}, d...)
	}
	return string(d)
}

// TestSeedUnitsParse: every unit of the seed e-mail parses as C, with no
// ERROR node inside the functions that contain changed lines.
func TestSeedUnitsParse(t *testing.T) {
	ps := readPatches(t, "seeds/000_d0a3b36e06f8ca09.txt")
	// mntns_get, get_proc_task_net, mounts_open_common, the three new
	// helpers, ipcns_get, switch_task_namespaces, utsns_get,
	// get_net_ns_by_pid, netns_get.
	if n := checkParses(t, ps); n != 11 {
		t.Errorf("%d changed functions found, want 11", n)
	}
	// Synthetic text only on unseen lines, or after a seen line's own
	// text the calls the patch deletes there; and the convention's markers.
	for _, fp := range ps[0].Files {
		pi := fp.Fragments()
		lines := unitLines(pi.Units()[0]) // by post-image line
		for ln, l := range pi.Text.All() {
			extra, ok := strings.CutPrefix(lines[ln], l)
			if !ok || extra != "" && !strings.HasPrefix(extra, " "+flow.RemovedRelease) {
				t.Errorf("%s:%d: seen line changed to %q", fp.Path, ln, lines[ln])
			}
		}
		// task_unlock(task) replaced by clear_reader_nsproxy(task) is a
		// rewrite, not a deleted release: nothing is written after it.
		if fp.Path == "fs/proc_namespace.c" && lines[262] != "get_fs_root(task->fs, &root);" {
			t.Errorf("fs/proc_namespace.c:262: %q, want the line alone", lines[262])
		}
		switch fp.Path {
		case "fs/proc_namespace.c":
			for l, want := range map[int]string{
				243: "static int mounts_open_common(void) { " + patch.Unseen,
				252: patch.Unseen,
				267: patch.Unseen + " }",
			} {
				if lines[l] != want {
					t.Errorf("%s:%d: %q, want %q", fp.Path, l, lines[l], want)
				}
			}
		case "kernel/nsproxy.c":
			if lines[10] != "/*" {
				t.Errorf("kernel/nsproxy.c:10: %q, want the comment opened", lines[10])
			}
			if lines[229] != ";" {
				t.Errorf("kernel/nsproxy.c:229: %q, want the trailing header ended", lines[229])
			}
		case "fs/namespace.c":
			if want := "static struct ns_common *mntns_get(struct task_struct *task) { " + patch.Unseen; lines[3296] != want {
				t.Errorf("fs/namespace.c:3296: %q, want %q", lines[3296], want)
			}
		}
	}
}

// TestFixtureUnitsParse does the same for the 6.1 patch, where indentation
// is intact and decides what the gap between two hunks held.
func TestFixtureUnitsParse(t *testing.T) {
	ps := readPatches(t, "fixtures/nsproxy-reader-6.1.patch")
	p := ps[0]
	if n := checkParses(t, ps); n != 11 {
		t.Errorf("%d changed functions found, want 11", n)
	}
	for _, fp := range p.Files {
		pi := fp.Fragments()
		want := 0
		if fp.Path == "fs/proc_namespace.c" {
			want = 1
		}
		if pi.Gaps != want {
			t.Errorf("%s: Gaps = %d, want %d", fp.Path, pi.Gaps, want)
		}
	}
}

// TestUnitsWrapping covers the wrapping rules on small invented fragments.
func TestUnitsWrapping(t *testing.T) {
	for _, c := range []struct {
		name, text string
		want       map[int]string // line → unit text
		trailer    string
		gaps       int
	}{
		{
			name: "gap closes a block (indentation)",
			text: "--- a/f.c\n+++ b/f.c\n@@ -10,3 +10,3 @@ int f(int x)\n \tif (x) {\n-\t\tlock(a);\n+\t\tlock(b);\n \t\tfoo();\n" +
				"@@ -20,2 +20,2 @@ int f(int x)\n \tbar();\n-\tunlock(a);\n+\tunlock(b);\n",
			want:    map[int]string{9: "int f(int x) { " + patch.Unseen, 13: patch.Unseen + " }"},
			trailer: patch.Unseen + " }",
			gaps:    1,
		},
		{
			name: "gap opens a block (indentation)",
			text: "--- a/f.c\n+++ b/f.c\n@@ -10,2 +10,2 @@ int f(int x)\n \tfoo();\n-\ta();\n+\tb();\n" +
				"@@ -20,2 +20,2 @@ int f(int x)\n \t\tbar();\n-\t}\n+\t}\n",
			want:    map[int]string{12: patch.Unseen + " {"},
			trailer: patch.Unseen + " }",
			gaps:    1,
		},
		{
			name: "different functions",
			text: "--- a/f.c\n+++ b/f.c\n@@ -10,2 +10,2 @@ int f(int x)\n \tfoo();\n-\ta();\n+\tb();\n" +
				"@@ -20,2 +20,2 @@ static void g(void)\n \tbar();\n-\tc();\n+\td();\n",
			want:    map[int]string{12: patch.Unseen + " }", 19: "static void g(void) { " + patch.Unseen},
			trailer: patch.Unseen + " }",
		},
		{
			name:    "starts inside a parameter list",
			text:    "--- a/f.c\n+++ b/f.c\n@@ -10,3 +10,3 @@ static int h(int a,\n \t\t     int b)\n {\n-\treturn a;\n+\treturn b;\n",
			want:    map[int]string{9: "void h("},
			trailer: patch.Unseen + " }",
		},
		{
			name:    "ends inside an initializer",
			text:    "--- a/f.c\n+++ b/f.c\n@@ -5,2 +5,2 @@\n static const int tab[] = {\n-\t1,\n+\t2,\n",
			trailer: "};",
		},
		{
			name:    "ends inside a comment",
			text:    "--- a/f.c\n+++ b/f.c\n@@ -5,2 +5,2 @@\n /*\n- * old\n+ * new\n",
			trailer: "*/",
		},
	} {
		ps, err := patch.ParsePatches("w.patch", []byte(c.text))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		pi := ps[0].Files[0].Fragments()
		u := pi.Units()[0]
		lines := unitLines(u)
		for l, want := range c.want {
			if lines[l] != want {
				t.Errorf("%s: line %d %q, want %q", c.name, l, lines[l], want)
			}
		}
		if got := lines[pi.Len+1]; got != c.trailer {
			t.Errorf("%s: trailer %q, want %q", c.name, got, c.trailer)
		}
		if pi.Gaps != c.gaps {
			t.Errorf("%s: gaps %d, want %d", c.name, pi.Gaps, c.gaps)
		}
		if root := tsParse(t, u.Src); root.HasError() {
			t.Errorf("%s: does not parse:\n%s", c.name, u.Src)
		}
	}
}
