package cindex

import (
	"bytes"
	"github.com/tagcheck/tagcheck/internal/limits"
	"os"
	"path/filepath"
	"testing"
)

// TestNamesIn: a text is taken when it may define one of the names, and
// turned down when it only calls or mentions them.
func TestNamesIn(t *testing.T) {
	n := NewNames([]string{"grab_lock", "sys_open", "sys_getpid", "bpf_get", "f"})
	for _, c := range []struct {
		src  string
		want bool
	}{
		{"void grab_lock(struct w *w)\n{\n}\n", true},
		{"static inline void grab_lock(struct w *w) __acquires(w->lock)\n{", true},
		{"void grab_lock(struct w *w)\n#ifdef X\n{", true},
		{"int grab_lock(a, b)\n\tint a;\n{", true},
		{"void grab_lock /* c */ (struct w *w /* (x */)\n{", true},
		{"int (grab_lock)(int a)\n{", true},
		{"void (*grab_lock(int a))(int)\n{", true},
		{"SYSCALL_DEFINE3(open, const char __user *, filename, int, flags, umode_t, mode)\n{", true},
		{"SYSCALL_DEFINE0(getpid)\n{", true},
		{"BPF_CALL_2(bpf_get, void *, map, void *, key)\n{", true},
		{"int f(int x)", true}, // the end of the text: the lexer decides
		// calls and mentions
		{"\tgrab_lock(w);\n", false},
		{"\tif (!grab_lock(w))\n", false},
		{"\tret = grab_lock(w) + 1;\n", false},
		{"\tfoo(grab_lock(w), 1);\n", false},
		{"\tfoo(x, grab_lock);\n", false},
		{"void grab_lock(struct w *w);\n", false},
		{"EXPORT_SYMBOL(grab_lock);\n", false},
		{"/* grab_lock */", false},
		{"\tgrab_locked(w) {", false},
		{"\tdo_grab_lock(w) {", false},
		{"int reopen(void)\n{", false},
		{"\tprintk(\"grab_lock failed\\n\");\n", false},
		{"", false},
	} {
		if got := n.In([]byte(c.src)); got != c.want {
			t.Errorf("In(%q) = %v, want %v", c.src, got, c.want)
		}
	}
	if NewNames(nil).In([]byte("void f(void) {")) {
		t.Error("the empty set is in a text")
	}
}

// A file over the source limit is left out of the lookup, not read whole:
// the tree is a stranger's, and 8 MiB of C is a generated header.
func TestIndexContainingSkipsHugeFiles(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.c")
	huge := filepath.Join(dir, "huge.c")
	def := []byte("int foo_lock(struct foo *f)\n{\n\tmutex_lock(&f->lock);\n\treturn 0;\n}\n")
	if err := os.WriteFile(small, def, 0o644); err != nil {
		t.Fatal(err)
	}
	pad := bytes.Repeat([]byte("/* padding */\n"), int(limits.DefaultSource)/14+1)
	if err := os.WriteFile(huge, append(append([]byte(nil), def...), pad...), 0o644); err != nil {
		t.Fatal(err)
	}
	idx, hit, err := IndexContaining([]string{small, huge}, nil, NewNames([]string{"foo_lock"}), 1)
	if err != nil {
		t.Fatal(err)
	}
	if !hit[0] || hit[1] {
		t.Errorf("indexed small %v, huge %v; want only small", hit[0], hit[1])
	}
	if got := idx.Lookup("foo_lock"); len(got) != 1 || got[0].File != small {
		t.Errorf("definitions of foo_lock: %v, want the one in small.c", got)
	}
}
