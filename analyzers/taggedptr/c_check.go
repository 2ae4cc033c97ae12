package taggedptr

import (
	"fmt"
	"math/bits"
	"sort"
	"strconv"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/report"
	"github.com/tagcheck/tagcheck/rules"
)

// COptions tunes CheckC.
type COptions struct {
	// Structs resolves field chains (file->f_owner...).
	Structs CStructs
	// Fields limits the untagged-deref search to these fields (nil: every
	// tagged field in rs).
	Fields []*rules.TaggedField
	// ReadersOnly reports only untagged-deref (the tree-wide reader
	// search).
	ReadersOnly bool
	// Stats, when not nil, receives what the checks saw.
	Stats *CStats
}

// CStats counts what CheckC searched and what it could not resolve.
type CStats struct {
	// Functions is the number of functions that touch a field spelled like
	// a tagged one and were searched for raw reads.
	Functions int
	// Unresolved counts accesses X->f or X.f spelled like a tagged field
	// whose X has no type the declarations in view give: they are not
	// reported (a field name alone does not say which struct it is in).
	Unresolved int
	// UnresolvedAt lists them, "file:line:col: text".
	UnresolvedAt []string
}

// CheckC reports taggedptr/foreign-write, taggedptr/racy-rmw and
// taggedptr/untagged-deref in funcs — all the functions in view:
// foreign-write looks at their call sites, and untagged-deref at which of
// their parameters they dereference.
func CheckC(funcs []*flow.Func, rs *rules.Set, opt COptions) []report.Finding {
	c := &cChecker{
		env:    newCEnv(funcs, opt.Structs),
		rs:     rs,
		opt:    opt,
		funcs:  funcs,
		fields: cFieldSet(rs, opt.Fields),
		unres:  map[string]bool{},
	}
	c.byName = map[string][]*cField{}
	for _, f := range c.fields {
		c.byName[f.Field] = append(c.byName[f.Field], f)
	}
	if !opt.ReadersOnly {
		for _, f := range funcs {
			c.tagWrites(f)
		}
	}
	if len(c.fields) > 0 {
		c.computeDerefs()
		for _, f := range funcs {
			c.readers(f)
		}
	}
	if opt.Stats != nil {
		opt.Stats.Functions += c.stats.Functions
		opt.Stats.Unresolved += len(c.stats.UnresolvedAt)
		sort.Strings(c.stats.UnresolvedAt)
		opt.Stats.UnresolvedAt = append(opt.Stats.UnresolvedAt, c.stats.UnresolvedAt...)
	}
	report.Sort(c.out)
	return report.Dedup(c.out)
}

type cChecker struct {
	env    *cEnv
	rs     *rules.Set
	opt    COptions
	funcs  []*flow.Func
	fields map[string]*cField   // "struct.field" -> field
	byName map[string][]*cField // field name -> fields of that name
	sites  map[string][]cSite   // callee -> its call sites in view
	derefs map[string][]bool    // function -> which parameters its body dereferences
	unres  map[string]bool
	// intWords are the fields, declared out of view, that tag writes
	// fill with an integer (w = (unsigned long)p | M, no pointer cast):
	// integer words like those whose unsigned long declaration is seen.
	intWords map[string]bool
	// What only a tag write asks of the functions in view, read at the
	// first (most directories write none; see writeIndex).
	indexed bool
	words   map[string]bool // integer fields converted to pointers (cPointerWords)
	atomic  map[string]bool // fields some code in view updates atomically
	stats   CStats
	out     []report.Finding
}

type cSite struct {
	caller *flow.Func
	call   *flow.Expr
	ev     *flow.Event
}

// writeIndex reads, once, what judging a tag write asks of every function
// in view: the call sites (owned), the integer words used as pointers
// (tagsPointer) and the fields updated atomically (racy). Three passes
// over every event of a directory for the few that write tag bits.
func (c *cChecker) writeIndex() {
	if c.indexed {
		return
	}
	c.indexed = true
	c.indexCalls()
	c.words = cPointerWords(c.funcs, c.env)
	c.atomic = cAtomicWords(c.funcs, c.env)
}

func (c *cChecker) indexCalls() {
	c.sites = map[string][]cSite{}
	for _, f := range c.funcs {
		cEvents(f, func(_ *flow.Block, ev *flow.Event) {
			for _, call := range flow.Calls(ev.X) {
				c.sites[call.Name] = append(c.sites[call.Name], cSite{f, call, ev})
			}
		})
	}
}

