package report

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
)

// TextOptions shape the go vet style text output.
type TextOptions struct {
	Terse bool // one line per finding, no path
	Color bool // ANSI colour (only on a terminal)
}

// WriteText writes findings go vet style: the finding on one line, the
// path that leads there indented under it, the fix last. Findings of one
// Group (every reader of a newly tagged field) get a one-line summary
// before them.
func WriteText(w io.Writer, fs []Finding, opt TextOptions) error {
	groups := map[string][]Finding{}
	for _, f := range fs {
		if f.Group != "" {
			groups[f.Group] = append(groups[f.Group], f)
		}
	}
	summarized := map[string]bool{}
	bold, dim, reset := "", "", ""
	if opt.Color {
		bold, dim, reset = "\x1b[1m", "\x1b[2m", "\x1b[0m"
	}
	for _, f := range fs {
		if f.Group != "" && !summarized[f.Group] && !opt.Terse {
			summarized[f.Group] = true
			g := groups[f.Group]
			files := map[string]bool{}
			for _, x := range g {
				files[x.File] = true
			}
			if _, err := fmt.Fprintf(w, "%s%s: %s is now tagged: %d sites in %d files read it raw%s\n", bold, f.Rule, OneLine(f.Group), len(g), len(files), reset); err != nil {
				return err
			}
		}
		if _, err := fmt.Fprintf(w, "%s%s:%d:%d: %s: %s%s\n", bold, DisplayPath(f.File), f.Line, f.Column, f.Rule, OneLine(f.Message), reset); err != nil {
			return err
		}
		if opt.Terse {
			continue
		}
		for _, r := range f.Related {
			if _, err := fmt.Fprintf(w, "    %s%s:%d:%d: %s%s\n", dim, DisplayPath(r.File), r.Line, r.Column, OneLine(r.Message), reset); err != nil {
				return err
			}
		}
		if f.Fix != nil {
			if _, err := fmt.Fprintf(w, "    fix: %s -> %s\n", OneLine(f.Fix.Old), OneLine(f.Fix.New)); err != nil {
				return err
			}
		}
	}
	return nil
}

// Output is the JSON contract, documented with an example in
// docs/usage.md ("JSON and SARIF").
type Output struct {
	Findings []Finding `json:"findings"`
	Stats    Stats     `json:"stats"`
	Notes    []string  `json:"notes,omitempty"`
	// Errors are the inputs that could not be checked; the findings are
	// those of the rest.
	Errors []string `json:"errors,omitempty"`
}

// WriteJSON writes one object: findings (never null), stats (with
// unjudged never null), notes and errors.
func WriteJSON(w io.Writer, out Output) error {
	if out.Findings == nil {
		out.Findings = []Finding{}
	}
	if out.Stats.Unjudged == nil {
		out.Stats.Unjudged = []Unjudged{}
	}
	out.Findings = withRawNames(out.Findings)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// withRawNames returns fs with FileRaw set where a file name is not
// valid UTF-8, copying only what changes.
func withRawNames(fs []Finding) []Finding {
	var out []Finding
	for i, f := range fs {
		raw := RawBytes(f.File) != nil
		for _, r := range f.Related {
			raw = raw || RawBytes(r.File) != nil
		}
		if !raw {
			continue
		}
		if out == nil {
			out = slices.Clone(fs)
		}
		f.FileRaw = RawBytes(f.File)
		f.Related = slices.Clone(f.Related)
		for j := range f.Related {
			f.Related[j].FileRaw = RawBytes(f.Related[j].File)
		}
		out[i] = f
	}
	if out == nil {
		return fs
	}
	return out
}

// Rules lists the rule IDs in a stable order (for SARIF's rule table).
func Rules(fs []Finding) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range fs {
		if !seen[f.Rule] {
			seen[f.Rule] = true
			out = append(out, f.Rule)
		}
	}
	sort.Strings(out)
	return out
}
