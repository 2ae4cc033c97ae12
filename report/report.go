// Package report holds what every check produces — a Finding with its
// path and fix — and writes findings in the formats people and tools read:
// go vet style text, JSON (its contract in docs/usage.md), and SARIF.
package report

import (
	"cmp"
	"slices"
)

// Related is one step of the path that leads to a finding.
type Related struct {
	File    string `json:"file"`
	FileRaw []byte `json:"file_raw,omitempty"` // set by WriteJSON; see Finding.FileRaw
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// Fix is a mechanical replacement on one line.
type Fix struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Old  string `json:"old"`
	New  string `json:"new"`
}

// Finding is one report.
type Finding struct {
	Rule string `json:"rule"`
	File string `json:"file"`
	// FileRaw holds File's bytes (base64 in JSON) when File is not valid
	// UTF-8, which JSON cannot carry; WriteJSON sets it.
	FileRaw  []byte    `json:"file_raw,omitempty"`
	Line     int       `json:"line"`
	Column   int       `json:"column"`
	Function string    `json:"function"`
	Message  string    `json:"message"`
	Related  []Related `json:"related,omitempty"`
	Fix      *Fix      `json:"fix,omitempty"`
	// Group gathers findings a text report summarizes in one line (the
	// readers of one newly tagged field); empty for most findings.
	Group string `json:"-"`
	// Code is the normalized text of the reported line, used for baselines.
	Code string `json:"-"`
}

// Stats is what a run saw.
type Stats struct {
	Files             int `json:"files"`
	Lines             int `json:"lines"`
	Functions         int `json:"functions"`
	FunctionsDegraded int `json:"functions_degraded"`
	FunctionsSkipped  int `json:"functions_skipped"` // left unparsed: they cannot take part in what is checked
	UnseenGaps        int `json:"unseen_gaps"`
	// Unjudged lists the locks a patch's change touches that could not be
	// judged: held into lines the patch does not show, or in a function
	// the walk gave up on. A clean result says nothing about them.
	Unjudged []Unjudged `json:"unjudged"`
	// Skipped counts the files not checked: over --max-file, unreadable,
	// or not C (binary data).
	Skipped int `json:"files_skipped"`
}

// Unjudged is one lock the change touches that was not checked: where it
// is taken, in which function, and why it was not judged.
type Unjudged struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Function string `json:"function"`
	Why      string `json:"why"`
}

// Sort orders findings by file, line, column, rule and message, so that
// the same input always gives the same output.
func Sort(fs []Finding) {
	slices.SortStableFunc(fs, Compare)
}

// Compare is the order of Sort.
func Compare(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.File, b.File),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Column, b.Column),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Message, b.Message),
	)
}

// Dedup removes findings identical in rule, place and message; fs must be
// sorted.
func Dedup(fs []Finding) []Finding {
	return slices.CompactFunc(fs, Same)
}

// Same reports whether a and b are the same finding: rule, place and
// message.
func Same(a, b Finding) bool {
	return a.Rule == b.Rule && a.File == b.File && a.Line == b.Line && a.Column == b.Column && a.Message == b.Message
}
