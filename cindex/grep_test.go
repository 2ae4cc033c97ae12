package cindex

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/tagcheck/tagcheck/internal/limits"
	"github.com/tagcheck/tagcheck/internal/testenv"
)

// TestSummaryDefines: a text is taken when it may define one of the
// names, and turned down when it only calls or mentions them.
func TestSummaryDefines(t *testing.T) {
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
		{"void grab_lock // c\n (struct w *w)\n{", true},
		{"void grab_lock \\\n (struct w *w)\n{", true},
		{"int (grab_lock) /* c */ (int a)\n{", true},
		{"void grab_lock(struct w *w, const char *s /* \")\" */)\n{", true},
		{"int (grab_lock)(int a)\n{", true},
		{"void (*grab_lock(int a))(int)\n{", true},
		{"SYSCALL_DEFINE3(open, const char __user *, filename, int, flags, umode_t, mode)\n{", true},
		{"SYSCALL_DEFINE0(getpid)\n{", true},
		{"BPF_CALL_2(bpf_get, void *, map, void *, key)\n{", true},
		{"SYSCALL_DEFINE3( /* a */ /* b */ open, const char __user *, filename)\n{", true},
		{"SYSCALL_DEFINE3(/* unclosed */ open, int, fd)\n{", true},
		{"SYSCALL_DEFINE3(open /* c */, int, fd)\n{", true},
		{"int f(int x)", true}, // the end of the text: the lexer decides
		// after a "}" (a struct in the return type), a typeof(...) in
		// parentheses, a C++ "::"
		{"static inline struct it {\n\tint a;\n} grab_lock(struct w *w) {\n", true},
		{"static inline\ntypeof(x->call)(grab_lock(uint type))\n{\n", true},
		{"inline bool helper<int>::grab_lock(int gs)\n{\n", true},
		// after a preprocessor line, and after a comment that held a "#"
		{"#include <x.h>\nvoid grab_lock(struct w *w)\n{", true},
		{"#define A(x) \\\n\tfoo(x)\nvoid grab_lock(struct w *w)\n{", true},
		{"/* a\n # b */ void grab_lock(struct w *w)\n{", true},
		{"int a; \\\n#x grab_lock(struct w *w)\n{", true}, // a stray "\" outside a directive
		{"#if A\r\nvoid grab_lock(struct w *w)\r\n{", true},
		// calls and mentions
		{"\tgrab_lock(w);\n", false},
		{"\tif (!grab_lock(w))\n", false},
		{"\tret = grab_lock(w) + 1;\n", false},
		// in an expression: whatever follows the arguments (a call of
		// the function pointer it returns, a macro's text)
		{"\tret = grab_lock(type)(vha, ent, buf);\n", false},
		{"\tp->ops = grab_lock(w) DEBUG_ARGS;\n", false},
		{"\treturn grab_lock(w) (x);\n", false},
		{"\tx = y ? grab_lock(w) z : 0;\n", false},
		{"\tif (a && (grab_lock(w)) {\n", false},
		{"\tfoo(grab_lock(w), 1);\n", false},
		{"\tfoo(x, grab_lock);\n", false},
		{"void grab_lock(struct w *w);\n", false},
		{"EXPORT_SYMBOL(grab_lock);\n", false},
		{"/* grab_lock */", false},
		{"\tgrab_locked(w) {", false},
		{"\tdo_grab_lock(w) {", false},
		{"int reopen(void)\n{", false},
		{"\tprintk(\"grab_lock failed\\n\");\n", false},
		// after a "/" that ends no block comment: the first word of a
		// line comment, a path's parts, a quotient
		{"// grab_lock the widget\n", false},
		{"//grab_lock, then\n", false},
		{"/* see drivers/grab_lock, or */\n", false},
		{"\tx = y / grab_lock;\n", false},
		{"/* x */ grab_lock;\n", false},
		// on a preprocessor line, or one it continues: never a definition
		{"#if IS_ENABLED(grab_lock)\nint x;\n", false},
		{"  #  if f(1)\n#endif\n", false},
		{"#define to_w(d) grab_lock(d)\n#define B 1\n", false},
		{"#define A(x) \\\n\tgrab_lock(x) \\\n\tfoo\n", false},
		{"#define A(x) \\\r\n\tgrab_lock(x) {\r\n", false},
		{"", false},
	} {
		src := []byte(c.src)
		if got := Summarize(src).Defines(n); got != c.want {
			t.Errorf("Summarize(%q).Defines = %v, want %v", c.src, got, c.want)
		}
		if got, want := Summarize(src).DefNames, referenceDefNames(src); !slices.Equal(got, want) {
			t.Errorf("Summarize(%q).DefNames = %v, want %v (every identifier defLike takes)", c.src, got, want)
		}
	}
	if Summarize([]byte("void f(void) {")).Defines(NewNames(nil)) {
		t.Error("the empty set is in a text")
	}
}

