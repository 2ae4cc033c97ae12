package cindex

import (
	"os"
	"path/filepath"
	"slices"
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
