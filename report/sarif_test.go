package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// The SARIF 2.1.0 JSON schema is not shipped with the repository nor with
// any Debian package reachable here, so this test checks, object by
// object, the properties the specification requires of what tagcheck
// emits (sarif-v2.1.0 §3.13 sarifLog … §3.57 replacement).

func sampleFindings() []Finding {
	return []Finding{
		{
			Rule: MismatchedRelease, File: "fs/proc_namespace.c", Line: 259, Column: 3,
			Function: "mounts_open_common",
			Message:  "task_unlock(task) releases task->alloc_lock but not the reader tag set by set_reader_nsproxy(task) at line 256; use clear_reader_nsproxy(task)",
			Related: []Related{
				{File: "fs/proc_namespace.c", Line: 256, Column: 2, Message: "set_reader_nsproxy(task) acquires task->alloc_lock and the tag bit of task->nsproxy"},
				{File: "fs/proc_namespace.c", Line: 258, Column: 2, Message: "taken: !nsp || !nsp->mnt_ns"},
			},
			Fix: &Fix{File: "fs/proc_namespace.c", Line: 259, Old: "task_unlock(task)", New: "clear_reader_nsproxy(task)"},
		},
		{
			Rule: Unreleased, File: "drivers/x y/ü.c", Line: 10, Column: 9,
			Function: "f", Message: "spin_lock(&l) still held at return",
		},
		{
			Rule: "custom/unknown-rule", File: "a.c", Line: 1, Column: 1, Message: "m",
		},
	}
}

// sampleSource holds the lines the sample findings point at, alone, as
// the post-image of a patch shows them.
func sampleSource(file string) Lines {
	var ls Lines
	switch file {
	case "drivers/x y/ü.c":
		ls.Append(10, "\t/* ü */ spin_lock(&l);")
	case "fs/proc_namespace.c":
		ls.Append(259, "\t\ttask_unlock(task);")
	}
	return ls
}

func writeSARIF(t *testing.T, fs []Finding, opt SARIFOptions) ([]byte, map[string]any) {
	t.Helper()
	var b bytes.Buffer
	if err := WriteSARIFWith(&b, fs, opt); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b.String())
	}
	return b.Bytes(), doc
}

func TestSARIFStructure(t *testing.T) {
	for _, withSource := range []bool{false, true} {
		t.Run(fmt.Sprint("source=", withSource), func(t *testing.T) {
			opt := SARIFOptions{ToolVersion: "v1.2.3"}
			if withSource {
				opt.Source = sampleSource
			}
			_, doc := writeSARIF(t, sampleFindings(), opt)
			checkSARIF(t, doc)
		})
	}
}

func TestSARIFEmpty(t *testing.T) {
	out, doc := writeSARIF(t, nil, SARIFOptions{})
	checkSARIF(t, doc)
	if !bytes.Contains(out, []byte(`"results": []`)) || !bytes.Contains(out, []byte(`"rules": []`)) {
		t.Errorf("empty log must still have results and rules arrays:\n%s", out)
	}
}

func TestSARIFDeterministic(t *testing.T) {
	a, _ := writeSARIF(t, sampleFindings(), SARIFOptions{ToolVersion: "x", Source: sampleSource})
	for i := 0; i < 5; i++ {
		b, _ := writeSARIF(t, sampleFindings(), SARIFOptions{ToolVersion: "x", Source: sampleSource})
		if !bytes.Equal(a, b) {
			t.Fatalf("output differs between runs:\n%s\n---\n%s", a, b)
		}
	}
	var c bytes.Buffer
	if err := WriteSARIF(&c, sampleFindings(), "x"); err != nil {
		t.Fatal(err)
	}
	var d bytes.Buffer
	if err := WriteSARIF(&d, sampleFindings(), "x"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c.Bytes(), d.Bytes()) {
		t.Fatal("WriteSARIF not deterministic")
	}
}

