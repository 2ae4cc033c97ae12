package check

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tagcheck/tagcheck/cparse"
	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/internal/testenv"
	"github.com/tagcheck/tagcheck/rules"
)

// TestDefinitionsIndexOnlySpellers: the definitions of the names a check
// wants are found two levels down, and only the files that spell one of
// those names are indexed, not the rest of the tree.
func TestDefinitionsIndexOnlySpellers(t *testing.T) {
	tree := t.TempDir()
	testenv.WriteTree(t, tree, map[string]string{
		// level 1: the caller under check calls grab_widget
		"drivers/widget.c": "void grab_widget(struct widget *w)\n{\n\tgrab_lock(w);\n}\n",
		// level 2: grab_widget calls grab_lock
		"include/grab.h": "static inline void grab_lock(struct widget *w)\n{\n\tmutex_lock(&w->lock);\n}\n",
		// neither name: never read for definitions
		"fs/other.c": "static int other(void)\n{\n\treturn grabber(1);\n}\n",
		"mm/more.c":  "int more(void)\n{\n\treturn widget_count();\n}\n",
	})
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	opt := cparse.ParseOptions{NoReturn: rs.NoReturn}
	cf, err := cparse.ParseC("caller.c", []byte("void caller(struct widget *w)\n{\n\tgrab_widget(w);\n}\n"), opt)
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewDefinitions(tree, opt, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := d.For(cf.Funcs, rs)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range got {
		names = append(names, f.Name)
	}
	if want := []string{"grab_widget", "grab_lock"}; !slices.Equal(names, want) {
		t.Errorf("definitions found: %v, want %v", names, want)
	}
	if n := d.Indexed(); n != 2 {
		t.Errorf("%d files indexed, want 2 (widget.c and grab.h)", n)
	}
	// Asked again, nothing more is read.
	if _, err := d.For([]*flow.Func{got[0]}, rs); err != nil {
		t.Fatal(err)
	}
	if n := d.Indexed(); n != 2 {
		t.Errorf("%d files indexed after a second request, want 2", n)
	}
}

// TestCalledNamesSkipLoopHeads: the head of a loop macro is no call of
// a function and is not looked up (the survey took thousands of files for
// list_for_each_entry, which stands like a definition in every body that
// loops with it); a function named like one and called as one stays.
func TestCalledNamesSkipLoopHeads(t *testing.T) {
	src := `void caller(struct idr *idr, struct list_head *l)
{
	struct widget *w;

	list_for_each_entry(w, l, node) {
		grab_widget(w);
	}
	do_each_widget(w) {
		drop_widget(w);
	} while_each_widget(w);
	idr_for_each(idr, widget_cb, NULL);
}
`
	cf, err := cparse.ParseC("caller.c", []byte(src), cparse.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := calledNames(cf.Funcs[0])
	slices.Sort(got)
	if want := []string{"drop_widget", "grab_widget", "idr_for_each"}; !slices.Equal(got, want) {
		t.Errorf("called names %v, want %v", got, want)
	}
}

// TestCalledNamesSkipParameters: a call through a parameter reaches what
// the caller was given, never a function of the parameter's name, and is
// not looked up; a function the caller calls by a name no parameter
// holds stays, even beside a parameter passed to it.
func TestCalledNamesSkipParameters(t *testing.T) {
	src := `int walk(struct idr *idr, int (*fn)(int id, void *p, void *data), void *data)
{
	int ret = fn(0, NULL, data);

	if (!ret && f(data))
		ret = walk_next(idr, fn, data);
	return ret;
}
`
	cf, err := cparse.ParseC("walk.c", []byte(src), cparse.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := calledNames(cf.Funcs[0])
	slices.Sort(got)
	got = slices.Compact(got) // a condition is on each of its edges
	if want := []string{"f", "walk_next"}; !slices.Equal(got, want) {
		t.Errorf("called names %v, want %v", got, want)
	}
}

// TestDefinitionsKeepLinesAndBudget: a definition read from the middle of
// a file names its own lines, and one dropped from the kept definitions
// (a budget of one line drops each at once) is lowered again the same.
func TestDefinitionsKeepLinesAndBudget(t *testing.T) {
	tree := t.TempDir()
	src := "/* a header comment\n * over\n * four lines\n */\nint other(void)\n{\n\treturn 0;\n}\n\nvoid grab_widget(struct widget *w)\n{\n\tmutex_lock(&w->lock);\n}\n\nvoid drop_widget(struct widget *w)\n{\n\tmutex_unlock(&w->lock);\n}\n"
	if err := os.WriteFile(filepath.Join(tree, "widget.c"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	opt := cparse.ParseOptions{NoReturn: rs.NoReturn}
	cf, err := cparse.ParseC("caller.c", []byte("void caller(struct widget *w)\n{\n\tgrab_widget(w);\n\tdrop_widget(w);\n}\n"), opt)
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewDefinitions(tree, opt, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	d.funcs.budget = 1
	describe := func() string {
		got, err := d.For(cf.Funcs, rs)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, f := range got {
			out = append(out, fmt.Sprintf("%s at %d-%d, lock at %v", f.Name, f.Pos.Line, f.End.Line, f.Blocks[0].Events[0].X.Pos))
		}
		return strings.Join(out, "; ")
	}
	first := describe()
	file := filepath.Join(tree, "widget.c")
	if want := "drop_widget at 15-18, lock at " + file + ":17:2; grab_widget at 10-13, lock at " + file + ":12:2"; first != want {
		t.Errorf("fetched definition: %s, want %s", first, want)
	}
	if n := len(d.funcs.cur) + len(d.funcs.old); n > 1 {
		t.Errorf("%d names kept over a budget of one line, want at most 1", n)
	}
	if again := describe(); again != first {
		t.Errorf("lowered again: %s, want %s", again, first)
	}
}
