package cindex

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A directory's files come out together even when a subdirectory's name
// sorts between them: callers learn wrappers per directory.
func TestFilesGroupsByDirectory(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{"mm/filemap.c", "mm/kmsan/core.c", "mm/migrate.c", "mm/a/x.c"} {
		p := filepath.Join(root, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("int x;\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Files([]string{filepath.Join(root, "mm")})
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		got[i], _ = filepath.Rel(root, got[i])
	}
	want := []string{"mm/filemap.c", "mm/migrate.c", "mm/a/x.c", "mm/kmsan/core.c"}
	if !slices.Equal(got, want) {
		t.Fatalf("Files order = %v, want %v", got, want)
	}
}

// TestBuildFilesGoesOn: a file that vanished after it was listed is left
// out of the index and named in Unread; the others are indexed (a scan
// reports the missing one and goes on). Build, for a tree, refuses it.
func TestBuildFilesGoesOn(t *testing.T) {
	dir := t.TempDir()
	kept := filepath.Join(dir, "a.c")
	gone := filepath.Join(dir, "b.c")
	os.WriteFile(kept, []byte("int f(void)\n{\n\treturn 0;\n}\n"), 0o644)
	os.WriteFile(gone, []byte("int g(void)\n{\n\treturn 0;\n}\n"), 0o644)
	files, err := Files([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(gone)
	x := BuildFiles(files, 2, nil)
	if len(x.Lookup("f")) != 1 || len(x.Lookup("g")) != 0 {
		t.Errorf("index: f %v, g %v", x.Lookup("f"), x.Lookup("g"))
	}
	if len(x.Unread) != 1 || !errors.Is(x.Unread[0], fs.ErrNotExist) || !strings.Contains(x.Unread[0].Error(), gone) {
		t.Errorf("Unread = %v, want b.c not found", x.Unread)
	}
	if _, err := Build([]string{dir, gone}, 2); err == nil {
		t.Errorf("Build of a missing path: no error")
	}
}
