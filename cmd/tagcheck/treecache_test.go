package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckTreeCache: a check --tree keeps what its pass over the tree
// learned of each file in the cache, finds the same from it the second
// time, sees a tree file that changed since, and keeps nothing with
// --no-cache.
func TestCheckTreeCache(t *testing.T) {
	patch, _ := filepath.Abs("../../examples/ctx-reader/0001-fs_ctx-mark-readers-in-the-pointer-instead-of-taking.patch")
	tree := filepath.Join(t.TempDir(), "tree")
	if err := os.CopyFS(tree, os.DirFS("../../examples/ctx-reader/tree")); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(tree, "fs", "other.c")
	if err := os.WriteFile(other, []byte("int ctx_other(struct task_struct *p)\n{\n\treturn p->pid;\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cache := t.TempDir()
	env := []string{"TAGCHECK_CACHE=" + cache}
	check := func(args ...string) string {
		t.Helper()
		r := tc(t, ".", env, append([]string{"check", "--tree", tree}, append(args, patch)...)...)
		wantCode(t, r, 1)
		return r.stdout
	}
	kept := func() []string {
		t.Helper()
		entries, _ := filepath.Glob(filepath.Join(cache, "trees", "*"))
		return entries
	}

	plain := check("--no-cache")
	if got := kept(); len(got) != 0 {
		t.Fatalf("--no-cache kept %v", got)
	}
	if first := check(); first != plain {
		t.Errorf("with an empty cache:\n%s\nwant\n%s", first, plain)
	}
	if got := kept(); len(got) != 1 {
		t.Fatalf("kept %v, want one entry for the tree", got)
	}
	if second := check(); second != plain {
		t.Errorf("from the cache:\n%s\nwant\n%s", second, plain)
	}

	// A new reader of the newly tagged field, in a file the cache holds
	// as accessing no such member.
	if err := os.WriteFile(other, []byte("int ctx_other(struct task_struct *p)\n{\n\treturn p->fs_ctx->id;\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	changed := check()
	if want := check("--no-cache"); changed != want {
		t.Errorf("after a tree file changed, from the cache:\n%s\nwant\n%s", changed, want)
	}
	if !strings.Contains(changed, "fs/other.c:3:") {
		t.Errorf("the new reader at fs/other.c:3 is not reported:\n%s", changed)
	}
}
