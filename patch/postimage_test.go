package patch

import (
	"os"
	"strings"
	"testing"

	"github.com/tagcheck/tagcheck/internal/testenv"
)

func readSeed(t *testing.T) []*Patch {
	t.Helper()
	p := testenv.Shared(t, "seeds/000_d0a3b36e06f8ca09.txt")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := ParsePatches("seed.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 {
		t.Fatalf("seed: %d patches, want 1", len(ps))
	}
	return ps
}

func TestSeedFiles(t *testing.T) {
	p := readSeed(t)[0]
	want := []struct {
		path  string
		hunks []string
	}{
		{"fs/namespace.c", []string{"@@ -3297,13 +3297,13 @@"}},
		{"fs/proc/proc_net.c", []string{"@@ -113,11 +113,11 @@"}},
		{"fs/proc_namespace.c", []string{"@@ -244,8 +244,8 @@", "@@ -260,7 +260,7 @@"}},
		{"include/linux/nsproxy.h", []string{"@@ -39,29 +39,60 @@"}},
		{"ipc/namespace.c", []string{"@@ -138,11 +138,11 @@"}},
		{"kernel/nsproxy.c", []string{"@@ -11,6 +11,7 @@", "@@ -200,17 +201,28 @@"}},
		{"kernel/utsname.c", []string{"@@ -100,13 +100,13 @@"}},
		{"net/core/net_namespace.c", []string{"@@ -502,11 +502,12 @@", "@@ -964,11 +965,11 @@"}},
	}
	if len(p.Files) != len(want) {
		t.Fatalf("%d files, want %d:\n%s", len(p.Files), len(want), describe([]*Patch{p}, nil))
	}
	for i, w := range want {
		fp := p.Files[i]
		if fp.Path != w.path || fp.OldPath != w.path || fp.NewPath != w.path {
			t.Errorf("file %d: %q (%q → %q), want %q", i, fp.Path, fp.OldPath, fp.NewPath, w.path)
		}
		if len(fp.Hunks) != len(w.hunks) {
			t.Errorf("%s: %d hunks, want %d", fp.Path, len(fp.Hunks), len(w.hunks))
			continue
		}
		for k, h := range fp.Hunks {
			if hunkHead(h) != w.hunks[k] {
				t.Errorf("%s hunk %d: %s, want %s", fp.Path, k+1, hunkHead(h), w.hunks[k])
			}
			var o, n int
			for _, l := range h.Lines {
				if l.Op != '+' {
					o++
				}
				if l.Op != '-' {
					n++
				}
			}
			if o != h.OldLines || n != h.NewLines {
				t.Errorf("%s hunk %d: body has %d/%d lines, header %d/%d", fp.Path, k+1, o, n, h.OldLines, h.NewLines)
			}
		}
	}
	if p.Subject != "Re: [RFC PATCH] namespaces: Avoid task_lock when setting tsk->nsproxy" {
		t.Errorf("subject %q", p.Subject)
	}
	if !strings.HasPrefix(p.Author, "Davidlohr Bueso") {
		t.Errorf("author %q, want the quoted patch's author", p.Author)
	}
}

