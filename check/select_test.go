package check

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tagcheck/tagcheck/cindex"
	"github.com/tagcheck/tagcheck/cparse"
	"github.com/tagcheck/tagcheck/internal/testenv"
	"github.com/tagcheck/tagcheck/report"
	"github.com/tagcheck/tagcheck/rules"
)

// Leaving out what cannot matter changes nothing: on every C case of the
// repository, the scan finds exactly what it finds when it parses every
// function.
func TestSelectKeepsFindings(t *testing.T) {
	dirs, err := filepath.Glob("../testdata/c/realbugs/*/*")
	if err != nil {
		t.Fatal(err)
	}
	dirs = append(dirs, "../testdata/c/lockpair", "../testdata/c/taggedptr", "../testdata/c/cfg", "../examples/ctx-reader/tree")
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	skipped := 0
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		all, err := Scan([]string{dir}, Options{Rules: rs, Workers: 1, AllFunctions: true})
		if err != nil {
			t.Fatal(err)
		}
		sel, err := Scan([]string{dir}, Options{Rules: rs, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(all.Findings, sel.Findings) {
			t.Errorf("%s: findings differ when functions are left out:\nall:%s\nselected:%s", dir, dumpList(all.Findings), dumpList(sel.Findings))
		}
		if sel.Stats.Functions+sel.Stats.FunctionsSkipped != all.Stats.Functions {
			t.Errorf("%s: %d analyzed + %d skipped, want %d functions in all", dir, sel.Stats.Functions, sel.Stats.FunctionsSkipped, all.Stats.Functions)
		}
		skipped += sel.Stats.FunctionsSkipped
	}
	if skipped == 0 {
		t.Errorf("no function was left out of any case: the selection does nothing")
	}
}

func dumpList(fs []report.Finding) string {
	s := ""
	for _, f := range fs {
		s += fmt.Sprintf("\n\t%s:%d: %s: %s", f.File, f.Line, f.Rule, f.Message)
	}
	return s
}

// A wrapper of a wrapper defined in a sibling file, and a lock-dropping
// callback handed on by name, keep their users in view; a function that
// mentions nothing that locks is left out.
func TestSelectClosure(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.c", `
struct obj { int lock; int n; struct kref ref; };
static void obj_lock(struct obj *o) { spin_lock(&o->lock); }
void obj_lock_twice(struct obj *o) { obj_lock(o); }
static void release_locked(struct kref *k) { spin_unlock(&container_of(k, struct obj, ref)->lock); }
int add(int a, int b) { return a + b; }
`)
	write("b.c", `
int leaks(struct obj *o)
{
	obj_lock_twice(o);
	if (o->n)
		return -1;
	spin_unlock(&o->lock);
	return 0;
}
void put_obj(struct obj *o) { kref_put(&o->ref, release_locked); }
`)
	res := scanTree(t, dir)
	if res.Stats.FunctionsSkipped != 1 || res.Stats.Functions != 5 {
		t.Errorf("analyzed %d, skipped %d; want 5 and 1 (add)", res.Stats.Functions, res.Stats.FunctionsSkipped)
	}
	found := false
	for _, f := range res.Findings {
		if f.Function == "leaks" && f.Rule == report.Unreleased {
			found = true
		}
	}
	if !found {
		t.Errorf("the leak through a wrapper of a wrapper in a sibling file is lost:%s", dumpList(res.Findings))
	}
}

// TestSelectorChangedText: the plan blanks the bodies it chose at the
// offsets the lexical pass saw; a file that changed between that pass and
// the parse is looked at again, and a function no longer where the plan
// saw it is not blanked (stale offsets would blank the wrong bytes).
func TestSelectorChangedText(t *testing.T) {
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	src := []byte("int add(int a) { return a + 1; }\nvoid f(struct s *x) { spin_lock(&x->l); spin_unlock(&x->l); }\n")
	path := filepath.Join(t.TempDir(), "a.c")
	pl := newPlanner(rs, []string{path})
	pl.visit(0, src, cindex.Funcs(src))
	sel := pl.selector(cparse.ParseOptions{}, 1)
	blankedAdd := []byte("int add(int a) {" + strings.Repeat(" ", len(" return a + 1; ")) + "}\n")
	out, after := sel.prepare(path, src)
	if after == nil || !bytes.HasPrefix(out, blankedAdd) || !bytes.Equal(out[len(blankedAdd):], src[len(blankedAdd):]) {
		t.Errorf("same text: got %q", out)
	}
	moved := append([]byte("/* new */\n"), src...)
	if out, after := sel.prepare(path, moved); after != nil || !bytes.Equal(out, moved) {
		t.Errorf("changed text: got %q, want it untouched", out)
	}
	renamed := bytes.Replace(src, []byte("return a + 1"), []byte("return a + 2"), 1)
	out, after = sel.prepare(path, renamed)
	if after == nil || !bytes.HasPrefix(out, blankedAdd) {
		t.Errorf("changed body, same offsets: got %q, want add blanked", out)
	}
}

// TestScanLearnsNeutralHelperElsewhere: a helper in another directory
// that names no lock function still matters to learning. Fetched and
// walked, it is learned neutral (it leaves every lock as it found it),
// so a release after a call to it is a second release of the same lock;
// left unread, the call is unknown and may have retaken the lock, and
// the double release goes unreported. Leaving out the definitions the
// selection does not keep (tried in session 11) lost exactly this.
func TestScanLearnsNeutralHelperElsewhere(t *testing.T) {
	dir := t.TempDir()
	testenv.WriteTree(t, dir, map[string]string{
		"a/a.c": "struct obj { int lock; int n; };\nvoid log_obj(struct obj *o);\n\nvoid drop_twice(struct obj *o)\n{\n\tspin_lock(&o->lock);\n\to->n++;\n\tspin_unlock(&o->lock);\n\tlog_obj(o);\n\tspin_unlock(&o->lock);\n}\n",
		"b/b.c": "struct obj { int lock; int n; };\n\nvoid log_obj(struct obj *o)\n{\n\tpr_info(\"obj %d\\n\", o->n);\n}\n",
	})
	res := scanTree(t, dir)
	for _, f := range res.Findings {
		if f.Rule == report.UnheldRelease && f.Function == "drop_twice" && f.Line == 10 {
			return
		}
	}
	t.Errorf("the second release after a neutral helper of another directory is lost:%s", dumpList(res.Findings))
}

// scanTree scans dir with the embedded rules, on one worker.
func scanTree(t *testing.T, dir string) *Result {
	t.Helper()
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	res, err := Scan([]string{dir}, Options{Rules: rs, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	return res
}
