package patch

import (
	"bytes"
	"flag"
	"fmt"
	"github.com/tagcheck/tagcheck/flow"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/patches/*.want from the parser's output")

// describe renders what ParsePatches returned in the text form of the
// testdata/patches/*.want files.
func describe(ps []*Patch, err error) string {
	var b strings.Builder
	if err != nil {
		fmt.Fprintf(&b, "error %s\n", err)
		return b.String()
	}
	if len(ps) == 0 {
		b.WriteString("no patches\n")
	}
	for _, p := range ps {
		fmt.Fprintf(&b, "patch line=%d subject=%q author=%q\n", p.Line, p.Subject, p.Author)
		for _, n := range p.Notes {
			fmt.Fprintf(&b, "  note %s\n", n)
		}
		for _, f := range p.Files {
			fmt.Fprintf(&b, "  file %s old=%q new=%q line=%d", f.Path, f.OldPath, f.NewPath, f.Line)
			for _, fl := range []struct {
				on   bool
				name string
			}{{f.IsNew, "new"}, {f.IsDeleted, "deleted"}, {f.IsRename, "rename"}, {f.IsCopy, "copy"}, {f.IsBinary, "binary"}, {f.Mangled, "mangled"}} {
				if fl.on {
					b.WriteString(" " + fl.name)
				}
			}
			if f.OldBlob != "" {
				b.WriteString(" blob=" + f.OldBlob)
			}
			b.WriteByte('\n')
			for _, h := range f.Hunks {
				var ops []byte
				for _, l := range h.Lines {
					ops = append(ops, l.Op)
					if l.NoNewline {
						ops = append(ops, '$')
					}
				}
				fmt.Fprintf(&b, "    hunk %s line=%d section=%q ops=%q\n", hunkHead(h), h.Line, h.Section, ops)
			}
		}
	}
	return b.String()
}

// TestPatchCases runs every testdata/patches/NAME.patch and compares the
// result with NAME.want beside it (go test -run TestPatchCases -update
// rewrites them; review the diff).
func TestPatchCases(t *testing.T) {
	files, err := filepath.Glob("../testdata/patches/*.patch")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test cases: %v", err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(strings.TrimSuffix(name, ".patch"), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			got := describe(ParsePatches(name, data))
			wantFile := strings.TrimSuffix(f, ".patch") + ".want"
			if *update {
				if err := os.WriteFile(wantFile, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(wantFile)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s:\n--- got\n%s--- want\n%s", name, got, want)
			}
			// Every file patch must give fragments and units without
			// trouble, numbering kept.
			checkUnits(t, data, name)
		})
	}
}

// checkUnits runs ParsePatches → Fragments → Units and checks the line
// numbering invariants: seen lines keep their text at their post-image
// line, and a unit's text grows with the lines shown, not with how far
// down the file they are.
func checkUnits(t testing.TB, data []byte, name string) {
	ps, err := ParsePatches(name, data)
	if err != nil {
		return
	}
	for _, p := range ps {
		for _, fp := range p.Files {
			pi := fp.Fragments()
			if pi.Text.Last() > pi.Len {
				t.Fatalf("%s: %s: line %d shown past the image's %d lines", name, fp.Path, pi.Text.Last(), pi.Len)
			}
			shown, runs := 0, 0
			for _, lines := range pi.Text.Runs() {
				shown += len(lines)
				runs++
			}
			for _, u := range pi.Units() {
				src := strings.Split(string(u.Src), "\n")
				if most := (shown + 2*runs + 2) * (maxBlank + 1); len(src) > most {
					t.Fatalf("%s: %s: unit has %d lines for %d shown in %d runs", name, fp.Path, len(src), shown, runs)
				}
				at := map[int]string{} // post-image line → its text in the unit
				prev := 0
				for i, s := range src {
					ln := u.PostLine(i + 1)
					if ln <= prev {
						t.Fatalf("%s: %s: unit line %d is post-image line %d, after %d", name, fp.Path, i+1, ln, prev)
					}
					at[ln], prev = s, ln
				}
				for ln, l := range pi.Text.All() {
					s, ok := at[ln]
					if !ok {
						t.Fatalf("%s: %s: post-image line %d is not in the unit", name, fp.Path, ln)
					}
					extra, ok := strings.CutPrefix(s, l)
					if !ok || extra != "" && (pi.Whole || !strings.HasPrefix(extra, " "+flow.RemovedRelease)) {
						t.Fatalf("%s: %s: unit line for %d is %q, post-image %q", name, fp.Path, ln, s, l)
					}
				}
			}
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"diff --git a/x b/x\n\x00\x01", "x.patch: line 2: not a text patch (binary data)"},
		{"--- a/f.c\n+++ b/f.c\n@@ -1,3 +1,3 @@\n a\n-b\n", "x.patch:5: hunk #1 of f.c ends early: expected 2 more lines"},
		{"--- a/f.c\n+++ b/f.c\n@@ -1,3 +99999999999,3 @@\n a\n", "x.patch:3: bad hunk header"},
	} {
		_, err := ParsePatches("x.patch", []byte(c.in))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("ParsePatches(%q) = %v, want %q", c.in, err, c.want)
		}
	}
	// Random bytes without NUL are still binary.
	rnd := make([]byte, 4096)
	x := uint32(12345)
	for i := range rnd {
		x = x*1664525 + 1013904223
		rnd[i] = byte(x>>24) | 1
	}
	if _, err := ParsePatches("r", rnd); err == nil || !strings.Contains(err.Error(), "not a text patch") {
		t.Errorf("random bytes: %v", err)
	}
}

// TestSignatureNotHunkLine checks that format-patch's "-- " signature after
// a complete hunk is not read as a removed line.
func TestSignatureNotHunkLine(t *testing.T) {
	in := "--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-a\n+b\n-- \n2.39.2\n"
	ps, err := ParsePatches("s", []byte(in))
	if err != nil || len(ps) != 1 || len(ps[0].Files[0].Hunks[0].Lines) != 2 || len(ps[0].Notes) != 0 {
		t.Fatalf("got %s", describe(ps, err))
	}
}

func FuzzParsePatches(f *testing.F) {
	files, _ := filepath.Glob("../testdata/patches/*.patch")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ps, err := ParsePatches("fuzz", data)
		if err != nil {
			if len(ps) != 0 {
				t.Fatalf("patches with an error")
			}
			if !strings.HasPrefix(err.Error(), "fuzz:") {
				t.Fatalf("error without its place: %v", err)
			}
			return
		}
		for _, p := range ps {
			if len(p.Files) == 0 {
				t.Fatalf("patch without files")
			}
			for _, fp := range p.Files {
				if fp.Path == "" {
					t.Fatalf("file patch without a path")
				}
				for _, h := range fp.Hunks {
					var o, n int
					for _, l := range h.Lines {
						switch l.Op {
						case ' ':
							o++
							n++
						case '-':
							o++
						case '+':
							n++
						default:
							t.Fatalf("bad op %q", l.Op)
						}
					}
					if o > h.OldLines || n > h.NewLines {
						t.Fatalf("hunk holds more lines than its header says")
					}
				}
			}
		}
	})
}

// synthPatch builds a patch of about size bytes: many files, many hunks.
func synthPatch(size int) []byte {
	var b bytes.Buffer
	for f := 0; b.Len() < size; f++ {
		fmt.Fprintf(&b, "diff --git a/dir/file%d.c b/dir/file%d.c\nindex 1111111..2222222 100644\n--- a/dir/file%d.c\n+++ b/dir/file%d.c\n", f, f, f, f)
		for h := 0; h < 20; h++ {
			start := 1 + h*40
			fmt.Fprintf(&b, "@@ -%d,7 +%d,7 @@ static int fn%d(struct thing *t)\n", start, start, h)
			b.WriteString("\tint ret;\n\n\tspin_lock(&t->lock);\n-\tret = t->count++;\n+\tret = ++t->count;\n\tspin_unlock(&t->lock);\n\n\treturn ret;\n")
		}
	}
	return b.Bytes()
}

func BenchmarkParsePatches(b *testing.B) {
	data := synthPatch(10 << 20)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ParsePatches("big.patch", data); err != nil {
			b.Fatal(err)
		}
	}
}

// cpuTime is the process's CPU time: unlike the wall clock it does not
// grow when other processes load the machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestLinearTime checks that reading 8x the input takes well under 8x^2
// the time (a quadratic step would show as ~64x).
func TestLinearTime(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	measure := func(data []byte) time.Duration {
		best := time.Duration(1 << 62)
		for i := 0; i < 5; i++ {
			runtime.GC()
			start := cpuTime()
			if _, err := ParsePatches("big.patch", data); err != nil {
				t.Fatal(err)
			}
			best = min(best, cpuTime()-start)
		}
		return best
	}
	small, large := synthPatch(2<<20), synthPatch(16<<20)
	ts, tl := measure(small), measure(large)
	// Linear is 8x; quadratic would be 64x. The margin absorbs GC and a
	// loaded machine.
	if ratio := float64(tl) / float64(ts); ratio > 32 {
		t.Errorf("8x input took %.1fx the time (%v vs %v): not linear", ratio, tl, ts)
	}
}

func TestOldBlob(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a28b8c4..40f38bb 100644", "a28b8c4"},
		{"a28b8c4..40f38bb", "a28b8c4"},
		{"0000000..40f38bb", ""}, // a new file
		{"a28b8c4", ""},          // no ".."
		{"a28b8c..40f38bb", ""},  // too short to name an object
		{"A28B8C4..40f38bb", ""}, // git writes lower case
		{"a28b8c4x..40f38bb", ""},
		{"a28b8c4,5..40f38bb", ""},
		{strings.Repeat("ab", 32) + "..0", strings.Repeat("ab", 32)},
		{strings.Repeat("ab", 33) + "..0", ""},
	} {
		if got := oldBlob(c.in); got != c.want {
			t.Errorf("oldBlob(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
