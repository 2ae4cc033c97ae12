package taggedptr

import (
	"slices"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/rules"
)

// LearnC learns tagged fields from funcs. A store of
// (T)((unsigned long)X->f | MASK) back into X->f — plainly, or through
// xchg, cmpxchg, WRITE_ONCE, set_bit and the like (rules.TagWrites) —
// marks f of X's struct type as tagged with MASK, when f holds a pointer
// and MASK is a constant of low bits (cEnv.tagsPointer); the functions holding
// such stores are its setters (bits set) and clearers (bits cleared). A
// function returning X->f & ~MASK (under casts, READ_ONCE,
// rcu_dereference, or through a local holding that read) is the untag
// accessor of a field known to be tagged (learned here or from the rule
// packs). A store whose X has no struct type the declarations in view
// resolve teaches nothing: field names alone do not identify a field.
//
// The learned fields are added to rs and returned, one per struct.field,
// with Learned set to the place of the first tag write ("file:line:col").
func LearnC(funcs []*flow.Func, structs CStructs, rs *rules.Set) []*rules.TaggedField {
	env := newCEnv(funcs, structs)
	type key struct{ s, f string }
	learned := map[key]*rules.TaggedField{}
	var order []key
	add := func(k key, mask string, at flow.Pos) *rules.TaggedField {
		if t, ok := learned[k]; ok {
			return t
		}
		t := &rules.TaggedField{Lang: rules.C, Struct: k.s, Field: k.f, Mask: mask,
			Owner: slices.Clone(rs.Owners(k.s))}
		if at.IsValid() {
			t.Learned = at.String()
		}
		learned[k] = t
		order = append(order, k)
		return t
	}
	scope := map[key]*cScope{}
	// Read at the first tag write: most directories write none.
	var callers map[string][]string
	var words map[string]bool
	for _, f := range funcs {
		cEvents(f, func(_ *flow.Block, ev *flow.Event) {
			for _, tw := range rules.TagWrites(ev.X) {
				if callers == nil {
					callers, words = cCallerFiles(funcs), cPointerWords(funcs, env)
				}
				s := env.fieldStruct(f, tw.Field)
				if s == "" || !env.tagsPointer(f, s, tw, words) {
					continue
				}
				k := key{s, tw.Field.Name}
				t := add(k, cText(tw.Mask), cPos(tw.Node, ev))
				if tw.Set {
					if scope[k] == nil {
						scope[k] = &cScope{}
					}
					scope[k].add(f, tw, callers)
					t.Setters = cAppendOnce(t.Setters, f.Name)
				} else {
					t.Clearers = cAppendOnce(t.Clearers, f.Name)
				}
			}
		})
	}
	known := func(s, fld string) bool {
		if _, ok := learned[key{s, fld}]; ok {
			return true
		}
		for _, t := range rs.Tagged() {
			if t.Lang != rules.Go && t.Struct == s && t.Field == fld {
				return true
			}
		}
		return false
	}
	for _, f := range funcs {
		cEvents(f, func(_ *flow.Block, ev *flow.Event) {
			if ev.Kind != flow.EvReturn {
				return
			}
			fld, mask := cUntagged(f, ev.X)
			if fld == nil {
				return
			}
			s := env.fieldStruct(f, fld)
			if s == "" || !known(s, fld.Name) {
				return
			}
			t := add(key{s, fld.Name}, cText(mask), flow.Pos{})
			t.Accessors = cAppendOnce(t.Accessors, f.Name)
		})
	}
	out := make([]*rules.TaggedField, 0, len(order))
	for _, k := range order {
		t := learned[k]
		if sc := scope[k]; sc != nil && !sc.global && !isGlobalTagged(rs, k.s, k.f) {
			t.Scope = sc.files
		}
		rs.AddTagged(t)
		out = append(out, t)
	}
	return out
}

// cUntagged matches e against X->f & ~MASK under casts and read
// accessors, X->f possibly read into a local of f first; it returns the
// field read and the mask.
func cUntagged(f *flow.Func, e *flow.Expr) (fld, mask *flow.Expr) {
	e = flow.Strip(e)
	if e == nil || e.Op != flow.OpBinary || e.Name != "&" {
		return nil, nil
	}
	for i := 0; i < 2; i++ {
		word, m := e.Arg(i), flow.Strip(e.Arg(1-i))
		if m == nil || m.Op != flow.OpUnary || m.Name != "~" {
			continue
		}
		if r := rules.ReadOf(word); r != nil {
			return r, m.Arg(0)
		}
		if w := flow.Strip(word); w != nil && w.Op == flow.OpIdent {
			if r := cOnlyDef(f, w.Name); r != nil {
				return r, m.Arg(0)
			}
		}
	}
	return nil, nil
}

// cOnlyDef returns the field read assigned to local name when that is the
// only assignment to it in f.
func cOnlyDef(f *flow.Func, name string) *flow.Expr {
	var def *flow.Expr
	n := 0
	cEvents(f, func(_ *flow.Block, ev *flow.Event) {
		flow.Walk(ev.X, func(x *flow.Expr) bool {
			if x.Op == flow.OpAssign {
				if l := flow.Strip(x.Arg(0)); l != nil && l.Op == flow.OpIdent && l.Name == name {
					n++
					def = rules.ReadOf(x.Arg(1))
				}
			}
			return true
		})
	})
	if n != 1 {
		return nil
	}
	return def
}

// cScope gathers the files whose code sees the instances of a field that
// its setters tag: a static setter's own file; a setter of other linkage
// that tags its parameter's field, its own file and its callers' (the
// instances are theirs: mm's __SetPageMovable tags the pages of
// zsmalloc and the balloon, not the page cache's). A setter in a header,
// or one whose instances come from callers out of view, tags the field
// wherever it is read.
type cScope struct {
	files  []string
	global bool
}

func (sc *cScope) add(f *flow.Func, tw rules.TagWrite, callers map[string][]string) {
	if sc.global {
		return
	}
	if strings.HasSuffix(f.File, ".h") {
		sc.global = true
		return
	}
	sc.files = cAppendOnce(sc.files, f.File)
	if f.Static {
		return
	}
	base := flow.Strip(tw.Field.Arg(0))
	files := callers[f.Name]
	if base == nil || base.Op != flow.OpIdent || f.ParamIndex(base.Name) < 0 || len(files) == 0 {
		sc.global = true
		return
	}
	for _, file := range files {
		if strings.HasSuffix(file, ".h") {
			sc.global = true
			return
		}
		sc.files = cAppendOnce(sc.files, file)
	}
}

// cCallerFiles maps each function called in funcs to the files of its
// callers.
func cCallerFiles(funcs []*flow.Func) map[string][]string {
	out := map[string][]string{}
	for _, f := range funcs {
		cEvents(f, func(_ *flow.Block, ev *flow.Event) {
			for _, call := range flow.Calls(ev.X) {
				out[call.Name] = cAppendOnce(out[call.Name], f.File)
			}
		})
	}
	return out
}

func cAppendOnce(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// isGlobalTagged reports whether a rule pack already declares the field
// tagged: a declared field is tagged wherever it is read.
func isGlobalTagged(rs *rules.Set, s, fld string) bool {
	for _, t := range rs.Tagged() {
		if t.Lang != rules.Go && t.Struct == s && t.Field == fld && t.Learned == "" {
			return true
		}
	}
	return false
}
