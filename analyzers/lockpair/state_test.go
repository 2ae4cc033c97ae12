package lockpair

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// keyLeavesOut lists the state fields key() leaves out on purpose, with
// the reason: a field that is neither in key() nor here fails the test,
// so a new field is a decision, not an accident.
var keyLeavesOut = map[string]string{
	"trail":       "the first path to reach a state speaks for all",
	"masks":       "they only prune; keeping them split the walk",
	"passed":      "only refines what an exit says; keeping it multiplied the states",
	"changed":     "only refines what a guard says; keeping it multiplied the states",
	"flagged":     "only stops what a function takes from being summarised (flagTest)",
	"freedUnseen": "only a release the patch removes asks (removedRelease); rare, and only after unseen lines",
	"shared":      "which maps are shared with a clone: bookkeeping, not what the path knows",
}

// heldKeyLeavesOut lists the held fields lockKey leaves out on purpose.
var heldKeyLeavesOut = map[string]string{
	"mode":         "the acquire site (site) fixes it",
	"pair":         "the acquire site (site) fixes it",
	"call":         "the acquire site (site) fixes it",
	"orig":         "a spelling for messages; res is the lock",
	"pendingRel":   "reported at the exit of the path that set it; the path that merges into it reports its own",
	"pendingFreed": "goes with pendingRel",
}

// TestHeldKey: every field of held is part of lockKey or listed in
// heldKeyLeavesOut.
func TestHeldKey(t *testing.T) {
	used := map[string]bool{}
	for _, d := range stateDecls(t) {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "lockKey" {
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok {
					if id, ok := sel.X.(*ast.Ident); ok && id.Name == "h" {
						used[sel.Sel.Name] = true
					}
				}
				return true
			})
		}
	}
	ht := reflect.TypeOf(held{})
	for i := 0; i < ht.NumField(); i++ {
		name := ht.Field(i).Name
		if _, out := heldKeyLeavesOut[name]; used[name] == out {
			t.Errorf("held.%s: in lockKey %v, listed in heldKeyLeavesOut %v: want exactly one", name, used[name], out)
		}
	}
}

// TestStateCloneAndKey: clone copies every slice of state (the maps are
// shared until written, see TestStateCloneSharesMaps), and every field is
// part of key() or listed in keyLeavesOut.
func TestStateCloneAndKey(t *testing.T) {
	uses := map[string]map[string]bool{"clone": {}, "key": {}, "spansKey": {}, "lockKey": {}}
	for _, d := range stateDecls(t) {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv == nil || uses[fd.Name.Name] == nil {
			continue
		}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "s" {
					uses[fd.Name.Name][sel.Sel.Name] = true
				}
			}
			return true
		})
	}
	st := reflect.TypeOf(state{})
	for i := 0; i < st.NumField(); i++ {
		name := st.Field(i).Name
		if st.Field(i).Type.Kind() == reflect.Slice && !uses["clone"][name] {
			t.Errorf("state.clone does not copy %s", name)
		}
		inKey := uses["key"][name] || uses["spansKey"][name] || uses["lockKey"][name]
		if _, out := keyLeavesOut[name]; inKey == out {
			t.Errorf("state.%s: in key() %v, listed in keyLeavesOut %v: want exactly one", name, inKey, out)
		}
	}

	// and the copy is equal, field by field, for a state with every field set
	s := &state{}
	fill(reflect.ValueOf(s).Elem(), 0)
	c := s.clone()
	for i := 0; i < st.NumField(); i++ {
		a, b := reflect.ValueOf(s).Elem().Field(i), reflect.ValueOf(c).Elem().Field(i)
		if !reflect.DeepEqual(settable(a).Interface(), settable(b).Interface()) {
			t.Errorf("state.clone: %s differs", st.Field(i).Name)
		}
	}
}

