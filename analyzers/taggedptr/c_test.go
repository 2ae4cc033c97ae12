package taggedptr

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tagcheck/tagcheck/cparse"
	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/internal/ctest"
	"github.com/tagcheck/tagcheck/internal/testenv"
	"github.com/tagcheck/tagcheck/patch"
	"github.com/tagcheck/tagcheck/report"
	"github.com/tagcheck/tagcheck/rules"
)

func cFormat(f report.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: %s: %s", f.File, f.Line, f.Column, f.Rule, f.Message)
	for _, r := range f.Related {
		fmt.Fprintf(&b, "\n    %s:%d:%d: %s", r.File, r.Line, r.Column, r.Message)
	}
	return b.String()
}

func cRules(t testing.TB) *rules.Set {
	t.Helper()
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	return rs.Clone()
}

// cMergeStructs adds the structs of cf to into.
func cMergeStructs(into CStructs, cf *cparse.CFile) {
	for s, fs := range cf.Structs {
		if into[s] == nil {
			into[s] = map[string]string{}
		}
		for k, v := range fs {
			into[s][k] = v
		}
	}
}

// TestCCases runs every testdata/c/taggedptr/NAME.c against the want
// comments written in it (see package ctest).
func TestCCases(t *testing.T) {
	ctest.Run(t, filepath.Join(testenv.RepoRoot(t), "testdata", "c", "taggedptr"), func(t *testing.T, path string, src []byte) []report.Finding {
		cf, err := cparse.ParseC(filepath.Base(path), src, cparse.ParseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		structs := CStructs{}
		cMergeStructs(structs, cf)
		rs := cRules(t)
		learned := LearnC(cf.Funcs, structs, rs)
		var stats CStats
		got := CheckC(cf.Funcs, rs, COptions{Structs: structs, Stats: &stats})
		if testing.Verbose() {
			for _, l := range learned {
				t.Logf("learned %s.%s mask %s accessors %v setters %v clearers %v owner %v at %s", l.Struct, l.Field, l.Mask, l.Accessors, l.Setters, l.Clearers, l.Owner, l.Learned)
			}
			for _, f := range got {
				t.Log(cFormat(f))
			}
			t.Logf("unresolved: %v", stats.UnresolvedAt)
		}
		return got
	})
}

func TestCLearn(t *testing.T) {
	src := []byte(`#define B 1UL
struct nsproxy { int count; };
struct task_struct { struct nsproxy *nsproxy; };
struct nsset { struct nsproxy *nsproxy; };
static void set_r(struct task_struct *tsk)
{
	(void)xchg(&tsk->nsproxy, (struct nsproxy *)((unsigned long)tsk->nsproxy | B));
}
static void clear_r(struct task_struct *tsk)
{
	(void)xchg(&tsk->nsproxy, (struct nsproxy *)((unsigned long)tsk->nsproxy & ~B));
}
static struct nsproxy *get_r(struct task_struct *tsk)
{
	return (struct nsproxy *)((unsigned long)READ_ONCE(tsk->nsproxy) & ~B);
}
static struct nsproxy *nsset_r(struct nsset *s)
{
	return (struct nsproxy *)((unsigned long)s->nsproxy & ~B);
}
static void unknown_r(void)
{
	x->nsproxy = (struct nsproxy *)((unsigned long)x->nsproxy | B);
}
`)
	cf, err := cparse.ParseC("l.c", src, cparse.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	structs := CStructs{}
	cMergeStructs(structs, cf)
	rs := cRules(t)
	got := LearnC(cf.Funcs, structs, rs)
	if len(got) != 1 {
		t.Fatalf("learned %d fields, want 1 (task_struct.nsproxy only): %+v", len(got), got)
	}
	l := got[0]
	if l.Struct != "task_struct" || l.Field != "nsproxy" || l.Mask != "B" ||
		fmt.Sprint(l.Setters) != "[set_r]" || fmt.Sprint(l.Clearers) != "[clear_r]" ||
		fmt.Sprint(l.Accessors) != "[get_r]" || fmt.Sprint(l.Owner) != "[current get_current()]" || l.Learned != "l.c:7:8" {
		t.Errorf("learned %+v", *l)
	}
	if rs.TaggedField("task_struct", "nsproxy") == nil {
		t.Errorf("not added to the rule set")
	}
}

func TestCTypes(t *testing.T) {
	for _, c := range []struct {
		in  string
		out cType
	}{
		{"struct task_struct *", cType{"task_struct", 1}},
		{"const struct nsproxy *__rcu", cType{"nsproxy", 1}},
		{"struct file **", cType{"file", 2}},
		{"struct nsset", cType{"nsset", 0}},
		{"unsigned long", cType{"", 0}},
		{"union u *", cType{"u", 1}},
	} {
		if got := parseCType(c.in); got != c.out {
			t.Errorf("parseCType(%q) = %+v, want %+v", c.in, got, c.out)
		}
	}
}

// cParsePatchFile parses a patch or e-mail as a reviewer receives it: no tree,
// post-image fragments only.
func cParsePatchFile(t testing.TB, path string) []*cparse.CFile {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := patch.ParsePatches(filepath.Base(path), data)
	if err != nil {
		t.Fatal(err)
	}
	var out []*cparse.CFile
	for _, p := range ps {
		for _, fp := range p.Files {
			for _, u := range fp.Fragments().Units() {
				cf, err := cparse.ParseC(u.Path, u.Src, cparse.ParseOptions{PostLine: u.PostLine})
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, cf)
			}
		}
	}
	return out
}

func cFuncsOf(cfs []*cparse.CFile) ([]*flow.Func, CStructs) {
	var funcs []*flow.Func
	structs := CStructs{}
	for _, cf := range cfs {
		funcs = append(funcs, cf.Funcs...)
		cMergeStructs(structs, cf)
	}
	return funcs, structs
}

func TestCSeed(t *testing.T) {
	path := testenv.Shared(t, "seeds/000_d0a3b36e06f8ca09.txt")
	funcs, structs := cFuncsOf(cParsePatchFile(t, path))
	rs := cRules(t)
	learned := LearnC(funcs, structs, rs)
	if len(learned) != 1 || learned[0].Struct != "task_struct" || learned[0].Field != "nsproxy" ||
		fmt.Sprint(learned[0].Accessors) != "[task_nsproxy]" || learned[0].Mask != "NSPROXY_READER" {
		for _, l := range learned {
			t.Logf("learned %+v", *l)
		}
		t.Fatalf("want task_struct.nsproxy tagged with NSPROXY_READER, accessor task_nsproxy")
	}
	got := CheckC(funcs, rs, COptions{Structs: structs})
	for _, f := range got {
		t.Log(cFormat(f))
	}
	type at struct {
		file string
		line int
		rule string
		sub  string
	}
	want := []at{
		{"include/linux/nsproxy.h", 78, report.ForeignWrite, "xchg() sets tag bits (NSPROXY_READER) in tsk->nsproxy of a task_struct that is not current"},
		{"include/linux/nsproxy.h", 78, report.RacyRMW, "xchg() sets NSPROXY_READER in tsk->nsproxy"},
		{"include/linux/nsproxy.h", 86, report.ForeignWrite, "xchg() clears tag bits (NSPROXY_READER) in tsk->nsproxy"},
		{"include/linux/nsproxy.h", 86, report.RacyRMW, "xchg() clears NSPROXY_READER in tsk->nsproxy"},
		{"kernel/nsproxy.c", 220, report.UntaggedDeref, "old is passed unmasked to put_nsproxy(), which dereferences it"},
	}
	used := make([]bool, len(got))
	for _, w := range want {
		ok := false
		for i, f := range got {
			if !used[i] && f.File == w.file && f.Line == w.line && f.Rule == w.rule && strings.Contains(f.Message, w.sub) {
				used[i], ok = true, true
				break
			}
		}
		if !ok {
			t.Errorf("missing %s:%d %s %q", w.file, w.line, w.rule, w.sub)
		}
	}
	for i, f := range got {
		if !used[i] {
			t.Errorf("unexpected %s", cFormat(f))
		}
	}
	// the foreign write names the callers that pass other tasks
	for _, f := range got {
		if f.Rule == report.ForeignWrite && f.Line == 78 {
			for _, c := range []string{"mntns_get(task)", "get_proc_task_net(task)", "mounts_open_common(task)", "ipcns_get(task)", "utsns_get(task)", "get_net_ns_by_pid(tsk)", "netns_get(task)"} {
				if !strings.Contains(f.Message, c) {
					t.Errorf("foreign-write does not name caller %s", c)
				}
			}
		}
	}
}

// cTreeReaders learns the tagged field from the 6.1 fixture applied to the
// tree and searches every file of the tree that mentions nsproxy (the
// patched files as post-images) for raw readers of it.
func cTreeReaders(t testing.TB, root, patchPath string) ([]report.Finding, []*rules.TaggedField, CStats, []string) {
	t.Helper()
	data, err := os.ReadFile(patchPath)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := patch.ParsePatches(filepath.Base(patchPath), data)
	if err != nil {
		t.Fatal(err)
	}
	post := map[string]*cparse.CFile{}
	for _, p := range ps {
		for _, fp := range p.Files {
			pi, err := patch.ApplyToTree(root, fp, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range pi.Units() {
				cf, err := cparse.ParseC(u.Path, u.Src, cparse.ParseOptions{PostLine: u.PostLine})
				if err != nil {
					t.Fatal(err)
				}
				post[u.Path] = cf
			}
		}
	}
	var pcf []*cparse.CFile
	for _, cf := range post {
		pcf = append(pcf, cf)
	}
	pfuncs, pstructs := cFuncsOf(pcf)
	rs := cRules(t)
	learned := LearnC(pfuncs, pstructs, rs)
	var all []*cparse.CFile
	var files []string
	err = cparse.Scan([]string{root}, cparse.ScanOptions{Contains: []byte("nsproxy")}, func(cf *cparse.CFile, err error) {
		if err != nil {
			t.Logf("%s: %v", cf.Path, err)
			return
		}
		files = append(files, cf.Path)
		rel, _ := filepath.Rel(root, cf.Path)
		if p := post[rel]; p != nil {
			cf = p
		} else {
			cRelPaths(cf, rel)
		}
		all = append(all, cf)
	})
	if err != nil {
		t.Fatal(err)
	}
	funcs, structs := cFuncsOf(all)
	var stats CStats
	got := CheckC(funcs, rs, COptions{Structs: structs, Fields: learned, ReadersOnly: true, Stats: &stats})

	// the same search over CReduce'd text must find the same readers
	var rfuncs []*flow.Func
	rstructs := CStructs{}
	for _, path := range files {
		rel, _ := filepath.Rel(root, path)
		var cf *cparse.CFile
		if p := post[rel]; p != nil {
			cf = p
		} else {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			red, blanked := CReduce(src, []byte("nsproxy"))
			if cf, err = cparse.ParseC(rel, red, cparse.ParseOptions{}); err != nil {
				t.Fatal(err)
			}
			cf.Funcs = CDropBlanked(cf.Funcs, blanked)
		}
		rfuncs = append(rfuncs, cf.Funcs...)
		cMergeStructs(rstructs, cf)
	}
	rgot := CheckC(rfuncs, rs, COptions{Structs: rstructs, Fields: learned, ReadersOnly: true})
	key := func(f report.Finding) string { return fmt.Sprintf("%s:%d:%d %s", f.File, f.Line, f.Column, f.Message) }
	full := map[string]bool{}
	for _, f := range got {
		full[key(f)] = true
	}
	red := map[string]bool{}
	for _, f := range rgot {
		red[key(f)] = true
		if !full[key(f)] {
			t.Errorf("only with CReduce: %s", key(f))
		}
	}
	for _, f := range got {
		if !red[key(f)] {
			t.Errorf("lost with CReduce: %s", key(f))
		}
	}
	return got, learned, stats, files
}

// cRelPaths renames the positions of cf to the tree-relative path.
func cRelPaths(cf *cparse.CFile, rel string) {
	cf.Path = rel
	fix := func(p *flow.Pos) { p.File = rel }
	for _, f := range cf.Funcs {
		f.File = rel
		fix(&f.Pos)
		fix(&f.End)
		for _, b := range f.Blocks {
			fix(&b.Pos)
			for _, ev := range b.Events {
				fix(&ev.Pos)
				flow.Walk(ev.X, func(x *flow.Expr) bool { fix(&x.Pos); return true })
				for _, d := range ev.Body {
					fix(&d.Pos)
					flow.Walk(d.X, func(x *flow.Expr) bool { fix(&x.Pos); return true })
				}
			}
			for i := range b.Succs {
				fix(&b.Succs[i].Pos)
			}
		}
	}
}

// TestCTreeReaders is the tree-wide reader search on Linux 6.1 with the
// fixture's field. The independent count (grep, and the raw stores checked
// by hand) is 126 X->nsproxy->g sites on tasks plus 7 raw v = X->nsproxy
// stores later dereferenced; tagcheck misses one of the 126
// (net/core/pktgen.c, whose functions the front end does not lower), so
// 132 today, and two init_task.nsproxy->mnt_ns sites are counted as
// unresolved (init_task is a global the declarations in view do not type).
func TestCTreeReaders(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the tree-wide scan in -short mode")
	}
	root := testenv.KernelTree(t)
	patch := testenv.Shared(t, "fixtures/nsproxy-reader-6.1.patch")
	got, learned, stats, files := cTreeReaders(t, root, patch)
	if len(learned) != 1 || learned[0].Struct != "task_struct" || learned[0].Field != "nsproxy" {
		t.Fatalf("learned %v, want task_struct.nsproxy", learned)
	}
	for _, f := range got {
		t.Logf("%s:%d:%d: %s: %s", f.File, f.Line, f.Column, f.Function, f.Message)
	}
	t.Logf("%d files, %d functions searched, %d findings, %d unresolved: %v", len(files), stats.Functions, len(got), stats.Unresolved, stats.UnresolvedAt)
	byFunc := map[string]int{}
	for _, f := range got {
		byFunc[f.Function]++
		if f.Rule != report.UntaggedDeref || f.Group != "task_struct.nsproxy" {
			t.Errorf("unexpected %s", cFormat(f))
		}
	}
	// the patch's own readers use the accessor; its helpers are exempt
	for _, fn := range []string{"mntns_get", "get_proc_task_net", "mounts_open_common", "ipcns_get", "utsns_get",
		"get_net_ns_by_pid", "netns_get", "task_nsproxy", "set_reader_nsproxy", "clear_reader_nsproxy"} {
		if byFunc[fn] != 0 {
			t.Errorf("%d findings in %s", byFunc[fn], fn)
		}
	}
	// raw stores later dereferenced, and direct dereferences
	for _, fn := range []string{"switch_task_namespaces", "copy_namespaces", "validate_nsset", "cgroupns_get",
		"timens_get", "timens_for_children_get", "copy_process", "create_new_namespaces", "sys_sethostname"} {
		if byFunc[fn] == 0 {
			t.Errorf("no finding in %s", fn)
		}
	}
	if len(got) < 132 {
		t.Errorf("%d readers found, want at least 132", len(got))
	}
	if stats.Unresolved > 2 {
		t.Errorf("%d unresolved accesses, want at most 2 (init_task.nsproxy)", stats.Unresolved)
	}
}

func TestCReduce(t *testing.T) {
	src := []byte(`#include <linux/nsproxy.h>
/* a { in a comment */
struct s { struct nsproxy *nsproxy; };
static const struct ops o = { .f = 1 };
#define M(x) { x }
static int a(struct s *p)
{
	char *q = "}{";
	return p->nsproxy != 0;
}
static int b(int x)
{
	if (x) {
		return '{';
	}
	return 0;
}
static void c(struct nsproxy *ns) { ns->count++; }
`)
	out, blanked := CReduce(src, []byte("nsproxy"))
	if len(out) != len(src) || bytes.Count(out, []byte{'\n'}) != bytes.Count(src, []byte{'\n'}) {
		t.Fatalf("lines or bytes moved")
	}
	if fmt.Sprint(blanked) != "[[12 17]]" {
		t.Errorf("blanked %v, want [[12 17]] (b only)", blanked)
	}
	if !bytes.Contains(out, []byte("return p->nsproxy != 0;")) || bytes.Contains(out, []byte("return '{';")) ||
		!bytes.Contains(out, []byte("ns->count++")) || !bytes.Contains(out, []byte("struct s { struct nsproxy *nsproxy; };")) {
		t.Errorf("reduced text:\n%s", out)
	}
	cf, err := cparse.ParseC("r.c", out, cparse.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range CDropBlanked(cf.Funcs, blanked) {
		names = append(names, f.Name)
	}
	if fmt.Sprint(names) != "[a c]" {
		t.Errorf("functions after CDropBlanked: %v, want [a c]", names)
	}
	// unbalanced text is left alone
	if out, bl := CReduce([]byte("int f(void) { {"), []byte("x")); string(out) != "int f(void) { {" || bl != nil {
		t.Errorf("unbalanced: %q %v", out, bl)
	}
}