// TestSeedPostImage checks post-image line numbers as applying the seed
// would give them.
func TestSeedPostImage(t *testing.T) {
	p := readSeed(t)[0]
	images := map[string]*PostImage{}
	for _, fp := range p.Files {
		images[fp.Path] = fp.Fragments()
	}
	for _, c := range []struct {
		path  string
		line  int
		text  string
		added bool
	}{
		{"fs/proc_namespace.c", 244, "if (!task)", false},
		{"fs/proc_namespace.c", 247, "set_reader_nsproxy(task);", true},
		{"fs/proc_namespace.c", 248, "nsp = task_nsproxy(task);", true},
		{"fs/proc_namespace.c", 250, "task_unlock(task);", false},
		{"fs/proc_namespace.c", 260, "goto err_put_ns;", false},
		{"fs/proc_namespace.c", 263, "clear_reader_nsproxy(task);", true},
		{"fs/namespace.c", 3297, "struct ns_common *ns = NULL;", false},
		{"fs/namespace.c", 3300, "set_reader_nsproxy(task);", true},
		{"fs/namespace.c", 3306, "clear_reader_nsproxy(task);", true},
		{"fs/namespace.c", 3309, "}", false},
		{"fs/proc/proc_net.c", 117, "ns = task_nsproxy(task);", true},
		{"include/linux/nsproxy.h", 69, "#define NSPROXY_READER 1UL", true},
		{"include/linux/nsproxy.h", 78, "(void)xchg(&tsk->nsproxy, (struct nsproxy *)", true},
		{"include/linux/nsproxy.h", 98, "void switch_task_namespaces(struct task_struct *tsk, struct nsproxy *new);", false},
		{"kernel/nsproxy.c", 14, "* Feb 2016 - setns() performance work, Davidlohr Bueso.", true},
		{"kernel/nsproxy.c", 201, "", false},
		{"kernel/nsproxy.c", 204, "struct nsproxy *old, *cur = task_nsproxy(p);", true},
		{"kernel/nsproxy.c", 212, "old = cmpxchg(&p->nsproxy, cur, new);", true},
		{"kernel/nsproxy.c", 220, "old = p->nsproxy;", true},
		{"kernel/nsproxy.c", 223, "put_old:", true},
		{"kernel/nsproxy.c", 228, "void exit_task_namespaces(struct task_struct *p)", false},
		{"kernel/utsname.c", 111, "return ns ? &ns->ns : NULL;", false},
		{"net/core/net_namespace.c", 505, "", true},
		{"net/core/net_namespace.c", 506, "set_reader_nsproxy(tsk);", true},
		{"net/core/net_namespace.c", 513, "return net;", false},
		{"net/core/net_namespace.c", 965, "struct net *net = NULL;", false},
		{"net/core/net_namespace.c", 972, "clear_reader_nsproxy(task);", true},
	} {
		pi := images[c.path]
		if pi == nil {
			t.Fatalf("no post-image for %s", c.path)
		}
		got, ok := pi.Text.Line(c.line)
		if !ok {
			t.Errorf("%s:%d: not seen", c.path, c.line)
			continue
		}
		if got != c.text || pi.Added(c.line) != c.added {
			t.Errorf("%s:%d: %q added=%v, want %q added=%v", c.path, c.line, got, pi.Added(c.line), c.text, c.added)
		}
	}
	pi := images["fs/proc_namespace.c"]
	if pi.Gaps != 1 {
		t.Errorf("fs/proc_namespace.c: Gaps = %d, want 1 (mounts_open_common spans two hunks)", pi.Gaps)
	}
	for _, l := range []int{243, 252, 259} {
		if pi.Text.Has(l) {
			t.Errorf("fs/proc_namespace.c:%d seen", l)
		}
	}
	for path, pi := range images {
		if path != "fs/proc_namespace.c" && pi.Gaps != 0 {
			t.Errorf("%s: Gaps = %d, want 0", path, pi.Gaps)
		}
		if pi.Whole {
			t.Errorf("%s: Whole from a patch alone", path)
		}
	}
}

// TestFragmentsNewFile: a new file's post-image is whole.
func TestFragmentsNewFile(t *testing.T) {
	ps, err := ParsePatches("n", []byte("--- /dev/null\n+++ b/n.c\n@@ -0,0 +1,2 @@\n+int a;\n+int b;\n\\ No newline at end of file\n"))
	if err != nil {
		t.Fatal(err)
	}
	pi := ps[0].Files[0].Fragments()
	if !pi.Whole || pi.Len != 2 || !pi.NoEOL || string(pi.Bytes()) != "int a;\nint b;" {
		t.Fatalf("%+v", pi)
	}
}
