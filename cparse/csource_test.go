package cparse

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/internal/testenv"
)

var updateCFG = flag.Bool("update-cfg", false, "rewrite testdata/c/cfg/*.want from the current output")

func testNoReturn(name string) bool { return name == "BUG" || name == "panic" }

// render is the text a .want file holds: every function's graph
// (FormatCFG), its locals, then the structs of the file.
func render(cf *CFile) string {
	var b strings.Builder
	for _, fn := range cf.Funcs {
		b.WriteString(FormatCFG(fn))
		if len(fn.Locals) > 0 {
			var ls []string
			for k, v := range fn.Locals {
				ls = append(ls, k+": "+v)
			}
			sort.Strings(ls)
			fmt.Fprintf(&b, "locals: %s\n", strings.Join(ls, ", "))
		}
		b.WriteString("\n")
	}
	var tags []string
	for t := range cf.Structs {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	for _, t := range tags {
		var fs []string
		for k, v := range cf.Structs[t] {
			fs = append(fs, k+": "+v)
		}
		sort.Strings(fs)
		fmt.Fprintf(&b, "struct %s { %s }\n", t, strings.Join(fs, "; "))
	}
	fmt.Fprintf(&b, "degraded: %d\n", cf.Degraded)
	return b.String()
}

// checkPositions fails when a position lies outside the text.
func checkPositions(t testing.TB, cf *CFile, src []byte) {
	t.Helper()
	lines := strings.Split(string(src), "\n")
	check := func(what string, p flow.Pos) {
		if !p.IsValid() {
			return
		}
		if p.Line < 1 || p.Line > len(lines) || p.Col < 1 || p.Col > len(lines[p.Line-1])+1 {
			t.Fatalf("%s: position %d:%d outside the text (%d lines)", what, p.Line, p.Col, len(lines))
		}
		if p.File != cf.Path {
			t.Fatalf("%s: position names file %q, want %q", what, p.File, cf.Path)
		}
	}
	var expr func(string, *flow.Expr)
	expr = func(what string, e *flow.Expr) {
		if e == nil {
			return
		}
		check(what, e.Pos)
		for _, a := range e.Args {
			expr(what, a)
		}
	}
	for _, fn := range cf.Funcs {
		check(fn.Name, fn.Pos)
		check(fn.Name+" end", fn.End)
		if len(fn.Blocks) == 0 {
			t.Fatalf("%s: no blocks", fn.Name)
		}
		for i, blk := range fn.Blocks {
			if blk.Index != i {
				t.Fatalf("%s: block %d has Index %d", fn.Name, i, blk.Index)
			}
			check(fn.Name, blk.Pos)
			for _, ev := range blk.Events {
				check(fn.Name, ev.Pos)
				expr(fn.Name, ev.X)
			}
			for _, e := range blk.Succs {
				check(fn.Name, e.Pos)
				expr(fn.Name, e.Cond)
				if e.To == nil || e.To.Index >= len(fn.Blocks) || fn.Blocks[e.To.Index] != e.To {
					t.Fatalf("%s: b%d has an edge to a block not in the function", fn.Name, i)
				}
			}
			if len(blk.Succs) == 0 && blk.Exit == flow.NotExit {
				t.Fatalf("%s: b%d has no successors and no exit kind", fn.Name, i)
			}
			if len(blk.Succs) > 0 && blk.Exit != flow.NotExit {
				t.Fatalf("%s: b%d has successors and an exit kind", fn.Name, i)
			}
		}
	}
}

func TestCFG(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "c", "cfg", "*.c"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no C cases: %v", err)
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".c")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			cf, err := ParseC(name+".c", src, ParseOptions{NoReturn: testNoReturn})
			if err != nil {
				t.Fatal(err)
			}
			checkPositions(t, cf, src)
			got := render(cf)
			wantPath := strings.TrimSuffix(path, ".c") + ".want"
			if *updateCFG {
				if err := os.WriteFile(wantPath, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(wantPath)
			if err != nil {
				t.Fatalf("%v (run go test -run TestCFG -update-cfg to create it)", err)
			}
			if got != string(want) {
				t.Errorf("graph of %s differs from %s\n--- got\n%s--- want\n%s", path, wantPath, got, want)
			}
		})
	}
}

