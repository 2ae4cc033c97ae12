package lockpair

import (
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/rules"
)

// Copies of pointers and tested equalities: one lock under several names
// along a path (C; Go keeps its names exact).

// canon spells res through the paths its locals were copied from.
func (s *state) canon(res string) string {
	if len(s.alias) == 0 {
		return res
	}
	for n := 0; n < 4; n++ {
		root := rootIdent(res)
		if a, ok := s.alias[root]; ok {
			res = replaceRoot(res, root, a)
			continue
		}
		if p, a := s.fieldAlias(res); p != "" {
			i := strings.Index(res, p)
			res = res[:i] + a + res[i+len(p):]
			continue
		}
		break
	}
	return res
}

// fieldAlias finds a copy stored in a field (dio->inode = inode) that res
// is reached through: the path p it starts with, and what p holds. The
// candidates are res cut before each "->" or "." and res whole, looked
// up directly rather than by a pass over every copy (canon runs for every
// lock of every state); when several are copies, the longest, the most
// precise, is taken, whatever the map's order.
func (s *state) fieldAlias(res string) (string, string) {
	if len(s.alias) == 0 {
		return "", ""
	}
	body := strings.TrimLeft(res, "&*")
	first := strings.IndexAny(body, ".>") // a cut holds a field access when it reaches past this
	for i := len(body); i > 0; i-- {
		if i < len(body) && body[i] != '.' && !strings.HasPrefix(body[i:], "->") {
			continue
		}
		p := body[:i]
		if first < 0 || first >= i {
			break // nor does any shorter cut
		}
		if a, ok := s.alias[p]; ok {
			return p, a
		}
	}
	return "", ""
}

// replaceRoot replaces the first identifier of k, root, by repl. An
// address replaces as the key spells it: with repl &a->b, root->c is
// a->b.c.
func replaceRoot(k, root, repl string) string {
	i := 0
	for i < len(k) && !isIdentByte(k[i]) {
		i++
	}
	if !strings.HasPrefix(k[i:], root) {
		return k
	}
	rest := k[i+len(root):]
	if strings.HasPrefix(repl, "&") && strings.HasPrefix(rest, "->") {
		return k[:i] + repl[1:] + "." + rest[2:]
	}
	if strings.HasPrefix(repl, "&") && strings.HasSuffix(k[:i], "*") {
		return k[:i-1] + repl[1:] + rest // *p with p = &x is x
	}
	return k[:i] + repl + rest
}

// aliasPath is the key of rhs when it is a plain path (a local, a field
// chain, a dereference) that does not mention name: what name = rhs
// makes name a copy of.
func aliasPath(rs *rules.Set, name string, rhs *flow.Expr) string {
	r := flow.Strip(rhs)
	if r == nil {
		return ""
	}
	if r.Op == flow.OpUnary && r.Name == "&" {
		// rtm = &rwb->rtmutex: rtm->wait_lock is rwb->rtmutex.wait_lock.
		if a := aliasPath(rs, name, r.Arg(0)); a != "" && !strings.HasPrefix(a, "&") {
			return "&" + a
		}
		return ""
	}
	if r.Op == flow.OpCall {
		// An accessor of one path (nlk = nlk_sk(sk), sbi = EXT4_SB(sb),
		// ci = ceph_inode(inode)) gives the same object each time; an
		// allocator or an iterator does not.
		if len(r.Args) != 1 || !accessorName(rs, r.Name) {
			return ""
		}
		if a := aliasPath(rs, name, r.Args[0]); a != "" {
			return r.Name + "(" + a + ")"
		}
		return ""
	}
	plain := true
	flow.Walk(r, func(e *flow.Expr) bool {
		switch {
		case e.Op == flow.OpIdent, e.Op == flow.OpField:
		case e.Op == flow.OpUnary && e.Name == "*":
		case e.Op == flow.OpCast:
		default:
			plain = false
		}
		return plain
	})
	k := r.Key()
	if !plain || k == "" || mentions(k, name) {
		return ""
	}
	return k
}

