package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultPacksLoad(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, fn := range []string{"spin_lock_irqsave", "task_lock", "mutex_trylock", "(*sync.RWMutex).RLock"} {
		if len(s.Acquires(fn)) == 0 {
			t.Errorf("%s: no acquire rule", fn)
		}
	}
	if p := s.Acquires("spin_lock_irqsave")[0]; p.ReleasedBy("spin_unlock") || !p.ReleasedBy("spin_unlock_irqrestore") {
		t.Errorf("spin_lock_irqsave must pair only with spin_unlock_irqrestore")
	}
	if !s.NoReturn("BUG") {
		t.Errorf("BUG should not return")
	}
	if got := s.Owners("task_struct"); len(got) == 0 || got[0] != "current" {
		t.Errorf("task_struct owners = %v", got)
	}
}

func TestInstantiate(t *testing.T) {
	for _, c := range []struct {
		tmpl string
		args []string
		want string
	}{
		{"$0", []string{"&p->lock"}, "&p->lock"},
		{"$0->alloc_lock", []string{"task"}, "task->alloc_lock"},
		{"$0->alloc_lock", []string{"&init_task"}, "init_task.alloc_lock"},
		{"rcu", nil, "rcu"},
		{"$1", []string{"mutex"}, ""},
		{"tag:$0->nsproxy", []string{"tsk"}, "tag:tsk->nsproxy"},
	} {
		if got := Instantiate(c.tmpl, c.args); got != c.want {
			t.Errorf("Instantiate(%q, %q) = %q, want %q", c.tmpl, c.args, got, c.want)
		}
	}
}

func TestBadPackNamesPlace(t *testing.T) {
	s, _ := Default()
	err := s.AddYAML("my.yaml", []byte("name: x\npairs:\n  - {acquire: [a], relase: [b]}\n"))
	if err == nil || !strings.HasPrefix(err.Error(), "my.yaml:3: pairs[0]: unknown field") {
		t.Fatalf("want an error naming my.yaml line 3, got %v", err)
	}
	err = s.AddYAML("my.yaml", []byte("pairs:\n  - {acquire: [a]}\n"))
	if err == nil {
		t.Fatalf("a pair without release must be refused")
	}
}

func TestDigestFollowsContent(t *testing.T) {
	a, _ := Default()
	b, _ := Default()
	if a.Digest() != b.Digest() {
		t.Fatal("same packs, different digests")
	}
	b.AddYAML("x.yaml", []byte("pairs:\n  - {acquire: [a], release: [b]}\n"))
	if a.Digest() == b.Digest() {
		t.Fatal("a changed pack must change the digest")
	}
}

// An argument written &x fills *$N as x, the spelling the code uses.
func TestInstantiateAddressOfDeref(t *testing.T) {
	if got := Instantiate("irqflags:*$1", []string{"&zone->lock", "&flags"}); got != "irqflags:flags" {
		t.Fatalf("Instantiate = %q, want irqflags:flags", got)
	}
}

// A release helper has no acquire; maybe and field only make sense there.
func TestReleaseHelperPairs(t *testing.T) {
	dir := t.TempDir()
	ok := filepath.Join(dir, "ok.yaml")
	os.WriteFile(ok, []byte("name: t\npairs:\n  - {release: [foo_flush], resource: \"$0->lock\", maybe: true}\n  - {release: [foo_finish], field: lock}\n"), 0o644)
	rs, err := Load(ok)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if ps := rs.Releases("foo_finish"); len(ps) != 1 || ps[0].Field != "lock" {
		t.Fatalf("foo_finish pairs = %v", ps)
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("name: t\npairs:\n  - {acquire: [a], release: [b], field: lock}\n"), 0o644)
	if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), "bad.yaml") {
		t.Fatalf("Load(bad) = %v, want an error naming the file", err)
	}
}

