package patch

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/internal/testenv"
)

func readFixture(t *testing.T) ([]byte, *Patch) {
	t.Helper()
	data, err := os.ReadFile(testenv.Shared(t, "fixtures/nsproxy-reader-6.1.patch"))
	if err != nil {
		t.Fatal(err)
	}
	ps, err := ParsePatches("nsproxy-reader-6.1.patch", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || len(ps[0].Files) != 8 {
		t.Fatalf("fixture: %s", describe(ps, err))
	}
	return data, ps[0]
}

func copyTreeFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestApplyFixtureMatchesPatch applies the 6.1 fixture in memory and
// compares every file byte for byte with what patch -p1 writes.
func TestApplyFixtureMatchesPatch(t *testing.T) {
	data, p := readFixture(t)
	tree := testenv.KernelTree(t)
	patchBin, err := exec.LookPath("patch")
	if err != nil {
		t.Skip("skipping: no patch(1)")
	}
	tmp := t.TempDir()
	for _, fp := range p.Files {
		copyTreeFile(t, filepath.Join(tree, fp.OldPath), filepath.Join(tmp, fp.OldPath))
	}
	cmd := exec.Command(patchBin, "-p1", "-s", "--no-backup-if-mismatch", "-F0")
	cmd.Dir = tmp
	cmd.Stdin = bytes.NewReader(data)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("patch -p1: %v\n%s", err, out)
	}
	for _, fp := range p.Files {
		pi, err := ApplyToTree(tree, fp, 0)
		if err != nil {
			t.Fatalf("ApplyToTree(%s): %v", fp.Path, err)
		}
		want, err := os.ReadFile(filepath.Join(tmp, fp.Path))
		if err != nil {
			t.Fatal(err)
		}
		if got := pi.Bytes(); !bytes.Equal(got, want) {
			t.Errorf("%s: in-memory post-image differs from patch -p1 (%d vs %d bytes)", fp.Path, len(got), len(want))
		}
		// Added marks exactly the '+' lines, at their post-image lines.
		frag := fp.Fragments()
		for ln, l := range frag.Text.All() {
			if got, _ := pi.Text.Line(ln); l != got || frag.Added(ln) != pi.Added(ln) {
				t.Errorf("%s:%d: fragment %q/%v, applied %q/%v", fp.Path, ln, l, frag.Added(ln), got, pi.Added(ln))
			}
		}
		if !pi.Whole || !pi.Text.Dense() || pi.Text.Last() != pi.Len {
			t.Errorf("%s: not a whole image", fp.Path)
		}
		units := pi.Units()
		if len(units) != 1 || !bytes.Equal(units[0].Src, want) {
			t.Errorf("%s: whole unit differs from the file", fp.Path)
		}
	}
}

// TestApplyMangledHunk: a hunk whose context is not in the tree is an
// error naming the file and the hunk.
func TestApplyMangledHunk(t *testing.T) {
	data, _ := readFixture(t)
	tree := testenv.KernelTree(t)
	bad := bytes.Replace(data, []byte(" \tget_fs_root(task->fs, &root);\n"), []byte(" \tget_fs_root(task->fs, &ROOT);\n"), 1)
	ps, err := ParsePatches("bad.patch", bad)
	if err != nil {
		t.Fatal(err)
	}
	for _, fp := range ps[0].Files {
		_, err := ApplyToTree(tree, fp, 0)
		if fp.Path != "fs/proc_namespace.c" {
			if err != nil {
				t.Errorf("%s: %v", fp.Path, err)
			}
			continue
		}
		want := "fs/proc_namespace.c: hunk #2 (@@ -269,7 +269,7 @@) does not apply at or near line 269"
		if err == nil || err.Error() != want {
			t.Errorf("got %v, want %q", err, want)
		}
	}
}