// tagged returns the tagged field that the access fld (X->f, X.f) reads,
// or nil; an access spelled like a tagged field whose X has no known type
// is counted as unresolved.
func (c *cChecker) tagged(f *flow.Func, fld *flow.Expr, ev *flow.Event) *cField {
	cands := c.byName[fld.Name]
	if len(cands) == 0 {
		return nil
	}
	s := c.env.fieldStruct(f, fld)
	if s == "" {
		p := cPos(fld, ev)
		k := fmt.Sprintf("%s: %s", p, cText(fld))
		if !c.unres[k] {
			c.unres[k] = true
			c.stats.UnresolvedAt = append(c.stats.UnresolvedAt, k)
		}
		return nil
	}
	for _, t := range cands {
		if t.Struct == s {
			return t
		}
	}
	return nil
}

// ---- foreign-write and racy-rmw ----

func (c *cChecker) tagWrites(f *flow.Func) {
	cEvents(f, func(_ *flow.Block, ev *flow.Event) {
		for _, tw := range rules.TagWrites(ev.X) {
			c.writeIndex()
			if !c.tagsTaggedField(f, tw) {
				continue
			}
			c.noteIntWord(f, tw)
			c.racy(f, ev, tw)
			c.foreign(f, ev, tw)
		}
	})
}

// tagsTaggedField reports whether tw writes tag bits into a tagged
// pointer field: a bitmap bit or a register word written in the same
// shape is not a tag. A field whose struct is not in view is judged by the
// shape of the write alone.
func (c *cChecker) tagsTaggedField(f *flow.Func, tw rules.TagWrite) bool {
	s := c.env.fieldStruct(f, tw.Field)
	if s == "" {
		return true
	}
	return c.fields[s+"."+tw.Field.Name] != nil && c.env.tagsPointer(f, s, tw, c.words)
}

// noteIntWord records s.f in c.intWords when tw stores a plain integer
// into it and its declaration is not in view.
func (c *cChecker) noteIntWord(f *flow.Func, tw rules.TagWrite) {
	s := c.env.fieldStruct(f, tw.Field)
	if s == "" || c.env.fieldType(s, tw.Field.Name) != "" || tw.Node.Op != flow.OpAssign || tw.Node.Name != "=" {
		return
	}
	for v := tw.Node.Arg(1); v != nil && v.Op == flow.OpCast; v = v.Arg(0) {
		if strings.Contains(v.Name, "*") {
			return
		}
	}
	if c.intWords == nil {
		c.intWords = map[string]bool{}
	}
	c.intWords[s+"."+tw.Field.Name] = true
}

func cVerb(set bool) string {
	if set {
		return "sets"
	}
	return "clears"
}

func cVia(tw rules.TagWrite) string {
	switch tw.Via {
	case "=":
		return "the plain store"
	case "|=", "&=":
		return "the plain " + tw.Via
	}
	return tw.Via + "()"
}

func (c *cChecker) racy(f *flow.Func, ev *flow.Event, tw rules.TagWrite) {
	if tw.SeparateRead == nil || strings.Contains(tw.Via, "cmpxchg") {
		// a cmpxchg lands only if the word still holds what was read
		return
	}
	at := cPos(tw.Node, ev)
	if plainRMW(tw) && !c.atomic[c.env.fieldStruct(f, tw.Field)+"."+tw.Field.Name] && c.serialized(f, at, 0) {
		// writers serialized by a lock, and none goes lock-free
		return
	}
	readAt := cPos(tw.SeparateRead, ev)
	place := cText(tw.Field)
	mask := cText(tw.Mask)
	bitop := "clear_bit"
	if tw.Set {
		bitop = "set_bit"
	}
	fix := fmt.Sprintf("%s(%s, (unsigned long *)&%s)", bitop, cBitIndex(mask), place)
	readWhere := "the same statement"
	if readAt.Line != at.Line || readAt.File != at.File {
		readWhere = fmt.Sprintf("line %d", readAt.Line)
	}
	msg := fmt.Sprintf("%s %s %s in %s with a value computed from a separate plain read of %s (%s): "+
		"a cmpxchg or xchg of %s by another CPU between the read and the write is silently undone; "+
		"%s the bit in one atomic step: a try_cmpxchg loop, or %s",
		cVia(tw), cVerb(tw.Set), mask, place, cText(tw.SeparateRead), readWhere, place, strings.TrimSuffix(cVerb(tw.Set), "s"), fix)
	c.out = append(c.out, report.Finding{
		Rule: report.RacyRMW, File: at.File, Line: at.Line, Column: at.Col, Function: f.Name,
		Message: msg,
		Related: []report.Related{cRelated(readAt, fmt.Sprintf("%s read here, outside the %s", cText(tw.SeparateRead), strings.TrimPrefix(cVia(tw), "the ")))},
	})
}

// cBitIndex turns a one-bit mask into the bit number set_bit wants.
func cBitIndex(mask string) string {
	m := strings.TrimRight(strings.ToLower(mask), "ul")
	if v, err := strconv.ParseUint(m, 0, 64); err == nil && v != 0 && v&(v-1) == 0 {
		return strconv.Itoa(bits.TrailingZeros64(v))
	}
	return "ilog2(" + mask + ")"
}

