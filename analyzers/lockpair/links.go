package lockpair

import (
	"fmt"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/rules"
)

// A wrapper may name one lock through two of its parameters: after
// hfs_find_init(tree, fd), which sets fd->tree = tree and takes
// tree->tree_lock, the caller releases it with hfs_find_exit(fd), that
// is fd->tree->tree_lock. The wrapper's summary keeps such links so the
// caller can match the two names.

// paramLinks returns the links f makes between its parameters: stores
// of one parameter into a field of another ("$1->tree = $0").
func paramLinks(f *flow.Func) []string {
	var out []string
	for _, b := range f.Blocks {
		for _, ev := range b.Events {
			x := flow.Strip(ev.X)
			if x == nil || x.Op != flow.OpAssign || x.Name != "=" {
				continue
			}
			lhs, rhs := flow.Strip(x.Arg(0)), flow.Strip(x.Arg(1))
			if lhs == nil || rhs == nil || lhs.Op != flow.OpField || rhs.Op != flow.OpIdent {
				continue
			}
			obj := flow.Strip(lhs.Arg(0))
			if obj == nil || obj.Op != flow.OpIdent || !lhs.Arrow {
				continue
			}
			i, j := f.ParamIndex(obj.Name), f.ParamIndex(rhs.Name)
			if i < 0 || j < 0 || i == j {
				continue
			}
			l := fmt.Sprintf("$%d->%s = $%d", i, lhs.Name, j)
			if !contains(out, l) {
				out = append(out, l)
			}
		}
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// applyLinks records, after a call of p, the fields the callee pointed
// at other arguments, as copies the canonical names follow.
func (w *walker) applyLinks(s *state, p *rules.Pair, args []string) {
	for _, l := range p.Links {
		lhs, rhs, ok := strings.Cut(l, " = ")
		if !ok {
			continue
		}
		field, val := rules.Instantiate(lhs, args), rules.Instantiate(rhs, args)
		if field == "" || val == "" {
			continue
		}
		own(s, mAlias, &s.alias)[field] = val
		if w.linked == nil {
			w.linked = map[string]bool{}
		}
		w.linked[field] = true
	}
}

// linkedFields returns the links on fields of the local name: a later
// call handed &name (hfs_brec_find(&fd)) works with the search the
// wrapper set up; it does not re-point fd->tree.
func (w *walker) linkedFields(s *state, name string) map[string]string {
	var out map[string]string
	for k, v := range s.alias {
		if w.linked[k] && rootIdent(k) == name {
			if out == nil {
				out = map[string]string{}
			}
			out[k] = v
		}
	}
	return out
}

// resultKey returns where the call c's result is stored (d of
// d = get_foo_desc(id)), or "".
func resultKey(c *flow.Expr, ev *flow.Event) string {
	if ev == nil {
		return ""
	}
	x := flow.Strip(ev.X)
	if x == nil || x.Op != flow.OpAssign || x.Name != "=" || flow.Strip(x.Arg(1)) != c {
		return ""
	}
	k := flow.Strip(x.Arg(0)).Key()
	if strings.HasPrefix(k, "*") {
		return "" // *krcp = krc_this_cpu_lock(flags): the caller's variable, not ours to track
	}
	return k
}

// withResult spells the result in templates as dest; a template that
// names the result of a call whose result is not kept is dropped.
func withResult(templates []string, dest string) []string {
	var out []string
	for _, t := range templates {
		if !strings.Contains(t, rules.Result) {
			out = append(out, t)
		} else if dest != "" {
			out = append(out, strings.ReplaceAll(t, rules.Result, dest))
		}
	}
	return out
}