// pointerLocal reports whether name is a local declared as a pointer: an
// accessor call copied into it names an object; into an int, a status.
func (w *walker) pointerLocal(name string) bool {
	t, ok := w.f.Locals[name]
	return ok && strings.Contains(t, "*")
}

// accessorName reports whether a one-argument function looks like an
// accessor rather than something that makes or finds a new object.
func accessorName(rs *rules.Set, fn string) bool {
	return fn != "" && !strings.ContainsAny(fn, ".>(") && !rs.Maker(fn)
}

// rescue renames the held locks reached through name, which is about to
// be assigned, to another spelling of the same path, if the path has one
// (this_parent = dentry; ...; dentry = next: dentry's lock is now
// this_parent's).
func (w *walker) rescue(s *state, name string) {
	if len(s.alias) == 0 {
		return
	}
	other := ""
	for v, a := range s.alias {
		if a == name && (other == "" || v < other) {
			other = v
		}
	}
	if other == "" {
		other = s.alias[name]
	}
	if other == "" {
		return
	}
	moved := false
	for i := range s.held {
		h := &s.held[i]
		if !h.why.has(unknownOrigin) && rootIdent(h.res) == name {
			if h.orig == "" {
				h.orig = h.res
			}
			h.res = replaceRoot(h.res, name, other)
			moved = true
		}
	}
	// What was locked through a pointer is not NULL, under its new name
	// too.
	if moved && w.tested[other] && !w.assignedFlag(s, other) {
		s.facts = append(s.facts, fact{key: other, truth: true})
	}
}

// equality returns the two locals a condition says are equal on this
// edge: a == b taken, a != b not taken.
func equality(rs *rules.Set, c *flow.Expr, value bool) (string, string, bool) {
	for {
		c = flow.Strip(c)
		switch {
		case c == nil:
			return "", "", false
		case c.Op == flow.OpUnary && c.Name == "!":
			c, value = c.Arg(0), !value
			continue
		case hint(rs, c):
			c = c.Args[0]
			continue
		}
		break
	}
	if c.Op != flow.OpBinary || (c.Name == "==") != value || c.Name != "==" && c.Name != "!=" {
		return "", "", false
	}
	a, b := flow.Strip(c.Arg(0)), flow.Strip(c.Arg(1))
	if a == nil || b == nil || a.Op != flow.OpIdent || b.Op != flow.OpIdent || a.Name == b.Name {
		return "", "", false
	}
	return a.Name, b.Name, true
}

// rootOfHeld reports whether one of the names reaches a held lock: only
// then does their equality matter, and only then is it kept (every other
// a == b would split the walk for nothing).
func (w *walker) rootOfHeld(s *state, names ...string) bool {
	for _, h := range s.held {
		if h.why.has(unknownOrigin) {
			continue
		}
		root := rootIdent(objectPath(h.res))
		for _, n := range names {
			if root == n || s.alias[n] != "" && rootIdent(s.alias[n]) == root || s.alias[root] != "" && rootIdent(s.alias[root]) == n {
				return true
			}
		}
	}
	return false
}

// objectPath is the path of what a resource is held in: a lock's own
// path, or the field whose tag bits it is.
func objectPath(res string) string {
	if field, ok := rules.TaggedFieldOf(res); ok {
		return field
	}
	return res
}

// isTagBits reports whether res is the tag bits of a field.
func isTagBits(res string) bool {
	_, ok := rules.TaggedFieldOf(res)
	return ok
}

// hint reports whether c is a branch hint (likely(x)), whose value is its
// one argument's.
func hint(rs *rules.Set, c *flow.Expr) bool {
	return c.Op == flow.OpCall && len(c.Args) == 1 && rs.BranchHint(c.Name)
}

// errorTest reports whether c tests its one argument for an error
// pointer (IS_ERR(p)).
func errorTest(rs *rules.Set, c *flow.Expr) bool {
	if c.Op != flow.OpCall || len(c.Args) != 1 {
		return false
	}
	_, ok := rs.ErrorTest(c.Name)
	return ok
}