// TestApplySeedToTree applies the whitespace-damaged 2016 e-mail to the 6.1
// tree: offsets are found and whitespace runs ignored, as patch -l would.
func TestApplySeedToTree(t *testing.T) {
	p := readSeed(t)[0]
	tree := testenv.KernelTree(t)
	for _, fp := range p.Files {
		if fp.Path != "fs/proc_namespace.c" {
			continue
		}
		pi, err := ApplyToTree(tree, fp, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := pi.Text.Line(256); got != "\tset_reader_nsproxy(task);" || !pi.Added(256) {
			t.Errorf("line 256: %q added=%v", got, pi.Added(256))
		}
		if got, _ := pi.Text.Line(259); got != "\t\ttask_unlock(task);" || pi.Added(259) {
			t.Errorf("line 259: %q (context keeps the tree's indentation)", got)
		}
	}
}

func TestApplySmall(t *testing.T) {
	root := t.TempDir()
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(root, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("off.c", "a\nb\nc\nd\ne\nf\ng\nh\n")
	write("noeol.c", "x\ny")
	write("dos.c", "int dos(void)\r\n{\r\n\treturn 0;\r\n}\r\n")
	write("gone.c", "1\n2\n")
	for _, c := range []struct {
		patch, path, want, err string
	}{
		// Header says line 1, text is at line 5: offset +4.
		{"--- a/off.c\n+++ b/off.c\n@@ -1,3 +1,3 @@\n e\n-f\n+F\n g\n", "off.c", "a\nb\nc\nd\ne\nF\ng\nh\n", ""},
		// Header says line 7, text is at 2: offset -5.
		{"--- a/off.c\n+++ b/off.c\n@@ -7,2 +7,3 @@\n b\n+B\n c\n", "off.c", "a\nb\nB\nc\nd\ne\nf\ng\nh\n", ""},
		// Pure insertion after line 8.
		{"--- a/off.c\n+++ b/off.c\n@@ -8,0 +9,1 @@\n+i\n", "off.c", "a\nb\nc\nd\ne\nf\ng\nh\ni\n", ""},
		{"--- a/noeol.c\n+++ b/noeol.c\n@@ -1,2 +1,2 @@\n x\n-y\n\\ No newline at end of file\n+z\n", "noeol.c", "x\nz\n", ""},
		{"--- a/noeol.c\n+++ b/noeol.c\n@@ -1,2 +1,3 @@\n x\n y\n\\ No newline at end of file\n+w\n\\ No newline at end of file\n", "noeol.c", "x\ny\nw", ""},
		{"--- a/dos.c\n+++ b/dos.c\n@@ -1,4 +1,4 @@\n int dos(void)\n {\n-\treturn 0;\n+\treturn 1;\n }\n", "dos.c", "int dos(void)\r\n{\r\n\treturn 1;\r\n}\r\n", ""},
		{"--- /dev/null\n+++ b/new.c\n@@ -0,0 +1,2 @@\n+n\n+m\n", "new.c", "n\nm\n", ""},
		{"--- a/gone.c\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-1\n-2\n", "gone.c", "", ""},
		{"--- a/off.c\n+++ b/off.c\n@@ -1,2 +1,2 @@\n a\n-X\n+Y\n", "off.c", "", "off.c: hunk #1 (@@ -1,2 +1,2 @@) does not apply at or near line 1"},
		{"--- a/../etc/passwd\n+++ b/../etc/passwd\n@@ -1 +1 @@\n-a\n+b\n", "", "", "../etc/passwd: path outside the tree"},
		{"diff --git a/off.c b/moved.c\nsimilarity index 100%\nrename from off.c\nrename to moved.c\n", "moved.c", "a\nb\nc\nd\ne\nf\ng\nh\n", ""},
	} {
		ps, err := ParsePatches("t.patch", []byte(c.patch))
		if err != nil {
			t.Fatal(err)
		}
		pi, err := ApplyToTree(root, ps[0].Files[0], 0)
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("%q: error %v, want %q", c.patch, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.patch, err)
			continue
		}
		if got := string(pi.Bytes()); got != c.want && !(c.want == "" && pi.Len == 0) {
			t.Errorf("%q:\ngot  %q\nwant %q", c.patch, got, c.want)
		}
		if pi.Path != c.path {
			t.Errorf("path %q, want %q", pi.Path, c.path)
		}
	}
	if !strings.Contains(t.Name(), "Small") {
		t.Fatal()
	}
}

// TestApplyNotesRemovedCalls: a release the patch deletes outright is
// written, renamed, after the line it followed in the text the whole
// post-image is parsed from, as in a fragment's (Units); a deletion that
// '+' lines replace is a rewrite and is not. The image's own bytes and
// lines stay those of the file.
func TestApplyNotesRemovedCalls(t *testing.T) {
	src := "int f(struct d *d)\n{\n\tmutex_lock(&d->m);\n\tif (d->bad) {\n\t\tput(d);\n\t\tmutex_unlock(&d->m);\n\t\treturn -1;\n\t}\n\tspin_unlock(&d->s);\n\tmutex_unlock(&d->m);\n\treturn 0;\n}\n"
	pi := applyToFile(t, src, "--- a/f.c\n+++ b/f.c\n@@ -4,7 +4,6 @@\n \tif (d->bad) {\n \t\tput(d);\n-\t\tmutex_unlock(&d->m);\n \t\treturn -1;\n \t}\n-\tspin_unlock(&d->s);\n+\tspin_unlock_bh(&d->s);\n \tmutex_unlock(&d->m);\n")
	post := strings.Replace(strings.Replace(src, "\t\tmutex_unlock(&d->m);\n", "", 1), "spin_unlock(", "spin_unlock_bh(", 1)
	if got := string(pi.Bytes()); got != post {
		t.Errorf("Bytes:\ngot  %q\nwant %q", got, post)
	}
	units := pi.Units()
	want := strings.Replace(post, "\t\tput(d);\n", "\t\tput(d); "+flow.RemovedRelease+"mutex_unlock(&d->m);\n", 1)
	if len(units) != 1 || string(units[0].Src) != want {
		t.Errorf("Units:\ngot  %q\nwant %q", units[0].Src, want)
	}
	if !pi.ChangedAt(5) || pi.ChangedAt(4) || !pi.ChangedAt(8) {
		t.Errorf("ChangedAt 4, 5, 8: %v %v %v; want false true true", pi.ChangedAt(4), pi.ChangedAt(5), pi.ChangedAt(8))
	}
}

// TestApplyNotesRemovedJumps: a jump the patch takes away from a label
// no longer runs what follows the label (past comments and further
// labels, up to the first other statement); those calls are written,
// renamed, where the jump stood: in a block opened after an if header
// and closed after its one-statement body, so they run on that path
// only. A rewritten jump to the same label counts for nothing.
func TestApplyNotesRemovedJumps(t *testing.T) {
	src := "int f(struct d *d)\n{\n\tmutex_lock(&d->m);\n\tif (read(d))\n\t\tgoto unlock;\n\tif (d->x) {\n\t\td->y = 1;\n\t\tgoto unlock;\n\t}\n\td->z = 2;\nunlock:\n\t/* both\n\t   in order */\n\tput(d);\nout:\n\tmutex_unlock(&d->m);\n\treturn 0;\n}\n"
	pi := applyToFile(t, src, "--- a/f.c\n+++ b/f.c\n@@ -3,6 +3,6 @@\n \tmutex_lock(&d->m);\n \tif (read(d))\n-\t\tgoto unlock;\n+\t\treturn -5;\n \tif (d->x) {\n \t\td->y = 1;\n-\t\tgoto unlock;\n+\t\tgoto  unlock;\n")
	got := string(pi.Units()[0].Src)
	mark := " " + flow.RemovedRelease
	want := strings.Replace(strings.Replace(src,
		"\tif (read(d))\n\t\tgoto unlock;\n", "\tif (read(d)) {"+mark+"put(d);"+mark+"mutex_unlock(&d->m);\n\t\treturn -5; }\n", 1),
		"\t\td->y = 1;\n\t\tgoto unlock;\n", "\t\td->y = 1;\n\t\tgoto  unlock;\n", 1)
	if got != want {
		t.Errorf("Units:\ngot  %q\nwant %q", got, want)
	}
}

// applyToFile applies diff, a patch of f.c, to a tree holding src as f.c.
func applyToFile(t *testing.T, src, diff string) *PostImage {
	t.Helper()
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "f.c"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ps, err := ParsePatches("t.patch", []byte(diff))
	if err != nil {
		t.Fatal(err)
	}
	pi, err := ApplyToTree(root, ps[0].Files[0], 0)
	if err != nil {
		t.Fatal(err)
	}
	return pi
}

// TestFragmentJumpLabelInView: in a patch read alone, a deleted jump's
// label counts only in the run of lines in view that holds the jump: a
// label of that name after unseen lines may be another function's.
func TestFragmentJumpLabelInView(t *testing.T) {
	near := "--- a/f.c\n+++ b/f.c\n@@ -3,6 +3,6 @@ int f(struct d *d)\n \tmutex_lock(&d->m);\n \tif (read(d))\n-\t\tgoto unlock;\n+\t\treturn -5;\n \td->z = 2;\n unlock:\n \tmutex_unlock(&d->m);\n"
	far := "--- a/f.c\n+++ b/f.c\n@@ -3,5 +3,5 @@ int f(struct d *d)\n \tmutex_lock(&d->m);\n \tif (read(d))\n-\t\tgoto unlock;\n+\t\treturn -5;\n \td->z = 2;\n \td->y = 3;\n@@ -40,3 +40,3 @@ int g(struct d *d)\n unlock:\n-\tspin_unlock(&d->s);\n+\tspin_unlock_bh(&d->s);\n \treturn 0;\n"
	for _, c := range []struct {
		diff string
		want bool
	}{{near, true}, {far, false}} {
		ps, err := ParsePatches("t.patch", []byte(c.diff))
		if err != nil {
			t.Fatal(err)
		}
		src := string(ps[0].Files[0].Fragments().Units()[0].Src)
		if got := strings.Contains(src, flow.RemovedRelease); got != c.want {
			t.Errorf("marker written: %v, want %v:\n%s", got, c.want, src)
		}
	}
}
