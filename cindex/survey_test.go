package cindex

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/tagcheck/tagcheck/internal/testenv"
)

// TestSurveyCache: a second survey with the first's cache reads no file
// that has not changed, and reads again one whose bytes changed (same
// size, new modification time), so that its summary is the new text's.
// A summary made exact by Index is kept exact, and a damaged cache is
// refused.
func TestSurveyCache(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.c")
	b := filepath.Join(dir, "b.c")
	write := func(path, src string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(a, "void grab_lock(struct w *w)\n{\n\tw->count++;\n}\n")
	write(b, "void walk(void)\n{\n\tlist_for_each_entry(p, h, node) {\n\t}\n}\n")
	files := []string{a, b}
	defining := func(s *Survey, name string) []string {
		t.Helper()
		got, _, err := s.Defining(NewNames([]string{name}), nil)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}

	first := NewSurvey(files, SurveyOptions{Workers: 1})
	if first.Read != 2 || !first.Changed() {
		t.Fatalf("first survey: read %d, changed %v; want 2 read, changed", first.Read, first.Changed())
	}
	if got := defining(first, "list_for_each_entry"); !slices.Equal(got, []string{b}) {
		t.Errorf("may define list_for_each_entry: %v, want b.c (it stands like a definition)", got)
	}
	loop := NewNames([]string{"list_for_each_entry"})
	_, at, _ := first.Defining(loop, nil)
	if _, lexed, err := first.Index(at, loop, 1); err != nil || len(lexed) != 0 {
		t.Fatalf("Index for list_for_each_entry: lexed %v, %v; want none (it stands only inside braces)", lexed, err)
	}
	grab := NewNames([]string{"grab_lock"})
	_, at, _ = first.Defining(grab, nil)
	x, lexed, err := first.Index(at, grab, 1)
	if err != nil || !slices.Equal(lexed, []int{0}) || len(x.Lookup("grab_lock")) != 1 {
		t.Fatalf("Index for grab_lock: lexed %v, %v; want a.c, defining it", lexed, err)
	}
	cache, err := DecodeSummaries(first.Encode())
	if err != nil {
		t.Fatal(err)
	}

	second := NewSurvey(files, SurveyOptions{Workers: 1, Cache: cache})
	if second.Read != 0 || second.Cached != 2 || second.Changed() {
		t.Errorf("second survey: read %d, cached %d, changed %v; want 0, 2, false", second.Read, second.Cached, second.Changed())
	}
	if got := defining(second, "grab_lock"); !slices.Equal(got, []string{a}) {
		t.Errorf("from the cache, may define grab_lock: %v, want a.c", got)
	}
	if got := defining(second, "list_for_each_entry"); got != nil {
		t.Errorf("from the cache, may define list_for_each_entry: %v, want none (b.c was read: the name stands only inside braces)", got)
	}
	if !second.Summary(0).Accesses("count") {
		t.Error("from the cache, a.c does not access count")
	}

	// The same size, other bytes, a later modification time.
	write(a, "void drop_lock(struct w *w)\n{\n\tw->total++;\n}\n")
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(a, later, later); err != nil {
		t.Fatal(err)
	}
	third := NewSurvey(files, SurveyOptions{Workers: 1, Cache: cache})
	if third.Read != 1 || third.Cached != 1 || !third.Changed() {
		t.Errorf("after a.c changed: read %d, cached %d, changed %v; want 1, 1, true", third.Read, third.Cached, third.Changed())
	}
	if got := defining(third, "grab_lock"); got != nil {
		t.Errorf("after a.c changed, may define grab_lock: %v, want none", got)
	}
	if got := defining(third, "drop_lock"); !slices.Equal(got, []string{a}) {
		t.Errorf("after a.c changed, may define drop_lock: %v, want a.c", got)
	}
	if s := third.Summary(0); s.Accesses("count") || !s.Accesses("total") {
		t.Error("after a.c changed, its members are the old text's")
	}

	// A file gone from the tree is dropped from what is kept.
	if fourth := NewSurvey([]string{a}, SurveyOptions{Workers: 1, Cache: cache}); !fourth.Changed() {
		t.Error("a survey of fewer files than the cache holds: not changed")
	}

	data := first.Encode()
	for _, bad := range [][]byte{nil, data[:len(data)-1], append([]byte("x"), data[1:]...)} {
		if _, err := DecodeSummaries(bad); err == nil {
			t.Errorf("a damaged cache of %d bytes decoded", len(bad))
		}
	}
	flipped := slices.Clone(data)
	flipped[len(summaryMagic)+3] ^= 1
	if _, err := DecodeSummaries(flipped); err == nil {
		t.Error("a cache with a flipped bit decoded")
	}
}

// TestSurveyAhead: a survey told the names of the first lookup indexes
// the files that may define them in its own pass: Index for those names
// then reads none of them again (they are gone from the disk here) and
// answers as a survey that was not told: the same definitions, the same
// files lexed, the same sharpened summaries. A later lookup of other
// names reads its files.
func TestSurveyAhead(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tree")
	files := testenv.WriteTree(t, dir, map[string]string{
		"a.c": "void grab_lock(struct w *w)\n{\n\tmutex_lock(&w->m);\n}\n",
		"b.c": "void walk(void)\n{\n\tgrab_lock(p) {\n\t}\n}\n",
		"c.c": "static void grab_lock(struct w *w)\n{\n}\nint other(void)\n{\n\treturn 0;\n}\n",
		"d.c": "int unrelated(void)\n{\n\treturn 1;\n}\n",
	})
	grab := NewNames([]string{"grab_lock"})
	index := func(s *Survey, names *Names) (*Index, []int) {
		t.Helper()
		_, at, err := s.Defining(names, nil)
		if err != nil {
			t.Fatal(err)
		}
		x, lexed, err := s.Index(at, names, 1)
		if err != nil {
			t.Fatalf("Index: %v", err)
		}
		return x, lexed
	}
	plain := NewSurvey(files, SurveyOptions{Workers: 1})
	wantX, wantLexed := index(plain, grab)

	ahead := NewSurvey(files, SurveyOptions{Workers: 1, Ahead: grab})
	if err := os.Rename(dir, dir+".gone"); err != nil {
		t.Fatal(err)
	}
	gotX, gotLexed := index(ahead, grab)
	if !slices.Equal(gotLexed, wantLexed) || !slices.Equal(gotLexed, []int{0, 2}) {
		t.Errorf("lexed %v, want %v (a.c and c.c)", gotLexed, wantLexed)
	}
	if !slices.Equal(gotX.Lookup("grab_lock"), wantX.Lookup("grab_lock")) || len(gotX.Lookup("grab_lock")) != 2 || gotX.Files != wantX.Files || gotX.Bytes != wantX.Bytes {
		t.Errorf("index %v (%d files, %d bytes), want %v (%d, %d)", gotX.Lookup("grab_lock"), gotX.Files, gotX.Bytes, wantX.Lookup("grab_lock"), wantX.Files, wantX.Bytes)
	}
	for i := range files {
		if !slices.Equal(ahead.Summary(i).DefNames, plain.Summary(i).DefNames) {
			t.Errorf("%s: summary %v, want %v", files[i], ahead.Summary(i).DefNames, plain.Summary(i).DefNames)
		}
	}
	if _, _, err := ahead.Index([]int{3}, NewNames([]string{"unrelated"}), 1); err == nil {
		t.Error("a later lookup of other names read nothing: want the file gone")
	}
}

// TestReadBody: a file is read whole however its reads come, and a read
// that ends where the size said asks for no second read.
func TestReadBody(t *testing.T) {
	for _, c := range []struct {
		name      string
		text      string
		size      int64
		chunk     int // largest read; 0: no bound
		wantReads int
	}{
		{"one read", "int x;\n", 7, 0, 1},
		{"short reads", "0123456789", 10, 3, 4},
		{"grown since its size", "0123456789", 4, 0, 3},
		{"shrunk since its size", "0123", 10, 0, 2},
		{"empty", "", 0, 0, 1},
	} {
		rest := []byte(c.text)
		reads := 0
		got, err := readBody(nil, c.size, func(p []byte) (int, error) {
			reads++
			n := min(len(p), len(rest))
			if c.chunk > 0 {
				n = min(n, c.chunk)
			}
			copy(p, rest[:n])
			rest = rest[n:]
			return n, nil
		})
		if err != nil || string(got) != c.text || reads != c.wantReads {
			t.Errorf("%s: read %q in %d reads (%v), want %q in %d", c.name, got, reads, err, c.text, c.wantReads)
		}
	}
}
