package cindex

import (
	"slices"
	"testing"
)

// TestMayDefine: a word stands where Funcs may read a definition's name
// only outside every brace, the braces counted as the lexer and the
// finder count them: not in comments, literals or preprocessor lines,
// and from where the #if found them again after #else.
func TestMayDefine(t *testing.T) {
	for _, c := range []struct {
		src, word string
		want      bool
	}{
		{"void f(void)\n{\n\tlist_for_each_entry(p, h, n) {\n\t}\n}\n", "list_for_each_entry", false},
		{"void f(void)\n{\n\tlist_for_each_entry(p, h, n) {\n\t}\n}\n", "f", true},
		{"int f(void) { { g(); } }\nint h(void);\n", "g", false},
		{"int f(void) { { g(); } }\nint h(void);\n", "h", true},
		{"int gg(void) {}\n", "g", false},
		{"/* { */ int g(void) {}\n", "g", true},
		{"// {\nint g(void) {}\n", "g", true},
		{"// a \\\n{\nint g(void) {}\n", "g", true},
		{"char *s = \"{\";\nint g(void) {}\n", "g", true},
		{"char c = '{';\nint g(void) {}\n", "g", true},
		{"char *s = \"\\\"{\";\nint g(void) {}\n", "g", true},
		{"#define OPEN {\nint g(void) {}\n", "g", true},
		{"#define OPEN \\\n {\nint g(void) {}\n", "g", true},
		{"#error don't\nint g(void) {}\n", "g", true},
		{"int x; /* a\n# b */ int g(void) {}\n", "g", true},
		// one header written twice: one body opens
		{"#ifdef A\nint f(int a) {\n#else\nint f(void) {\n#endif\n\treturn 0;\n}\nint g(void) {}\n", "g", true},
		{"#ifdef A\nint f(int a) {\n#else\nint f(void) {\n#endif\n\tg();\n}\n", "g", false},
		{"#if A\nvoid f(void) {\n#elif B\nvoid f(int b) {\n#else\nvoid f(long c) {\n#endif\n\tg(0);\n}\n", "g", false},
		{"void f(void)\n{\n#if A\n\tif (x) {\n#endif\n\t\tg();\n#if A\n\t}\n#endif\n}\nint h(void) {}\n", "h", true},
		{"void f(void) {\n\tlist_for_each_entry(p, h, n) {\n\t}\n", "list_for_each_entry", false}, // unclosed
		// only mentioned in a comment or on a preprocessor line
		{"/* g() */\nint h(void) {}\n", "g", false},
		{"// g(x)\nint h(void) {}\n", "g", false},
		{"#define G(e) g(e)\nint h(void) {}\n", "g", false},
		{"#define G(e) \\\n\tg(e)\nint h(void) {}\n", "g", false},
		{"#if 0 /* g */\nint h(void) {}\n#endif\n", "g", false},
		{"/* a */ int g(void) {}\n", "g", true},
		{"int h(void) {} /* a */ int g(void) {}\n", "g", true},
		{"", "g", false},
	} {
		if got := mayDefine([]byte(c.src), []string{c.word}); got != c.want {
			t.Errorf("mayDefine(%q, %s) = %v, want %v", c.src, c.word, got, c.want)
		}
		summarized := Summary{DefNames: topDefNames([]byte(c.src), topLevel([]byte(c.src)))}.Defines(NewNames([]string{c.word}))
		if summarized && !c.want {
			t.Errorf("topDefNames(%q) keeps %s, which stands inside braces only", c.src, c.word)
		}
	}
}

// TestTopDefNames: a file read but not lexed keeps the names that stand
// next to a parenthesis outside every brace, whatever the header's shape.
func TestTopDefNames(t *testing.T) {
	src := []byte("static inline\ntypeof(e->call)(find_entry(uint type))\n{\n\tlist_for_each_entry(p, h, n) {\n\t}\n\treturn f(1)(2);\n}\n")
	sum := Summary{DefNames: topDefNames(src, topLevel(src))}
	for word, want := range map[string]bool{"find_entry": true, "list_for_each_entry": false, "f": false} {
		if got := sum.Defines(NewNames([]string{word})); got != want {
			t.Errorf("topDefNames keeps %s: %v, want %v", word, got, want)
		}
	}
}

// FuzzTopLevel: any bytes give sorted ranges inside the text, every
// identifier is in them exactly when the finder reads it at depth 0,
// mayDefine and Summarize answer without running away, the empty word
// included.
func FuzzTopLevel(f *testing.F) {
	for _, seed := range []string{"", "{", "}", "'", "\"", "/*", "//\\\n", "#if\n{\n#else\n{\n#endif\n}", "#\\", "a\\\r\n#x\n{'\\"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		b := topLevel(src)
		if len(b)%2 != 0 || !slices.IsSorted(b) || len(b) > 0 && (b[0] < 0 || b[len(b)-1] > len(src)) {
			t.Fatalf("topLevel(%q) = %v", src, b)
		}
		if at := TopLevelMismatch(src); at >= 0 {
			t.Fatalf("topLevel(%q) and the finder disagree on the depth at offset %d", src, at)
		}
		mayDefine(src, []string{"", "a", "x"})
		topDefNames(src, b)
		Summarize(src) // defLike's look at directive lines included
	})
}