// TestStateCloneSharesMaps: a clone and its original share their maps
// until one writes, and then neither sees the other's write or delete;
// a delete of what is not there copies nothing.
func TestStateCloneSharesMaps(t *testing.T) {
	s := &state{}
	own(s, mReleased, &s.released)["a"] = release{site: "1"}
	own(s, mConsts, &s.consts)["x"] = retZero
	c := s.clone()
	if reflect.ValueOf(c.released).Pointer() != reflect.ValueOf(s.released).Pointer() {
		t.Error("clone copied a map nothing wrote to")
	}
	drop(c, mConsts, &c.consts, "nothing")
	if reflect.ValueOf(c.consts).Pointer() != reflect.ValueOf(s.consts).Pointer() {
		t.Error("a delete of a missing key copied the map")
	}
	own(c, mReleased, &c.released)["b"] = release{site: "2"}
	drop(c, mConsts, &c.consts, "x")
	own(s, mAlias, &s.alias)["p"] = "q"
	if _, ok := s.released["b"]; ok || len(s.released) != 1 {
		t.Errorf("the clone's write reached the original: %v", s.released)
	}
	if _, ok := s.consts["x"]; !ok {
		t.Error("the clone's delete reached the original")
	}
	if len(c.released) != 2 || len(c.consts) != 0 || len(c.alias) != 0 {
		t.Errorf("clone: released %v, consts %v, alias %v", c.released, c.consts, c.alias)
	}
	// the original, shared too, copies before it writes
	own(s, mReleased, &s.released)["c"] = release{site: "3"}
	if _, ok := c.released["c"]; ok {
		t.Error("the original's write reached the clone")
	}
}

// TestStateMapsWrittenThroughOwn: no code of the package writes to or
// deletes from a map of a state (always named s) but through own and
// drop, which copy a map a clone shares; a direct write would change the
// other path's state too.
func TestStateMapsWrittenThroughOwn(t *testing.T) {
	maps := map[string]bool{}
	st := reflect.TypeOf(state{})
	for i := 0; i < st.NumField(); i++ {
		if st.Field(i).Type.Kind() == reflect.Map {
			maps[st.Field(i).Name] = true
		}
	}
	stateMap := func(e ast.Expr) bool {
		if ix, ok := e.(*ast.IndexExpr); ok {
			e = ix.X
		}
		sel, ok := e.(*ast.SelectorExpr)
		if !ok {
			return false
		}
		id, ok := sel.X.(*ast.Ident)
		return ok && id.Name == "s" && maps[sel.Sel.Name]
	}
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for _, l := range n.Lhs {
					if _, ok := l.(*ast.IndexExpr); ok && stateMap(l) {
						t.Errorf("%s: a state's map written directly", fset.Position(l.Pos()))
					}
				}
			case *ast.IncDecStmt:
				if stateMap(n.X) {
					t.Errorf("%s: a state's map written directly", fset.Position(n.Pos()))
				}
			case *ast.CallExpr:
				if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "delete" && len(n.Args) > 0 && stateMap(n.Args[0]) {
					t.Errorf("%s: delete from a state's map directly", fset.Position(n.Pos()))
				}
			}
			return true
		})
	}
}

// stateDecls are the declarations of state.go and spans.go (spansKey).
func stateDecls(t *testing.T) []ast.Decl {
	var out []ast.Decl
	for _, name := range []string{"state.go", "spans.go"} {
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, f.Decls...)
	}
	return out
}

// settable makes an unexported field readable and writable.
func settable(v reflect.Value) reflect.Value {
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}

// fill sets v to a non-zero value: one element in every slice and map.
func fill(v reflect.Value, depth int) {
	v = settable(v)
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(true)
	case reflect.String:
		v.SetString("x")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), depth+1)
		v.Set(s)
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			fill(v.Index(i), depth+1)
		}
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, depth+1)
		fill(e, depth+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Pointer:
		if depth < 3 {
			p := reflect.New(v.Type().Elem())
			fill(p.Elem(), depth+1)
			v.Set(p)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			fill(v.Field(i), depth+1)
		}
	}
}

// TestFieldAlias: a lock reached through a field that holds a copy is
// spelled through what was copied; of two copies the path starts with,
// the longer, more precise one is taken (the choice once followed the
// map's order), and a cut that is not at "->" or "." is no match.
func TestFieldAlias(t *testing.T) {
	s := &state{alias: map[string]string{"dio->inode": "inode", "dio->inode->i_mapping": "mapping", "dio->in": "bad", "p": "q"}}
	for _, c := range []struct{ res, p, a string }{
		{"dio->inode->i_mapping->i_lock", "dio->inode->i_mapping", "mapping"},
		{"&dio->inode->i_lock", "dio->inode", "inode"},
		{"dio->inode", "dio->inode", "inode"},
		{"dio->inode.i_lock", "dio->inode", "inode"},
		{"dio->inodes->lock", "", ""},
		{"p->lock", "", ""}, // a plain local is canon's first step, not a field
	} {
		for range 10 {
			if p, a := s.fieldAlias(c.res); p != c.p || a != c.a {
				t.Fatalf("fieldAlias(%q) = %q, %q; want %q, %q", c.res, p, a, c.p, c.a)
			}
		}
	}
	if got := s.canon("dio->inode->i_mapping->i_lock"); got != "mapping->i_lock" {
		t.Errorf("canon = %q, want mapping->i_lock", got)
	}
}
