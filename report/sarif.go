package report

import (
	"encoding/json"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// SARIF 2.1.0 output (OASIS SARIF v2.1.0, errata 01). Only the objects
// and properties tagcheck fills are modelled; every one of them is
// written in a fixed order, so the same findings give the same bytes.

const (
	// SARIFSchema is the $schema tagcheck writes.
	SARIFSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	// SARIFVersion is the version property of the log.
	SARIFVersion = "2.1.0"
	// InformationURI is tool.driver.informationUri.
	InformationURI = "https://github.com/tagcheck/tagcheck"
)

func pascal(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if r == '-' || r == '_' || r == '/' || r == '.' {
			up = true
			continue
		}
		if up {
			r = []rune(strings.ToUpper(string(r)))[0]
			up = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// SARIF object model (the subset tagcheck writes). Field order is the
// output order.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool       sarifTool     `json:"tool"`
		ColumnKind string        `json:"columnKind"`
		Results    []sarifResult `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string       `json:"id"`
		Name                 string       `json:"name"`
		ShortDescription     sarifMessage `json:"shortDescription"`
		FullDescription      sarifMessage `json:"fullDescription"`
		Help                 sarifMessage `json:"help"`
		DefaultConfiguration sarifConfig  `json:"defaultConfiguration"`
	}
	sarifConfig struct {
		Level string `json:"level"`
	}
	sarifMessage struct {
		Text string `json:"text"`
	}
	sarifResult struct {
		RuleID           string          `json:"ruleId"`
		RuleIndex        int             `json:"ruleIndex"`
		Level            string          `json:"level"`
		Message          sarifMessage    `json:"message"`
		Locations        []sarifLocation `json:"locations"`
		RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
		CodeFlows        []sarifCodeFlow `json:"codeFlows,omitempty"`
		Fixes            []sarifFix      `json:"fixes,omitempty"`
		// PartialFingerprints lets code-scanning services follow a result
		// across unrelated edits (the same key as --baseline).
		PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
	}
	sarifLocation struct {
		ID               *int                   `json:"id,omitempty"`
		PhysicalLocation sarifPhysical          `json:"physicalLocation"`
		LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
		Message          *sarifMessage          `json:"message,omitempty"`
	}
	sarifLogicalLocation struct {
		Name string `json:"name"`
		Kind string `json:"kind"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           sarifRegion   `json:"region"`
	}
	sarifArtifact struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
		EndLine     int `json:"endLine,omitempty"`
		EndColumn   int `json:"endColumn,omitempty"`
	}
	sarifCodeFlow struct {
		ThreadFlows []sarifThreadFlow `json:"threadFlows"`
	}
	sarifThreadFlow struct {
		Locations []sarifThreadFlowLocation `json:"locations"`
	}
	sarifThreadFlowLocation struct {
		Location sarifLocation `json:"location"`
	}
	sarifFix struct {
		Description     sarifMessage          `json:"description"`
		ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
	}
	sarifArtifactChange struct {
		ArtifactLocation sarifArtifact      `json:"artifactLocation"`
		Replacements     []sarifReplacement `json:"replacements"`
	}
	sarifReplacement struct {
		DeletedRegion   sarifRegion  `json:"deletedRegion"`
		InsertedContent sarifMessage `json:"insertedContent"`
	}
)

// SARIFOptions refine WriteSARIFWith.
type SARIFOptions struct {
	ToolVersion string
	// Source returns the lines of a file, none when the file is not
	// known. With it, byte columns become UTF-16
	// columns as SARIF counts them, and a fix's deleted region is found
	// on its line exactly; without it, a fix is placed at the finding's
	// column when it is on the finding's line, and left out otherwise.
	Source func(file string) Lines
	// Fingerprints, when set, holds one string per finding (in order):
	// the result's partialFingerprints entry "tagcheck/v1" (e.g. a hash
	// of the baseline key, which survives unrelated edits).
	Fingerprints []string
}

// WriteSARIF writes findings as a SARIF 2.1.0 log with one run.
func WriteSARIF(w io.Writer, fs []Finding, toolVersion string) error {
	return WriteSARIFWith(w, fs, SARIFOptions{ToolVersion: toolVersion})
}

