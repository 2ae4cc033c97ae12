package taggedptr

import (
	"strings"

	"github.com/tagcheck/tagcheck/flow"
)

// CStructs answers "what type does struct S give field F", from the
// structs in view: struct tag -> field -> field type as written.
type CStructs map[string]map[string]string

// Merge adds to c the fields of src it does not have yet: the first
// declaration read of a struct's field wins.
func (c CStructs) Merge(src map[string]map[string]string) {
	for s, fields := range src {
		if c[s] == nil {
			c[s] = map[string]string{}
		}
		for f, t := range fields {
			if _, ok := c[s][f]; !ok {
				c[s][f] = t
			}
		}
	}
}

// cType is a C type reduced to what the checks need: the struct (or
// union) tag it names and how many pointer levels sit on top of it.
// Tag is "" for types that are not a struct or union (int, typedefs).
type cType struct {
	Tag string
	Ptr int
}

func (t cType) known() bool { return t.Tag != "" }

// cTypeQualifiers are words of a declared type that do not change what it
// points to.
var cTypeQualifiers = map[string]bool{
	"const": true, "volatile": true, "static": true, "extern": true, "inline": true,
	"register": true, "restrict": true, "__restrict": true, "__rcu": true,
	"__user": true, "__iomem": true, "__percpu": true, "__force": true,
	"__must_check": true, "__always_inline": true, "noinline": true,
	"__read_mostly": true, "__randomize_layout": true, "__aligned": true,
}

// parseCType reads a type as written ("struct task_struct *",
// "const struct nsproxy *__rcu").
func parseCType(s string) cType {
	var t cType
	t.Ptr = strings.Count(s, "*") + strings.Count(s, "[")
	s = strings.NewReplacer("*", " ", "[", " ", "]", " ", "(", " ", ")", " ").Replace(s)
	words := strings.Fields(s)
	for i, w := range words {
		if cTypeQualifiers[w] {
			continue
		}
		if (w == "struct" || w == "union") && i+1 < len(words) {
			t.Tag = words[i+1]
			return t
		}
	}
	return t
}

// cEnv resolves the struct types of expressions from the declarations in
// view: parameters and locals, the kernel's current, field chains through
// the structs in view, and the result types of the functions in view.
type cEnv struct {
	structs CStructs
	results map[string]string // function name -> result type as written
}

func newCEnv(funcs []*flow.Func, structs CStructs) *cEnv {
	env := &cEnv{structs: structs, results: map[string]string{}}
	seen := map[string]bool{}
	for _, f := range funcs {
		if prev, ok := env.results[f.Name]; ok && prev != f.Result {
			// two definitions disagree (static functions of two files):
			// the name no longer tells the type
			seen[f.Name] = true
		}
		env.results[f.Name] = f.Result
	}
	for n := range seen {
		delete(env.results, n)
	}
	return env
}

// cOwnerTypes are the kernel's names for the running task.
var cCurrentTask = map[string]bool{"current": true, "get_current": true}

// typeOf returns the type of e in f, or the zero cType when the
// declarations in view do not say.
func (env *cEnv) typeOf(f *flow.Func, e *flow.Expr) cType {
	if e == nil {
		return cType{}
	}
	switch e.Op {
	case flow.OpCast:
		return parseCType(e.Name)
	case flow.OpIdent:
		if t := f.TypeOf(e.Name); t != "" {
			return parseCType(t)
		}
		if e.Name == "current" {
			return cType{Tag: "task_struct", Ptr: 1}
		}
	case flow.OpCall:
		if cCurrentTask[e.Name] && len(e.Args) == 0 {
			return cType{Tag: "task_struct", Ptr: 1}
		}
		if cReadAccessors[e.Name] && len(e.Args) >= 1 {
			return env.typeOf(f, e.Args[0])
		}
		if r, ok := env.results[e.Name]; ok {
			return parseCType(r)
		}
	case flow.OpField:
		bt := env.typeOf(f, e.Arg(0))
		if !bt.known() || (e.Arrow && bt.Ptr != 1) || (!e.Arrow && bt.Ptr != 0) {
			return cType{}
		}
		if ft, ok := env.structs[bt.Tag][e.Name]; ok {
			return parseCType(ft)
		}
	case flow.OpUnary:
		t := env.typeOf(f, e.Arg(0))
		switch {
		case !t.known():
		case e.Name == "*" && t.Ptr > 0:
			t.Ptr--
			return t
		case e.Name == "&":
			t.Ptr++
			return t
		}
	case flow.OpIndex:
		if t := env.typeOf(f, e.Arg(0)); t.known() && t.Ptr > 0 {
			t.Ptr--
			return t
		}
	case flow.OpAssign:
		return env.typeOf(f, e.Arg(0))
	case flow.OpCond:
		return env.typeOf(f, e.Arg(1))
	case flow.OpComma:
		if len(e.Args) > 0 {
			return env.typeOf(f, e.Args[len(e.Args)-1])
		}
	}
	return cType{}
}

// fieldStruct returns the struct tag whose field the access fld (X->f or
// X.f) reads, or "" when the type of X is not known.
func (env *cEnv) fieldStruct(f *flow.Func, fld *flow.Expr) string {
	if fld == nil || fld.Op != flow.OpField {
		return ""
	}
	bt := env.typeOf(f, fld.Arg(0))
	if !bt.known() || (fld.Arrow && bt.Ptr != 1) || (!fld.Arrow && bt.Ptr != 0) {
		return ""
	}
	return bt.Tag
}

// cReadAccessors read a word without changing it: a raw read of a field
// seen through them is still a raw read (rules.ReadOf looks through the
// same ones).
var cReadAccessors = map[string]bool{
	"READ_ONCE": true, "rcu_dereference": true, "rcu_dereference_raw": true,
	"rcu_dereference_protected": true, "rcu_dereference_check": true,
	"rcu_access_pointer": true, "smp_load_acquire": true,
}

// cEvents calls fn for every event of f, block by block.
func cEvents(f *flow.Func, fn func(b *flow.Block, ev *flow.Event)) {
	for _, b := range f.Blocks {
		for _, ev := range b.Events {
			fn(b, ev)
		}
	}
}

// cPos returns the place of e, or of the event holding it when the front
// end gave e none.
func cPos(e *flow.Expr, ev *flow.Event) flow.Pos {
	if e != nil && e.Pos.IsValid() {
		return e.Pos
	}
	if ev != nil {
		return ev.Pos
	}
	return flow.Pos{}
}

// cText is e as the source spells it, for messages.
func cText(e *flow.Expr) string {
	if e == nil {
		return ""
	}
	if t := strings.Join(strings.Fields(e.Text), " "); t != "" {
		return t
	}
	return e.Key()
}