// TestExprShapes checks the expression trees the checks rely on.
func TestExprShapes(t *testing.T) {
	src := `void f(struct task_struct *task)
{
	spin_lock(&task->alloc_lock);
	x->f |= 1;
	p = (unsigned long)current->nsproxy;
	n = sizeof(*p) + offsetof(struct a, b);
	return;
}
`
	cf, err := ParseC("e.c", []byte(src), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	evs := cf.Funcs[0].Blocks[0].Events
	call := evs[0].X
	if call.Op != flow.OpCall || call.Name != "spin_lock" || len(call.Args) != 1 {
		t.Fatalf("call: %+v", call)
	}
	amp := call.Args[0]
	if amp.Op != flow.OpUnary || amp.Name != "&" || amp.Args[0].Op != flow.OpField || !amp.Args[0].Arrow ||
		amp.Args[0].Name != "alloc_lock" || amp.Args[0].Args[0].Op != flow.OpIdent || amp.Args[0].Args[0].Name != "task" {
		t.Fatalf("&task->alloc_lock: %+v", amp)
	}
	if amp.Text != "&task->alloc_lock" || amp.Pos.Line != 3 || amp.Pos.Col != 12 {
		t.Fatalf("text/pos: %q %v", amp.Text, amp.Pos)
	}
	as := evs[1].X
	if as.Op != flow.OpAssign || as.Name != "|=" || as.Args[0].Op != flow.OpField {
		t.Fatalf("|=: %+v", as)
	}
	cast := evs[2].X.Args[1]
	if cast.Op != flow.OpCast || cast.Name != "unsigned long" || cast.Args[0].Op != flow.OpField ||
		cast.Args[0].Args[0].Op != flow.OpIdent || cast.Args[0].Args[0].Name != "current" {
		t.Fatalf("cast: %+v", cast)
	}
	sum := evs[3].X.Args[1]
	if sum.Args[0].Op != flow.OpSizeof || sum.Args[1].Op != flow.OpSizeof {
		t.Fatalf("sizeof/offsetof: %+v %+v", sum.Args[0], sum.Args[1])
	}
	if got := cf.Funcs[0].Params; len(got) != 1 || got[0].Type != "struct task_struct *" {
		t.Fatalf("params: %+v", got)
	}
}

// TestKernelFiles parses two files of the Linux tree and checks known
// shapes.
func TestKernelFiles(t *testing.T) {
	root := testenv.KernelTree(t)
	parse := func(rel string) *CFile {
		src, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			t.Fatal(err)
		}
		cf, err := ParseC(rel, src, ParseOptions{NoReturn: testNoReturn})
		if err != nil {
			t.Fatal(err)
		}
		checkPositions(t, cf, src)
		if cf.Degraded != 0 {
			t.Errorf("%s: %d degraded functions", rel, cf.Degraded)
		}
		return cf
	}
	find := func(cf *CFile, name string) *flow.Func {
		for _, fn := range cf.Funcs {
			if fn.Name == name {
				return fn
			}
		}
		t.Fatalf("%s: no function %s", cf.Path, name)
		return nil
	}
	pn := parse("fs/proc_namespace.c")
	moc := find(pn, "mounts_open_common")
	gotos := map[string]int{}
	labels := map[string]bool{}
	var calls []string
	for _, blk := range moc.Blocks {
		if blk.Label != "" {
			labels[blk.Label] = true
		}
		for _, e := range blk.Succs {
			if strings.HasPrefix(e.Label, "goto ") {
				gotos[strings.TrimPrefix(e.Label, "goto ")]++
			}
		}
		for _, ev := range blk.Events {
			for _, c := range flow.Calls(ev.X) {
				calls = append(calls, c.Name)
			}
		}
	}
	if gotos["err"] == 0 || gotos["err_put_ns"] == 0 || !labels["err"] || !labels["err_put_ns"] {
		t.Errorf("mounts_open_common: gotos %v labels %v", gotos, labels)
	}
	joined := strings.Join(calls, " ")
	for _, want := range []string{"get_proc_task", "task_lock", "task_unlock", "put_task_struct"} {
		if !strings.Contains(joined, want) {
			t.Errorf("mounts_open_common: no call of %s in %s", want, joined)
		}
	}
	if moc.TypeOf("nsp") != "struct nsproxy *" || moc.TypeOf("task") != "struct task_struct *" || !moc.Static {
		t.Errorf("mounts_open_common: locals %v static %v", moc.Locals, moc.Static)
	}
	// the test of !nsp || !nsp->mnt_ns is split in two branch blocks
	split := 0
	for _, blk := range moc.Blocks {
		for _, e := range blk.Succs {
			if e.Cond != nil && e.Value && strings.HasPrefix(e.Label, "if (!nsp ||") {
				split++
			}
		}
	}
	if split != 2 {
		t.Errorf("mounts_open_common: %d true edges for !nsp || !nsp->mnt_ns, want 2", split)
	}
	ns := parse("kernel/nsproxy.c")
	stn := find(ns, "switch_task_namespaces")
	if stn.TypeOf("ns") != "struct nsproxy *" {
		t.Errorf("switch_task_namespaces: params %v locals %v", stn.Params, stn.Locals)
	}
	find(ns, "sys_setns")
	if len(ns.Structs) == 0 && len(pn.Structs) == 0 {
		t.Errorf("no structs found")
	}
	if _, ok := pn.Structs["proc_mounts"]; !ok {
		// defined in a header; fs/proc_namespace.c has none of its own
		t.Logf("structs in proc_namespace.c: %d", len(pn.Structs))
	}
}