// TestPackErrorsNameFileLineField: every pack error is one line naming
// the file, the line and the field, in the pack's words (no Go types);
// a second document is read, not dropped; an empty pack says so.
func TestPackErrorsNameFileLineField(t *testing.T) {
	for _, c := range []struct{ yaml, want string }{
		{"name: x\npairs:\n  - {acquire: [a], relase: [b]}\n", `p.yaml:3: pairs[0]: unknown field "relase"`},
		{"pairs:\n  - acquire: a\n    release: [b]\n", `p.yaml:2: pairs[0].acquire: want a list, have a string "a"`},
		{"pairs:\n  - acquire: [a]\n    release: [b]\n    recursive: maybe\n", `p.yaml:4: pairs[0].recursive: want true or false, have a string "maybe"`},
		{"pairs:\n  - acquire: [a]\n    release: [b]\n    mode: wide\n", `p.yaml:4: pairs[0].mode: "wide": want exclusive or shared`},
		{"pairs:\n  - acquire: [a]\n    release: [b]\n---\nname: y\npairs:\n  - acquire: [c]\n", `p.yaml:7: pairs[0]: needs release`},
		{"pairs:\n  - {name: f, true_for: [A], acquire: [f]}\n", `p.yaml:2: pairs[0]: callback, enables_irq, neutral and true_for name one function and nothing else`},
		{"", `p.yaml: empty rule pack: no YAML document in it`},
		{"# only a comment\n", `p.yaml: empty rule pack: no YAML document in it`},
		{"name: x\npairs: []\n---\n", `p.yaml:3: an empty YAML document`},
		{"{}\n", `p.yaml:1: an empty YAML document`},
		{"pairs: [\n", `p.yaml:1: did not find expected node content`},
		{"-\n", `p.yaml:1: top level: want a mapping, have a list`},
	} {
		s, _ := Default()
		err := s.AddYAML("p.yaml", []byte(c.yaml))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) || strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "rules.") {
			t.Errorf("%q:\n have %v\n want %s", c.yaml, err, c.want)
		}
	}
	s, _ := Default()
	two := "name: one\npairs:\n  - {acquire: [a_lock], release: [a_unlock]}\n---\nname: two\npairs:\n  - {acquire: [b_lock], release: [b_unlock]}\n"
	if err := s.AddYAML("two.yaml", []byte(two)); err != nil {
		t.Fatal(err)
	}
	if len(s.Acquires("a_lock")) == 0 || len(s.Acquires("b_lock")) == 0 {
		t.Errorf("a document of a two-document pack was dropped")
	}
	if err := s.AddYAML("pred.yaml", []byte("pairs:\n  - {name: needs_lock, true_for: [A, B]}\n")); err != nil {
		t.Fatal(err)
	}
	if v, ok := s.TrueFor("needs_lock"); !ok || len(v) != 2 {
		t.Errorf("a true_for pair was not read: %v %v", v, ok)
	}
}

// FuzzAddYAML: any bytes as a rule pack either load or give one line
// naming the file, never a panic and never a Go type name.
func FuzzAddYAML(f *testing.F) {
	for _, seed := range []string{
		"name: x\npairs:\n  - {acquire: [a], release: [b]}\n",
		"pairs:\n  - acquire: a\n",
		"tagged:\n  - {struct: s, field: f, mask: '1'}\n---\nnoreturn: [BUG]\n",
		"owners:\n  - {struct: s, owner: [current]}\n",
		"pairs: [\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Default()
		if err != nil {
			t.Fatal(err)
		}
		err = s.AddYAML("f.yaml", data)
		if err == nil {
			return
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "f.yaml:") && !strings.HasPrefix(msg, "f.yaml: ") {
			t.Errorf("error does not name the file: %q", msg)
		}
		if strings.Contains(msg, "\n") || strings.Contains(msg, "rules.") || strings.Contains(msg, "[]string") {
			t.Errorf("error is not one line in the pack's words: %q", msg)
		}
	})
}
