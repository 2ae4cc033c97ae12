package check

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/tagcheck/tagcheck/cparse"
	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/rules"
)

// TestDefinitionsIndexOnlySpellers: the definitions of the names a check
// wants are found two levels down, and only the files that spell one of
// those names are indexed, not the rest of the tree.
func TestDefinitionsIndexOnlySpellers(t *testing.T) {
	tree := t.TempDir()
	for name, src := range map[string]string{
		// level 1: the caller under check calls grab_widget
		"drivers/widget.c": "void grab_widget(struct widget *w)\n{\n\tgrab_lock(w);\n}\n",
		// level 2: grab_widget calls grab_lock
		"include/grab.h": "static inline void grab_lock(struct widget *w)\n{\n\tmutex_lock(&w->lock);\n}\n",
		// neither name: never read for definitions
		"fs/other.c": "static int other(void)\n{\n\treturn grabber(1);\n}\n",
		"mm/more.c":  "int more(void)\n{\n\treturn widget_count();\n}\n",
	} {
		path := filepath.Join(tree, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	opt := cparse.ParseOptions{NoReturn: rs.NoReturn}
	cf, err := cparse.ParseC("caller.c", []byte("void caller(struct widget *w)\n{\n\tgrab_widget(w);\n}\n"), opt)
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewDefinitions([]string{tree}, opt, 1)
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
