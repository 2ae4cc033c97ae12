package cindex

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/tagcheck/tagcheck/internal/limits"
	"github.com/tagcheck/tagcheck/internal/testenv"
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

// TestBuildFilesBounded: the index reads a file under the source limit
// only, and never waits on a FIFO put where a source file was listed: a
// file over the limit is left out as the survey leaves it out (no
// error; the scan's parse notes it), a FIFO is an unreadable file.
func TestBuildFilesBounded(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "a.c")
	huge := filepath.Join(dir, "b.c")
	fifo := filepath.Join(dir, "c.c")
	if err := os.WriteFile(small, []byte("int f(void)\n{\n\treturn 0;\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(huge, []byte("int g(void)\n{\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, limits.DefaultSource+1); err != nil { // sparse
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFO here:", err)
	}
	x := BuildFiles([]string{small, huge, fifo}, 1, nil)
	if x.Files != 1 || len(x.Lookup("f")) != 1 || len(x.Lookup("g")) != 0 {
		t.Errorf("indexed %d files, f %v, g %v; want a.c only", x.Files, x.Lookup("f"), x.Lookup("g"))
	}
	if len(x.Unread) != 1 || !strings.Contains(x.Unread[0].Error(), "not a regular file") {
		t.Errorf("unread: %v; want the FIFO, not a regular file", x.Unread)
	}
}

// TestSurveyBounded: the survey, like the index, never waits on a FIFO
// put where a source file was listed: it is a file the survey could not
// read, and a lookup that would need it says so.
func TestSurveyBounded(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "a.c")
	fifo := filepath.Join(dir, "b.c")
	if err := os.WriteFile(small, []byte("int f(void)\n{\n\treturn 0;\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFO here:", err)
	}
	s := NewSurvey([]string{small, fifo}, SurveyOptions{Workers: 1})
	if s.Read != 1 {
		t.Errorf("read %d files, want a.c only", s.Read)
	}
	if _, _, err := s.Defining(NewNames([]string{"f"}), nil); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("Defining over the FIFO: %v; want b.c, not a regular file", err)
	}
}

// TestIndexMerge: an index merged into another keeps each definition's
// file, place and linkage, after the other's own, and a lookup hands out
// copies the caller may change.
func TestIndexMerge(t *testing.T) {
	a, b := &Index{}, &Index{}
	a.add(namedDefs("a.c", Funcs([]byte("static int f(void)\n{\n\treturn 0;\n}\n"))))
	b.add(namedDefs("b.h", Funcs([]byte("\nint g(void) { return 1; }\nint f(void) { return 2; }\n"))))
	b.Files, b.Bytes = 1, 10
	a.Merge(b)
	want := []Def{
		{File: "a.c", Start: 0, End: 33, Line: 1, StartLine: 1, Static: true},
		{File: "b.h", Start: 27, End: 52, Line: 3, StartLine: 3},
	}
	if got := a.Lookup("f"); !slices.Equal(got, want) {
		t.Errorf("f: %+v, want %+v", got, want)
	}
	if got := a.Lookup("g"); len(got) != 1 || got[0].File != "b.h" || got[0].Line != 2 {
		t.Errorf("g: %+v, want one in b.h on line 2", got)
	}
	a.Lookup("f")[0].File = "x.c"
	if a.Lookup("f")[0].File != "a.c" || a.Files != 1 || !slices.Equal(a.Names(), []string{"f", "g"}) {
		t.Errorf("after a change to a lookup: %+v, %d files, names %v", a.Lookup("f"), a.Files, a.Names())
	}
}

// TestWalkRootsOverlap: a file named by two roots, or by a root and the
// directory around it, is listed once; the list is ordered by directory,
// then by name, whichever goroutine walked it.
func TestWalkRootsOverlap(t *testing.T) {
	dir := t.TempDir()
	testenv.WriteTree(t, dir, map[string]string{
		"x.c": "", "a/y.h": "", "a/b/z.c": "", "a/b/w.c": "", "c/v.c": "", ".git/g.c": "", "a/.git/h.c": "", "a/notes.txt": "",
	})
	got, unreadable, err := Walk([]string{filepath.Join(dir, "a"), dir, filepath.Join(dir, "x.c")})
	if err != nil || len(unreadable) > 0 {
		t.Fatal(err, unreadable)
	}
	var want []string
	for _, f := range []string{"x.c", "a/y.h", "a/b/w.c", "a/b/z.c", "c/v.c"} {
		want = append(want, filepath.Join(dir, f))
	}
	if !slices.Equal(got, want) {
		t.Errorf("Walk: %v\nwant %v", got, want)
	}
}
