package check

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/tagcheck/tagcheck/internal/limits"
	"github.com/tagcheck/tagcheck/internal/safefile"
	"github.com/tagcheck/tagcheck/report"
)

// A baseline records the findings a project has accepted, so that a run
// reports only new ones. An entry is keyed by what survives unrelated
// edits: the rule, the file, the function and the reported line's code
// with white space folded — never a line number — plus an occurrence
// index among the findings with the same key (in file order), so that a
// second identical mistake in one function is still new.

// BaselineVersion is the format version written to baseline files.
const BaselineVersion = 1

// BaselineEntry is one accepted finding.
type BaselineEntry struct {
	Rule       string `json:"rule"`
	File       string `json:"file"`
	Function   string `json:"function"`
	Code       string `json:"code"`
	Occurrence int    `json:"occurrence"`
}

// baselineJSON is an entry as written: a name or code that is not valid
// UTF-8 (a Latin-1 comment, a file name in another encoding) also goes in
// a *_raw field (base64), since JSON would turn its bytes into U+FFFD and
// the entry would never match again.
type baselineJSON struct {
	Rule        string `json:"rule"`
	RuleRaw     []byte `json:"rule_raw,omitempty"`
	File        string `json:"file"`
	FileRaw     []byte `json:"file_raw,omitempty"`
	Function    string `json:"function"`
	FunctionRaw []byte `json:"function_raw,omitempty"`
	Code        string `json:"code"`
	CodeRaw     []byte `json:"code_raw,omitempty"`
	Occurrence  int    `json:"occurrence"`
}

func (e BaselineEntry) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // code is C: "&dev->lock", not "\u0026dev-\u003elock"
	err := enc.Encode(baselineJSON{
		Rule: e.Rule, RuleRaw: report.RawBytes(e.Rule), File: e.File, FileRaw: report.RawBytes(e.File),
		Function: e.Function, FunctionRaw: report.RawBytes(e.Function),
		Code: e.Code, CodeRaw: report.RawBytes(e.Code), Occurrence: e.Occurrence,
	})
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), err
}

func (e *BaselineEntry) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var j baselineJSON
	if err := dec.Decode(&j); err != nil {
		return err
	}
	*e = BaselineEntry{Rule: orRaw(j.Rule, j.RuleRaw), File: orRaw(j.File, j.FileRaw), Function: orRaw(j.Function, j.FunctionRaw), Code: orRaw(j.Code, j.CodeRaw), Occurrence: j.Occurrence}
	return nil
}

func orRaw(s string, raw []byte) string {
	if raw != nil {
		return string(raw)
	}
	return s
}

// Baseline is the file --write-baseline writes and --baseline reads.
type Baseline struct {
	Tool     string          `json:"tool"`
	Version  int             `json:"version"`
	Findings []BaselineEntry `json:"findings"`
}

var spaceRE = regexp.MustCompile(`\s+`)
var digitsRE = regexp.MustCompile(`[0-9]+`)

// NormalizeCode folds white space runs to one blank and trims the ends.
func NormalizeCode(s string) string {
	return strings.TrimSpace(spaceRE.ReplaceAllString(s, " "))
}

// codeOf is the normalized code of a finding's line: Finding.Code when
// the check filled it, else the line from src; when the line is unseen,
// the message with its numbers blanked (they are line numbers).
func codeOf(f report.Finding, src func(string) report.Lines) string {
	if f.Code != "" {
		return NormalizeCode(f.Code)
	}
	if src != nil {
		if l, ok := src(f.File).Line(f.Line); ok {
			if c := NormalizeCode(l); c != "" {
				return c
			}
		}
	}
	return "message: " + digitsRE.ReplaceAllString(NormalizeCode(f.Message), "#")
}

// Keys returns the baseline entry of each finding of fs (in fs's order;
// occurrence indexes count in file, line and column order).
func Keys(fs []report.Finding, src func(string) report.Lines) []BaselineEntry {
	order := make([]int, len(fs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		x, y := fs[a], fs[b]
		return cmp.Or(cmp.Compare(x.File, y.File), cmp.Compare(x.Line, y.Line), cmp.Compare(x.Column, y.Column), cmp.Compare(x.Rule, y.Rule), cmp.Compare(x.Message, y.Message))
	})
	out := make([]BaselineEntry, len(fs))
	count := map[BaselineEntry]int{}
	for _, i := range order {
		f := fs[i]
		e := BaselineEntry{Rule: f.Rule, File: f.File, Function: f.Function, Code: codeOf(f, src)}
		e.Occurrence = count[e]
		count[e]++
		out[i] = e
	}
	return out
}