func (c *cChecker) foreign(f *flow.Func, ev *flow.Event, tw rules.TagWrite) {
	s := c.env.fieldStruct(f, tw.Field)
	if s == "" {
		return
	}
	owners := c.rs.Owners(s)
	if fld := c.fields[s+"."+tw.Field.Name]; fld != nil {
		owners = fld.Owners
	}
	if len(owners) == 0 {
		return
	}
	base := tw.Field.Arg(0)
	ok, why, bad := c.owned(f, base, owners, 0)
	if ok {
		return
	}
	at := cPos(tw.Node, ev)
	place := cText(tw.Field)
	owner := owners[0]
	effect := "so the bit set here sends the owner's own dereferences astray"
	if !tw.Set {
		effect = "so this store can undo or corrupt the owner's own update of the pointer"
	}
	msg := fmt.Sprintf("%s %s tag bits (%s) in %s of a %s that is not %s: only %s may write %s.%s; "+
		"the owner reads and replaces the pointer without the mask and without guarding against other writers, %s; %s",
		cVia(tw), cVerb(tw.Set), cText(tw.Mask), place, s, owner, owner, s, tw.Field.Name, effect, why)
	var rel []report.Related
	for _, b := range bad {
		p := cPos(b.call, b.ev)
		rel = append(rel, cRelated(p, fmt.Sprintf("%s calls %s with %s, which is not %s", b.caller.Name, cText(b.call), cText(b.call.Arg(b.arg)), owner)))
	}
	c.out = append(c.out, report.Finding{
		Rule: report.ForeignWrite, File: at.File, Line: at.Line, Column: at.Col, Function: f.Name,
		Message: msg, Related: rel,
	})
}

type cBadSite struct {
	cSite
	arg int
}

func cIsOwner(e *flow.Expr, owners []string) bool {
	k := flow.Strip(e).Key()
	for _, o := range owners {
		if k == o || k == strings.ReplaceAll(o, " ", "") {
			return true
		}
	}
	return false
}

// owned reports whether e, in f, is always one of owners: the owner
// expression itself, a local assigned only from it, or a parameter every
// caller in view passes an owned value for. why says, for the message,
// where e comes from when it is not; bad lists the call sites that pass
// something else.
func (c *cChecker) owned(f *flow.Func, e *flow.Expr, owners []string, depth int) (bool, string, []cBadSite) {
	e = flow.Strip(e)
	if e == nil {
		return false, "", nil
	}
	if cIsOwner(e, owners) {
		return true, "", nil
	}
	if e.Op != flow.OpIdent {
		return false, fmt.Sprintf("the object is reached through %s", cText(e)), nil
	}
	if i := f.ParamIndex(e.Name); i >= 0 {
		sites := c.sites[f.Name]
		if len(sites) == 0 {
			return false, fmt.Sprintf("%s is a parameter of %s and no caller in view shows that it is %s", e.Name, f.Name, owners[0]), nil
		}
		if depth > 3 {
			return false, fmt.Sprintf("%s is a parameter of %s", e.Name, f.Name), nil
		}
		var bad []cBadSite
		for _, s := range sites {
			a := s.call.Arg(i)
			if a == nil {
				bad = append(bad, cBadSite{s, i})
				continue
			}
			if ok, _, _ := c.owned(s.caller, a, owners, depth+1); !ok {
				bad = append(bad, cBadSite{s, i})
			}
		}
		if len(bad) == 0 {
			return true, "", nil
		}
		var names []string
		for _, b := range bad {
			names = append(names, fmt.Sprintf("%s(%s)", b.caller.Name, cText(b.call.Arg(i))))
		}
		return false, fmt.Sprintf("%s is a parameter of %s, and callers in view pass other tasks: %s", e.Name, f.Name, strings.Join(cUniq(names), ", ")), bad
	}
	// a local: owned when every assignment to it is from an owner
	var defs []*flow.Expr
	cEvents(f, func(_ *flow.Block, ev *flow.Event) {
		flow.Walk(ev.X, func(x *flow.Expr) bool {
			if x.Op == flow.OpAssign {
				if l := flow.Strip(x.Arg(0)); l != nil && l.Op == flow.OpIdent && l.Name == e.Name {
					defs = append(defs, x)
				}
			}
			return true
		})
	})
	for _, d := range defs {
		if d.Name != "=" || !cIsOwner(d.Arg(1), owners) {
			return false, fmt.Sprintf("%s comes from %s", e.Name, cText(d.Arg(1))), nil
		}
	}
	if len(defs) == 0 {
		return false, fmt.Sprintf("where %s comes from is not in view", e.Name), nil
	}
	return true, "", nil
}

func cUniq(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