// WriteSARIFWith writes findings as a SARIF 2.1.0 log with one run.
func WriteSARIFWith(w io.Writer, fs []Finding, opt SARIFOptions) error {
	ids := Rules(fs)
	index := map[string]int{}
	rulesOut := make([]sarifRule, 0, len(ids))
	for i, id := range ids {
		index[id] = i
		ri := Info(id)
		rulesOut = append(rulesOut, sarifRule{
			ID:                   id,
			Name:                 ri.Name,
			ShortDescription:     sarifMessage{ri.Short},
			FullDescription:      sarifMessage{ri.Full},
			Help:                 sarifMessage{ri.Help},
			DefaultConfiguration: sarifConfig{ri.Level},
		})
	}
	src := opt.Source
	if src == nil {
		src = func(string) Lines { return Lines{} }
	}
	cache := map[string]Lines{}
	lineOf := func(file string, n int) (string, bool) {
		ls, ok := cache[file]
		if !ok {
			ls = src(file)
			cache[file] = ls
		}
		return ls.Line(n)
	}
	col := func(file string, line, c int) int {
		if c <= 0 {
			return 0
		}
		if s, ok := lineOf(file, line); ok {
			return utf16Col(s, c)
		}
		return c
	}
	phys := func(file string, line, c int) sarifPhysical {
		return sarifPhysical{
			ArtifactLocation: artifact(file),
			Region:           sarifRegion{StartLine: max(line, 1), StartColumn: col(file, line, c)},
		}
	}

	results := make([]sarifResult, 0, len(fs))
	for i, f := range fs {
		r := sarifResult{
			RuleID:    f.Rule,
			RuleIndex: index[f.Rule],
			Level:     Info(f.Rule).Level,
			Message:   sarifMessage{f.Message},
		}
		loc := sarifLocation{PhysicalLocation: phys(f.File, f.Line, f.Column)}
		if f.Function != "" {
			loc.LogicalLocations = []sarifLogicalLocation{{Name: f.Function, Kind: "function"}}
		}
		r.Locations = []sarifLocation{loc}
		if len(f.Related) > 0 {
			var steps []sarifThreadFlowLocation
			for i, rel := range f.Related {
				id := i + 1
				msg := sarifMessage{rel.Message}
				l := sarifLocation{ID: &id, PhysicalLocation: phys(rel.File, rel.Line, rel.Column), Message: &msg}
				r.RelatedLocations = append(r.RelatedLocations, l)
				l.ID = nil
				steps = append(steps, sarifThreadFlowLocation{Location: l})
			}
			last := sarifMessage{f.Message}
			steps = append(steps, sarifThreadFlowLocation{Location: sarifLocation{PhysicalLocation: loc.PhysicalLocation, Message: &last}})
			r.CodeFlows = []sarifCodeFlow{{ThreadFlows: []sarifThreadFlow{{Locations: steps}}}}
		}
		if fx := sarifFixOf(f, lineOf); fx != nil {
			r.Fixes = []sarifFix{*fx}
		}
		if i < len(opt.Fingerprints) && opt.Fingerprints[i] != "" {
			r.PartialFingerprints = map[string]string{"tagcheck/v1": opt.Fingerprints[i]}
		}
		results = append(results, r)
	}
	log := sarifLog{
		Schema:  SARIFSchema,
		Version: SARIFVersion,
		Runs: []sarifRun{{
			Tool: sarifTool{Driver: sarifDriver{
				Name:           "tagcheck",
				Version:        opt.ToolVersion,
				InformationURI: InformationURI,
				Rules:          rulesOut,
			}},
			ColumnKind: "utf16CodeUnits",
			Results:    results,
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(log)
}

// sarifFixOf turns Finding.Fix into a SARIF fix: the old text on its line
// is deleted and the new text inserted in its place.
func sarifFixOf(f Finding, lineOf func(string, int) (string, bool)) *sarifFix {
	fx := f.Fix
	if fx == nil || fx.Old == "" || fx.Line < 1 {
		return nil
	}
	file := fx.File
	if file == "" {
		file = f.File
	}
	start := 0 // byte column, 1-based
	var text string
	if s, ok := lineOf(file, fx.Line); ok {
		text = s
		// Prefer the occurrence at the finding's column, else the first.
		if fx.Line == f.Line && f.Column > 0 && strings.HasPrefix(s[min(f.Column-1, len(s)):], fx.Old) {
			start = f.Column
		} else if i := strings.Index(s, fx.Old); i >= 0 {
			start = i + 1
		} else {
			return nil
		}
	} else if fx.Line == f.Line && f.Column > 0 && file == f.File {
		start = f.Column
	} else {
		return nil
	}
	startCol, endCol := start, start+len(fx.Old)
	if text != "" {
		startCol, endCol = utf16Col(text, start), utf16Col(text, start+len(fx.Old))
	}
	return &sarifFix{
		Description: sarifMessage{"Replace " + fx.Old + " with " + fx.New},
		ArtifactChanges: []sarifArtifactChange{{
			ArtifactLocation: artifact(file),
			Replacements: []sarifReplacement{{
				DeletedRegion:   sarifRegion{StartLine: fx.Line, StartColumn: startCol, EndLine: fx.Line, EndColumn: endCol},
				InsertedContent: sarifMessage{fx.New},
			}},
		}},
	}
}

// artifact is a file as SARIF names it: a relative URI reference against
// the source root, with forward slashes and reserved bytes escaped.
func artifact(file string) sarifArtifact {
	p := strings.ReplaceAll(file, "\\", "/")
	p = strings.TrimPrefix(p, "./")
	a := sarifArtifact{URI: escapePath(p)}
	if !strings.HasPrefix(p, "/") {
		a.URIBaseID = "%SRCROOT%"
	} else {
		a.URI = "file://" + a.URI
	}
	return a
}

// escapePath percent-encodes the bytes a URI path may not hold.
func escapePath(p string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("-._~/!$&'()*+,;=:@", c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// utf16Col converts a 1-based byte column on line s to a 1-based column
// in UTF-16 code units (SARIF's default columnKind). Columns past the end
// of the line keep their excess.
func utf16Col(s string, byteCol int) int {
	if byteCol <= 1 {
		return byteCol
	}
	n := byteCol - 1
	if n > len(s) {
		return utf16Len(s) + (n - len(s)) + 1
	}
	return utf16Len(s[:n]) + 1
}

func utf16Len(s string) int {
	n := 0
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		n += max(utf16.RuneLen(r), 1)
	}
	return n
}
