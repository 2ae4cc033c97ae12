package taggedptr

import (
	"slices"
	"strconv"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/report"
	"github.com/tagcheck/tagcheck/rules"
)

// cField is one tagged C field with everything the rule packs and the
// learned rules say about it, merged (a pack may name the field and the
// patch teach its accessor).
type cField struct {
	Struct, Field, Mask string
	Accessors           []string
	Setters             []string
	Clearers            []string
	Owners              []string
	Learned             []flow.Pos // the tag writes that made it tagged
	// Scope: the files whose code sees the tagged instances (nil for
	// everywhere); merged is set once a first rule has spoken.
	Scope  []string
	merged bool
}

func (f *cField) name() string { return f.Struct + "." + f.Field }

// exempt reports whether fn is one of the field's own helpers, which
// handle the raw word on purpose.
func (f *cField) exempt(fn string) bool {
	return slices.Contains(f.Accessors, fn) || slices.Contains(f.Setters, fn) || slices.Contains(f.Clearers, fn)
}

func (f *cField) merge(t *rules.TaggedField) {
	if f.Mask == "" {
		f.Mask = t.Mask
	}
	if !f.merged {
		f.Scope, f.merged = t.Scope, true
	} else if !slices.Equal(f.Scope, t.Scope) {
		f.Scope = nil // tagged in two places: everywhere
	}
	for _, a := range t.Accessors {
		f.Accessors = cAppendOnce(f.Accessors, a)
	}
	for _, a := range t.Setters {
		f.Setters = cAppendOnce(f.Setters, a)
	}
	for _, a := range t.Clearers {
		f.Clearers = cAppendOnce(f.Clearers, a)
	}
	for _, a := range t.Owner {
		f.Owners = cAppendOnce(f.Owners, a)
	}
	if p, ok := cParsePos(t.Learned); ok && !slices.Contains(f.Learned, p) {
		f.Learned = append(f.Learned, p)
	}
}

// cFieldSet builds the C tagged fields in force: every C field of rs, or,
// when only is not nil, just those (merged with what rs says about them).
func cFieldSet(rs *rules.Set, only []*rules.TaggedField) map[string]*cField {
	out := map[string]*cField{}
	want := map[string]bool{}
	for _, t := range only {
		want[t.Struct+"."+t.Field] = true
	}
	add := func(t *rules.TaggedField) {
		if t.Lang == rules.Go {
			return
		}
		k := t.Struct + "." + t.Field
		if only != nil && !want[k] {
			return
		}
		f := out[k]
		if f == nil {
			f = &cField{Struct: t.Struct, Field: t.Field}
			out[k] = f
		}
		f.merge(t)
	}
	if rs != nil {
		for _, t := range rs.Tagged() {
			add(t)
		}
	}
	for _, t := range only {
		add(t)
	}
	for _, f := range out {
		if rs != nil {
			for _, o := range rs.Owners(f.Struct) {
				f.Owners = cAppendOnce(f.Owners, o)
			}
		}
	}
	return out
}

// cParsePos reads "file:line:col" (or "file:line").
func cParsePos(s string) (flow.Pos, bool) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 {
		return flow.Pos{}, false
	}
	n := len(parts)
	col := 0
	if c, err := strconv.Atoi(parts[n-1]); err == nil && n >= 3 {
		if l, err := strconv.Atoi(parts[n-2]); err == nil {
			return flow.Pos{File: strings.Join(parts[:n-2], ":"), Line: l, Col: c}, true
		}
	}
	l, err := strconv.Atoi(parts[n-1])
	if err != nil {
		return flow.Pos{}, false
	}
	return flow.Pos{File: strings.Join(parts[:n-1], ":"), Line: l, Col: col}, true
}

func cRelated(p flow.Pos, msg string) report.Related {
	return report.Related{File: p.File, Line: p.Line, Column: p.Col, Message: msg}
}
