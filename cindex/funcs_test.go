package cindex

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// describe prints what the index found, one function a line:
// "name@line [static] calls=a,b members=x,y".
func describe(src string) []string {
	var out []string
	for _, fn := range Funcs([]byte(src)) {
		s := fmt.Sprintf("%s@%d", fn.Name, fn.Line)
		if fn.Static {
			s += " static"
		}
		if len(fn.Calls) > 0 {
			s += " calls=" + strings.Join(fn.Calls, ",")
		}
		if len(fn.Members) > 0 {
			s += " members=" + strings.Join(fn.Members, ",")
		}
		out = append(out, s)
	}
	return out
}

// funcsCase is a source and what describe says of it.
type funcsCase struct {
	name string
	src  string
	want []string
}

func runFuncsCases(t *testing.T, cases []funcsCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := describe(tc.src)
			if !sameDefs(Funcs([]byte(tc.src)), Defs([]byte(tc.src))) {
				t.Errorf("Defs and Funcs differ")
			}
			for _, fn := range Funcs([]byte(tc.src)) {
				if want := 1 + strings.Count(tc.src[:fn.Start], "\n"); fn.StartLine != want {
					t.Errorf("%s: StartLine %d, want %d", fn.Name, fn.StartLine, want)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tc.want, "\n\t"))
			}
		})
	}
}

// TestFuncs: the basic shape, and text that only looks like code:
// comments, literals, the preprocessor, initializers.
func TestFuncs(t *testing.T) {
	runFuncsCases(t, []funcsCase{
		{"plain", `
static int add(int a, int b)
{
	return helper(a) + b;
}
int sub(int a) { return a - 1; }
`, []string{"add@2 static calls=helper", "sub@6"}},
		{"comments and literals hide braces and calls", `
/* int fake(void) { */
// void other(void) {
static const char *s = "} g(x) {";
char c = '}';
void real(void)
{
	puts("call(me) }"); /* not_a_call() */
	x = '{';
}
`, []string{"real@6 calls=puts"}},
		{"preprocessor lines", `
#define LOCK(x) do { spin_lock(x); } while (0)
#define MULTI(x) \
	{ \
	}
#include <linux/fs.h>
void after_macros(struct inode *inode)
{
#ifdef CONFIG_X
	spin_lock(&inode->i_lock);
#endif
}
`, []string{"after_macros@7 calls=spin_lock members=i_lock"}},
		{"initializers and structs are not functions", `
struct ops { int (*open)(void); };
static const struct ops my_ops = {
	.open = my_open,
};
int table[] = { 1, 2 };
enum { A = 1, B = f(2) };
union u { int a; };
int f(void) { return my_ops.open(); }
`, []string{"f@9 calls=open members=open"}},
	})
}

// TestFuncsDeclarators: what may stand around a function's name:
// attributes, kernel definition macros, old-style parameters, pointer
// results.
func TestFuncsDeclarators(t *testing.T) {
	runFuncsCases(t, []funcsCase{
		{"attributes around the name", `
static int __init __printf(1, 2) setup(const char *fmt, ...)
{
	return 0;
}
void drop(struct s *s) __releases(&s->lock)
{
	spin_unlock(&s->lock);
}
static __always_inline struct page *
page_of(void *p) __attribute__((pure))
{
	return virt_to_page(p);
}
`, []string{"setup@2 static", "drop@6 calls=spin_unlock members=lock", "page_of@11 static calls=virt_to_page"}},
		{"syscalls", `
SYSCALL_DEFINE3(open, const char __user *, filename, int, flags, umode_t, mode)
{
	return do_sys_open(AT_FDCWD, filename, flags, mode);
}
COMPAT_SYSCALL_DEFINE0(pause)
{
	return 0;
}
BPF_CALL_2(bpf_thing, void *, a, u32, b)
{
	return 0;
}
`, []string{"sys_open@2 calls=do_sys_open", "compat_sys_pause@6", "bpf_thing@10"}},
		{"a macro use missing its semicolon", `
EXPORT_SYMBOL(first)
static void second(void)
{
	first();
}
`, []string{"second@3 static calls=first"}},
		{"old-style parameters", `
int kr(a, b)
int a;
char *b;
{
	return use(a, b);
}
`, []string{"kr@2 calls=use"}},
		{"function returning a function pointer", `
void (*handler(int sig))(int)
{
	return table[sig];
}
int (paren)(int x) { return x; }
`, []string{"handler@2", "paren@6"}},
	})
}