// Fingerprint is a short stable hash of an entry (SARIF's
// partialFingerprints).
func (e BaselineEntry) Fingerprint() string {
	h := sha256.Sum256(fmt.Appendf(nil, "%s\x00%s\x00%s\x00%s\x00%d", e.Rule, e.File, e.Function, e.Code, e.Occurrence))
	return hex.EncodeToString(h[:16])
}

// Fingerprints returns the fingerprint of each finding's baseline entry.
func Fingerprints(fs []report.Finding, src func(string) report.Lines) []string {
	out := make([]string, len(fs))
	for i, e := range Keys(fs, src) {
		out[i] = e.Fingerprint()
	}
	return out
}

// NewBaseline records fs.
func NewBaseline(fs []report.Finding, src func(string) report.Lines) *Baseline {
	es := Keys(fs, src)
	slices.SortFunc(es, func(a, b BaselineEntry) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Function, b.Function), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Code, b.Code), cmp.Compare(a.Occurrence, b.Occurrence))
	})
	es = slices.Compact(es)
	if es == nil {
		es = []BaselineEntry{}
	}
	return &Baseline{Tool: "tagcheck", Version: BaselineVersion, Findings: es}
}

// Marshal returns the baseline as indented JSON, the same bytes for the
// same findings.
func (b *Baseline) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(b); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteBaseline writes fs as a baseline file, atomically (a failed
// write leaves the old baseline whole), never through a symbolic link
// and never over one of inputs (the run's patches, rule packs, files).
func WriteBaseline(path string, fs []report.Finding, src func(string) report.Lines, inputs []string) error {
	data, err := NewBaseline(fs, src).Marshal()
	if err != nil {
		return err
	}
	if err := safefile.WriteFile(path, data, 0o644, inputs); err != nil {
		return fmt.Errorf("--write-baseline %s: %w", path, err)
	}
	return nil
}

// ReadBaseline reads a baseline file of at most max bytes (flag raises
// the cap).
func ReadBaseline(path string, max int64, flag string) (*Baseline, error) {
	data, err := limits.ReadFile(path, flag, max)
	var tooLarge *limits.TooLargeError
	if errors.As(err, &tooLarge) {
		return nil, fmt.Errorf("--baseline %w", err)
	}
	if err != nil {
		return nil, fmt.Errorf("--baseline %s: cannot read: %w", path, err)
	}
	return parseBaseline(path, data)
}

// parseBaseline reads a baseline's bytes; errors name path and line.
func parseBaseline(path string, data []byte) (*Baseline, error) {
	var b Baseline
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("--baseline %s: not a tagcheck baseline: %s", path, jsonMessage(data, err))
	}
	if dec.More() {
		return nil, fmt.Errorf("--baseline %s:%d: not a tagcheck baseline: more after the end of the object", path, lineAt(data, dec.InputOffset()))
	}
	if b.Tool != "tagcheck" || b.Version != BaselineVersion {
		return nil, fmt.Errorf("--baseline %s: not a tagcheck baseline of version %d (tool %q, version %d)", path, BaselineVersion, b.Tool, b.Version)
	}
	return &b, nil
}

// jsonMessage says what is wrong at which line, without Go's type names.
func jsonMessage(data []byte, err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("line %d: %s", lineAt(data, syn.Offset), syn.Error())
	case errors.As(err, &typ):
		return fmt.Sprintf("line %d: %s: a JSON %s where the format has another type", lineAt(data, typ.Offset), typ.Field, typ.Value)
	}
	msg, _, _ := strings.Cut(strings.TrimPrefix(err.Error(), "json: "), "\n")
	return msg
}

func lineAt(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return 1 + bytes.Count(data[:off], []byte{'\n'})
}

// Filter returns the findings of fs the baseline does not hold, in fs's
// order.
func (b *Baseline) Filter(fs []report.Finding, src func(string) report.Lines) []report.Finding {
	have := map[BaselineEntry]bool{}
	for _, e := range b.Findings {
		have[e] = true
	}
	keys := Keys(fs, src)
	var out []report.Finding
	for i, f := range fs {
		if !have[keys[i]] {
			out = append(out, f)
		}
	}
	return out
}