// referenceDefNames is what Summarize finds from the bytes next to a
// definition's name, found by looking at every identifier: the hashes of
// those defLike takes.
func referenceDefNames(src []byte) []uint32 {
	var out []uint32
	for i := 0; i < len(src); {
		if !isIdentByte(src[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(src) && isIdentByte(src[j]) {
			j++
		}
		if isIdentStart(src[i]) && !keyword(src[i:j]) && defLike(src, i, j) {
			out = append(out, wordHash(src[i:j]))
		}
		i = j
	}
	return sortedSet(out)
}

// TestSummaryMembers: the members a text accesses, across white space and
// comments, and not the words after a number's point.
func TestSummaryMembers(t *testing.T) {
	src := []byte("x = a->nsproxy + b.count + c-> /* c */ mnt_ns + d\n.time_ns + 1.5f + e - >f;")
	s := Summarize(src)
	for _, w := range []string{"nsproxy", "count", "mnt_ns", "time_ns"} {
		if !s.Accesses(w) {
			t.Errorf("%s not among the members", w)
		}
	}
	for _, w := range []string{"a", "b", "x", "f", "5f", "e"} {
		if s.Accesses(w) {
			t.Errorf("%s among the members", w)
		}
	}
}

// A file over the source limit is left out of the lookup, not read whole:
// the tree is a stranger's, and 8 MiB of C is a generated header. The
// readers' search is handed it, to say it was not checked.
func TestSurveySkipsHugeFiles(t *testing.T) {
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
	s := NewSurvey([]string{small, huge}, SurveyOptions{Workers: 1})
	files, _, err := s.Defining(NewNames([]string{"foo_lock"}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(files, []string{small}) {
		t.Errorf("files that may define foo_lock: %v, want only small", files)
	}
	if got, _ := s.Accessing("lock"); !slices.Equal(got, []string{small, huge}) {
		t.Errorf("files that may read lock: %v, want small and huge", got)
	}
	if got, _ := s.Accessing("count"); !slices.Equal(got, []string{huge}) {
		t.Errorf("files that may read count: %v, want huge", got)
	}
}

// TestSurveyFields: a survey told the fields it will be asked of answers
// for each as one that follows every member does, names no other field
// (ok false: the caller searches itself), and has nothing to keep.
func TestSurveyFields(t *testing.T) {
	dir := t.TempDir()
	files := testenv.WriteTree(t, dir, map[string]string{
		"a.c": "void a(struct task_struct *t)\n{\n\tuse(t->nsproxy->net_ns);\n}\n",
		"b.c": "struct nsproxy *b(struct x *x)\n{\n\treturn x -> /* c */ nsproxy;\n}\n",
		"c.c": "/* the nsproxy of a task */\nstruct nsproxy init_nsproxy;\n",
		"d.c": "int d(struct x *x)\n{\n\treturn x->count;\n}\n",
	})
	all := NewSurvey(files, SurveyOptions{Workers: 1})
	told := NewSurvey(files, SurveyOptions{Workers: 1, Fields: []string{"nsproxy", "net_ns"}})
	for _, field := range []string{"nsproxy", "net_ns"} {
		want, _ := all.Accessing(field)
		got, ok := told.Accessing(field)
		if !ok || !slices.Equal(got, want) {
			t.Errorf("Accessing(%s): %v (ok %v), want %v", field, got, ok, want)
		}
	}
	if got, ok := told.Accessing("count"); ok || got != nil {
		t.Errorf("Accessing(count), a field not told: %v, %v; want nothing, false", got, ok)
	}
	if told.Changed() {
		t.Error("a survey without most members would be kept")
	}
	if got, _ := all.Accessing("nsproxy"); !slices.Equal(got, files[:2]) {
		t.Errorf("the files that access nsproxy: %v, want a.c and b.c", got)
	}
}

// SameDefNames reports whether Summarize finds in src the definition
// names a look at every identifier finds (for the kernel tests).
func SameDefNames(s Summary, src []byte) bool {
	return slices.Equal(s.DefNames, referenceDefNames(src))
}

// TopDefines returns, for the kernel comparison, a test of a definition
// of src named name at offset at (Func.NameAt): whether the lookup finds
// it standing outside every brace (topLevel, as mayDefine asks it) and
// whether the summary of the file read but not lexed keeps it
// (topDefNames), as it is kept: within the names the summary held.
func TopDefines(src []byte) func(name string, at int) (standing, summarized bool) {
	bounds := topLevel(src)
	sum := Summary{DefNames: intersect(Summarize(src).DefNames, topDefNames(src, bounds))}
	return func(name string, at int) (bool, bool) {
		return atTopLevel(bounds, at), sum.Defines(NewNames([]string{name}))
	}
}

// TopLevel runs topLevel, for the benchmark.
func TopLevel(src []byte) { topLevel(src) }

// TopLevelMismatch returns the offset of the first identifier that
// topLevel places at brace depth 0 and the finder does not, or the other
// way round; -1 when they agree everywhere. The finder's depth is
// followed token by token, as finder.token follows it.
func TopLevelMismatch(src []byte) int {
	bounds := topLevel(src)
	lx := newLexer(src)
	depth := 0
	var conds []cond
	for t := lx.next(); t.kind != eof; t = lx.next() {
		switch t.kind {
		case direct:
			conds, depth, _ = condStep(conds, src[t.s:t.e], depth, 0)
		case '{':
			depth++
		case '}':
			if depth > 0 {
				depth--
			}
		case ident:
			if atTopLevel(bounds, t.s) != (depth == 0) {
				return t.s
			}
		}
	}
	return -1
}

// TestCommentOpen: the last "/*" that starts before end, as
// bytes.LastIndex finds it.
func TestCommentOpen(t *testing.T) {
	for _, src := range []string{"", "/", "/*", "a /* b */", "/* a / b // c */", "x/*/", "/* a */ /* b */", "a/b/c*/"} {
		b := []byte(src)
		for end := 0; end <= len(b); end++ {
			if got, want := commentOpen(b, end), bytes.LastIndex(b[:end], []byte("/*")); got != want {
				t.Errorf("commentOpen(%q, %d) = %d, want %d", src, end, got, want)
			}
		}
	}
}