// TestFuncsBodies: what a body holds and where it ends: #if branches,
// keywords and casts that are not calls, nested braces, braces in macro
// arguments, an unclosed body.
func TestFuncsBodies(t *testing.T) {
	runFuncsCases(t, []funcsCase{
		{"conditional headers open one body", `
#ifdef CONFIG_A
int both(int a)
{
#else
int both(void)
{
#endif
	return a_call();
}
int next(void) { return 0; }
`, []string{"both@3 calls=a_call", "next@11"}},
		{"whole functions in each branch", `
#if IS_ENABLED(CONFIG_B)
int twice(void) { return on(); }
#else
int twice(void) { return off(); }
#endif
`, []string{"twice@3 calls=on", "twice@5 calls=off"}},
		{"keywords and casts are not calls", `
int k(struct s *p)
{
	if (p) return sizeof(*p);
	while (x) for (;;) switch (y) { }
	return (int)p->f(p) + typeof(q)(0);
}
`, []string{"k@2 calls=f members=f"}},
		{"statement expressions and nested braces", `
int nest(void)
{
	int v = ({ int t = get(); t; });
	if (v) { do { put(v); } while (0); }
	return v;
}
int after(void) { return 1; }
`, []string{"nest@2 calls=get,put", "after@8"}},
		{"braces inside macro arguments at file scope", `
TRACE_EVENT(ev, TP_fast_assign({ __entry->x = 1; }), TP_printk("%d", 1));
DEFINE_THING(name, { .a = 1 });
int later(void) { return 0; }
`, []string{"later@4"}},
		{"unclosed body runs to the end", `
int broken(void)
{
	call();
`, []string{"broken@2 calls=call"}},
	})
}

// Idents are every non-member identifier of the body: a function handed
// on as a value is there, though it is not called.
func TestFuncsIdents(t *testing.T) {
	fns := Funcs([]byte("void put(struct obj *o)\n{\n\tkref_put(&o->ref, release_locked);\n\tif (o) return;\n}\n"))
	if len(fns) != 1 {
		t.Fatalf("got %d functions, want 1", len(fns))
	}
	if got, want := fns[0].Idents, []string{"kref_put", "o", "release_locked"}; !slices.Equal(got, want) {
		t.Errorf("Idents = %v, want %v", got, want)
	}
}

// The byte range covers the definition from its specifiers to its closing
// brace, so that a caller can cut the function out of the text.
func TestFuncsRange(t *testing.T) {
	src := "int x;\n/* doc */\nstatic long\nrange_of(void)\n{\n\treturn 0;\n}\nint y;\n"
	fns := Funcs([]byte(src))
	if len(fns) != 1 {
		t.Fatalf("got %d functions, want 1", len(fns))
	}
	fn := fns[0]
	if got := src[fn.Start:fn.End]; got != "static long\nrange_of(void)\n{\n\treturn 0;\n}" {
		t.Errorf("range = %q", got)
	}
	if src[fn.Body] != '{' || src[fn.NameAt:fn.NameAt+8] != "range_of" {
		t.Errorf("Body at %q, NameAt at %q", src[fn.Body], src[fn.NameAt:])
	}
}

// Hostile text never panics and never reads outside the input.
func FuzzFuncs(f *testing.F) {
	for _, s := range []string{"int f(void) {", "#if\n}\n#else\n{\n#endif", "'", "\"\\", "/*", "a(b) c; {", "(((", ")))}}}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, fn := range Funcs([]byte(s)) {
			if fn.Start > fn.NameAt || fn.NameAt > fn.Body || fn.Body >= fn.End || fn.End > len(s) {
				t.Fatalf("bad range %+v in %q", fn, s)
			}
		}
	})
}

// sameDefs reports whether a and b are the same definitions, bodies
// aside.
func sameDefs(a, b []Func) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Name != y.Name || x.Start != y.Start || x.NameAt != y.NameAt || x.Body != y.Body || x.End != y.End || x.Line != y.Line || x.Static != y.Static {
			return false
		}
	}
	return true
}

// SameDefs is sameDefs for the kernel tests (package cindex_test).
var SameDefs = sameDefs