func TestSARIFContent(t *testing.T) {
	_, doc := writeSARIF(t, sampleFindings(), SARIFOptions{ToolVersion: "v1.2.3", Source: sampleSource})
	run := doc["runs"].([]any)[0].(map[string]any)
	driver := run["tool"].(map[string]any)["driver"].(map[string]any)
	if driver["name"] != "tagcheck" || driver["version"] != "v1.2.3" || driver["informationUri"] != InformationURI {
		t.Errorf("driver = %v", driver)
	}
	rules := driver["rules"].([]any)
	var ids []string
	for _, r := range rules {
		ids = append(ids, r.(map[string]any)["id"].(string))
	}
	if got, want := strings.Join(ids, " "), "custom/unknown-rule lockpair/mismatched-release lockpair/unreleased"; got != want {
		t.Errorf("rules = %s, want %s", got, want)
	}
	results := run["results"].([]any)
	r0 := results[0].(map[string]any)
	loc := r0["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)
	if uri := loc["artifactLocation"].(map[string]any)["uri"]; uri != "fs/proc_namespace.c" {
		t.Errorf("uri = %v", uri)
	}
	reg := loc["region"].(map[string]any)
	if reg["startLine"] != 259.0 || reg["startColumn"] != 3.0 {
		t.Errorf("region = %v", reg)
	}
	// The fix deletes exactly "task_unlock(task)" on line 259.
	rep := r0["fixes"].([]any)[0].(map[string]any)["artifactChanges"].([]any)[0].(map[string]any)["replacements"].([]any)[0].(map[string]any)
	dr := rep["deletedRegion"].(map[string]any)
	line, _ := sampleSource("fs/proc_namespace.c").Line(259)
	s, e := int(dr["startColumn"].(float64))-1, int(dr["endColumn"].(float64))-1
	if line[s:e] != "task_unlock(task)" {
		t.Errorf("deleted region covers %q", line[s:e])
	}
	if got := line[:s] + rep["insertedContent"].(map[string]any)["text"].(string) + line[e:]; got != "\t\tclear_reader_nsproxy(task);" {
		t.Errorf("fixed line = %q", got)
	}
	// The path: two related steps and the finding itself.
	tf := r0["codeFlows"].([]any)[0].(map[string]any)["threadFlows"].([]any)[0].(map[string]any)["locations"].([]any)
	if len(tf) != 3 {
		t.Errorf("thread flow has %d steps, want 3", len(tf))
	}
	// Byte column 9 after "\t/* ü */" counts ü as one UTF-16 unit: 8.
	r1 := results[1].(map[string]any)
	pl := r1["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)
	if c := pl["region"].(map[string]any)["startColumn"]; c != 8.0 {
		t.Errorf("utf16 column = %v, want 8", c)
	}
	if uri := pl["artifactLocation"].(map[string]any)["uri"]; uri != "drivers/x%20y/%C3%BC.c" {
		t.Errorf("escaped uri = %v", uri)
	}
}

// checkSARIF verifies the spec's required properties and constraints on
// every object kind tagcheck emits.
func checkSARIF(t *testing.T, doc map[string]any) {
	t.Helper()
	c := &sarifChecker{t: t}
	c.knownProps("$", doc, "$schema", "version", "runs")
	if doc["version"] != "2.1.0" {
		c.errf("$.version", "want 2.1.0, have %v", doc["version"])
	}
	if s := c.str("$.$schema", doc["$schema"]); !strings.Contains(s, "2.1.0") {
		c.errf("$.$schema", "%q does not name 2.1.0", s)
	}
	for ri, rv := range c.arr("$.runs", doc["runs"], 1) {
		c.run(fmt.Sprintf("$.runs[%d]", ri), rv)
	}
}

// sarifChecker reports, on t, each place of a SARIF log (a JSON path)
// that breaks the spec.
type sarifChecker struct {
	t *testing.T
}

var sarifLevels = map[string]bool{"none": true, "note": true, "warning": true, "error": true}

func (c *sarifChecker) errf(path, format string, args ...any) {
	c.t.Helper()
	c.t.Errorf("%s: %s", path, fmt.Sprintf(format, args...))
}

func (c *sarifChecker) obj(path string, v any) map[string]any {
	c.t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		c.errf(path, "want an object, have %T", v)
	}
	return m
}

func (c *sarifChecker) arr(path string, v any, minItems int) []any {
	c.t.Helper()
	a, ok := v.([]any)
	if !ok {
		c.errf(path, "want an array, have %T", v)
		return nil
	}
	if len(a) < minItems {
		c.errf(path, "want at least %d items, have %d", minItems, len(a))
	}
	return a
}

func (c *sarifChecker) str(path string, v any) string {
	c.t.Helper()
	s, ok := v.(string)
	if !ok || s == "" {
		c.errf(path, "want a non-empty string, have %#v", v)
	}
	return s
}

func (c *sarifChecker) intMin(path string, v any, lo int) int {
	c.t.Helper()
	f, ok := v.(float64)
	if !ok || f != float64(int(f)) || int(f) < lo {
		c.errf(path, "want an integer >= %d, have %#v", lo, v)
		return 0
	}
	return int(f)
}

func (c *sarifChecker) message(path string, v any) {
	c.t.Helper()
	c.str(path+".text", c.obj(path, v)["text"])
}

func (c *sarifChecker) knownProps(path string, m map[string]any, props ...string) {
	c.t.Helper()
	for k := range m {
		if !slices.Contains(props, k) {
			c.errf(path, "property %q is not one tagcheck means to emit", k)
		}
	}
}

func (c *sarifChecker) region(path string, v any) {
	r := c.obj(path, v)
	c.knownProps(path, r, "startLine", "startColumn", "endLine", "endColumn")
	sl := c.intMin(path+".startLine", r["startLine"], 1)
	if col, ok := r["startColumn"]; ok {
		c.intMin(path+".startColumn", col, 1)
	}
	if el, ok := r["endLine"]; ok && c.intMin(path+".endLine", el, 1) < sl {
		c.errf(path, "endLine before startLine")
	}
	if ec, ok := r["endColumn"]; ok && c.intMin(path+".endColumn", ec, 1) < c.intMin(path+".startColumn", r["startColumn"], 1) && r["endLine"] == r["startLine"] {
		c.errf(path, "endColumn before startColumn")
	}
}

func (c *sarifChecker) artifactLoc(path string, v any) {
	a := c.obj(path, v)
	c.knownProps(path, a, "uri", "uriBaseId")
	uri := c.str(path+".uri", a["uri"])
	if strings.Contains(uri, "\\") || strings.Contains(uri, " ") {
		c.errf(path, "uri %q is not a valid URI reference", uri)
	}
	if !strings.Contains(uri, "://") && a["uriBaseId"] == nil {
		c.errf(path, "relative uri %q without uriBaseId", uri)
	}
}

func (c *sarifChecker) physical(path string, v any) {
	p := c.obj(path, v)
	c.knownProps(path, p, "artifactLocation", "region")
	// §3.29.2: at least one of address, artifactLocation.
	c.artifactLoc(path+".artifactLocation", p["artifactLocation"])
	c.region(path+".region", p["region"])
}

func (c *sarifChecker) location(path string, v any, wantMessage, wantID bool) {
	l := c.obj(path, v)
	c.knownProps(path, l, "id", "physicalLocation", "logicalLocations", "message")
	c.physical(path+".physicalLocation", l["physicalLocation"])
	if wantMessage {
		c.message(path+".message", l["message"])
	}
	if id, ok := l["id"]; ok || wantID {
		c.intMin(path+".id", id, 0)
	}
	if ll, ok := l["logicalLocations"]; ok {
		for i, x := range c.arr(path+".logicalLocations", ll, 1) {
			m := c.obj(fmt.Sprintf("%s.logicalLocations[%d]", path, i), x)
			c.str(path+".logicalLocations.name", m["name"])
			c.str(path+".logicalLocations.kind", m["kind"])
		}
	}
}

// run checks one run: its tool, its rules, its results, and that every
// rule listed is used.
func (c *sarifChecker) run(rp string, rv any) {
	run := c.obj(rp, rv)
	c.knownProps(rp, run, "tool", "columnKind", "results")
	if ck := run["columnKind"]; ck != "utf16CodeUnits" && ck != "unicodeCodePoints" {
		c.errf(rp+".columnKind", "bad value %v", ck)
	}
	driver := c.obj(rp+".tool.driver", c.obj(rp+".tool", run["tool"])["driver"])
	c.knownProps(rp+".tool.driver", driver, "name", "version", "informationUri", "rules")
	if driver["name"] != "tagcheck" {
		c.errf(rp+".tool.driver.name", "want tagcheck, have %v", driver["name"])
	}
	if u, ok := driver["informationUri"]; ok && !strings.HasPrefix(c.str(rp+".tool.driver.informationUri", u), "https://") {
		c.errf(rp+".tool.driver.informationUri", "not an absolute URI")
	}
	ruleIDs := c.rules(rp+".tool.driver.rules", driver["rules"])
	used := map[string]bool{}
	for i, x := range c.arr(rp+".results", run["results"], 0) {
		used[c.result(fmt.Sprintf("%s.results[%d]", rp, i), x, ruleIDs)] = true
	}
	for _, id := range ruleIDs {
		if !used[id] {
			c.errf(rp+".tool.driver.rules", "rule %s is listed but no result uses it", id)
		}
	}
}

// rules checks the driver's rules and returns their ids, in order.
func (c *sarifChecker) rules(path string, v any) []string {
	rules := c.arr(path, v, 0)
	ruleIDs := make([]string, len(rules))
	seen := map[string]bool{}
	for i, x := range rules {
		p := fmt.Sprintf("%s[%d]", path, i)
		r := c.obj(p, x)
		c.knownProps(p, r, "id", "name", "shortDescription", "fullDescription", "help", "defaultConfiguration")
		ruleIDs[i] = c.str(p+".id", r["id"])
		if seen[ruleIDs[i]] {
			c.errf(p, "duplicate rule id %s", ruleIDs[i])
		}
		seen[ruleIDs[i]] = true
		for _, k := range []string{"shortDescription", "fullDescription", "help"} {
			c.message(p+"."+k, r[k])
		}
		if lv := c.obj(p+".defaultConfiguration", r["defaultConfiguration"])["level"]; !sarifLevels[lv.(string)] {
			c.errf(p+".defaultConfiguration.level", "bad level %v", lv)
		}
	}
	return ruleIDs
}

// result checks one result against the run's rules and returns its rule.
func (c *sarifChecker) result(p string, x any, ruleIDs []string) string {
	res := c.obj(p, x)
	c.knownProps(p, res, "ruleId", "ruleIndex", "level", "message", "locations", "relatedLocations", "codeFlows", "fixes", "partialFingerprints")
	c.message(p+".message", res["message"])
	id := c.str(p+".ruleId", res["ruleId"])
	idx := c.intMin(p+".ruleIndex", res["ruleIndex"], 0)
	if idx >= len(ruleIDs) || ruleIDs[idx] != id {
		c.errf(p+".ruleIndex", "%d does not name rule %s", idx, id)
	}
	if !sarifLevels[c.str(p+".level", res["level"])] {
		c.errf(p+".level", "bad level %v", res["level"])
	}
	for j, l := range c.arr(p+".locations", res["locations"], 1) {
		c.location(fmt.Sprintf("%s.locations[%d]", p, j), l, false, false)
	}
	if rl, ok := res["relatedLocations"]; ok {
		c.relatedLocations(p+".relatedLocations", rl)
	}
	if cf, ok := res["codeFlows"]; ok {
		c.codeFlows(p+".codeFlows", cf)
	}
	if fx, ok := res["fixes"]; ok {
		c.fixes(p+".fixes", fx)
	}
	return id
}

func (c *sarifChecker) relatedLocations(path string, rl any) {
	ids := map[float64]bool{}
	for j, l := range c.arr(path, rl, 1) {
		lp := fmt.Sprintf("%s[%d]", path, j)
		c.location(lp, l, true, true)
		id := l.(map[string]any)["id"].(float64)
		if ids[id] {
			c.errf(lp, "duplicate id")
		}
		ids[id] = true
	}
}

func (c *sarifChecker) codeFlows(path string, cf any) {
	for j, cv := range c.arr(path, cf, 1) {
		cp := fmt.Sprintf("%s[%d]", path, j)
		for k, tf := range c.arr(cp+".threadFlows", c.obj(cp, cv)["threadFlows"], 1) {
			tp := fmt.Sprintf("%s.threadFlows[%d]", cp, k)
			for m, tl := range c.arr(tp+".locations", c.obj(tp, tf)["locations"], 1) {
				lp := fmt.Sprintf("%s.locations[%d]", tp, m)
				c.location(lp+".location", c.obj(lp, tl)["location"], true, false)
			}
		}
	}
}

func (c *sarifChecker) fixes(path string, fx any) {
	for j, f := range c.arr(path, fx, 1) {
		fp := fmt.Sprintf("%s[%d]", path, j)
		fo := c.obj(fp, f)
		c.message(fp+".description", fo["description"])
		for k, ac := range c.arr(fp+".artifactChanges", fo["artifactChanges"], 1) {
			ap := fmt.Sprintf("%s.artifactChanges[%d]", fp, k)
			a := c.obj(ap, ac)
			c.artifactLoc(ap+".artifactLocation", a["artifactLocation"])
			for m, rep := range c.arr(ap+".replacements", a["replacements"], 1) {
				rpp := fmt.Sprintf("%s.replacements[%d]", ap, m)
				ro := c.obj(rpp, rep)
				c.region(rpp+".deletedRegion", ro["deletedRegion"])
				if ic, ok := ro["insertedContent"]; ok {
					if _, ok := c.obj(rpp+".insertedContent", ic)["text"].(string); !ok {
						c.errf(rpp+".insertedContent", "no text")
					}
				}
			}
		}
	}
}
