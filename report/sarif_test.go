package report

import (
	"bytes"
	"encoding/json"
	"fmt"
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

func sampleSource(file string) []string {
	if file == "drivers/x y/ü.c" {
		ls := make([]string, 10)
		ls[9] = "\t/* ü */ spin_lock(&l);"
		return ls
	}
	if file == "fs/proc_namespace.c" {
		ls := make([]string, 260)
		ls[258] = "\t\ttask_unlock(task);"
		return ls
	}
	return nil
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
	line := sampleSource("fs/proc_namespace.c")[258]
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
	errf := func(path, format string, args ...any) {
		t.Helper()
		t.Errorf("%s: %s", path, fmt.Sprintf(format, args...))
	}
	obj := func(path string, v any) map[string]any {
		t.Helper()
		m, ok := v.(map[string]any)
		if !ok {
			errf(path, "want an object, have %T", v)
		}
		return m
	}
	arr := func(path string, v any, minItems int) []any {
		t.Helper()
		a, ok := v.([]any)
		if !ok {
			errf(path, "want an array, have %T", v)
			return nil
		}
		if len(a) < minItems {
			errf(path, "want at least %d items, have %d", minItems, len(a))
		}
		return a
	}
	str := func(path string, v any) string {
		t.Helper()
		s, ok := v.(string)
		if !ok || s == "" {
			errf(path, "want a non-empty string, have %#v", v)
		}
		return s
	}
	intMin := func(path string, v any, lo int) int {
		t.Helper()
		f, ok := v.(float64)
		if !ok || f != float64(int(f)) || int(f) < lo {
			errf(path, "want an integer >= %d, have %#v", lo, v)
			return 0
		}
		return int(f)
	}
	message := func(path string, v any) {
		t.Helper()
		str(path+".text", obj(path, v)["text"])
	}
	levels := map[string]bool{"none": true, "note": true, "warning": true, "error": true}
	known := map[string]bool{}
	knownProps := func(path string, m map[string]any, props ...string) {
		t.Helper()
		clear(known)
		for _, p := range props {
			known[p] = true
		}
		for k := range m {
			if !known[k] {
				errf(path, "property %q is not one tagcheck means to emit", k)
			}
		}
	}
	region := func(path string, v any) {
		r := obj(path, v)
		knownProps(path, r, "startLine", "startColumn", "endLine", "endColumn")
		sl := intMin(path+".startLine", r["startLine"], 1)
		if c, ok := r["startColumn"]; ok {
			intMin(path+".startColumn", c, 1)
		}
		if el, ok := r["endLine"]; ok && intMin(path+".endLine", el, 1) < sl {
			errf(path, "endLine before startLine")
		}
		if ec, ok := r["endColumn"]; ok && intMin(path+".endColumn", ec, 1) < intMin(path+".startColumn", r["startColumn"], 1) && r["endLine"] == r["startLine"] {
			errf(path, "endColumn before startColumn")
		}
	}
	artifactLoc := func(path string, v any) {
		a := obj(path, v)
		knownProps(path, a, "uri", "uriBaseId")
		uri := str(path+".uri", a["uri"])
		if strings.Contains(uri, "\\") || strings.Contains(uri, " ") {
			errf(path, "uri %q is not a valid URI reference", uri)
		}
		if !strings.Contains(uri, "://") && a["uriBaseId"] == nil {
			errf(path, "relative uri %q without uriBaseId", uri)
		}
	}
	physical := func(path string, v any) {
		p := obj(path, v)
		knownProps(path, p, "artifactLocation", "region")
		// §3.29.2: at least one of address, artifactLocation.
		artifactLoc(path+".artifactLocation", p["artifactLocation"])
		region(path+".region", p["region"])
	}
	location := func(path string, v any, wantMessage, wantID bool) {
		l := obj(path, v)
		knownProps(path, l, "id", "physicalLocation", "logicalLocations", "message")
		physical(path+".physicalLocation", l["physicalLocation"])
		if wantMessage {
			message(path+".message", l["message"])
		}
		if id, ok := l["id"]; ok || wantID {
			intMin(path+".id", id, 0)
		}
		if ll, ok := l["logicalLocations"]; ok {
			for i, x := range arr(path+".logicalLocations", ll, 1) {
				m := obj(fmt.Sprintf("%s.logicalLocations[%d]", path, i), x)
				str(path+".logicalLocations.name", m["name"])
				str(path+".logicalLocations.kind", m["kind"])
			}
		}
	}

	knownProps("$", doc, "$schema", "version", "runs")
	if doc["version"] != "2.1.0" {
		errf("$.version", "want 2.1.0, have %v", doc["version"])
	}
	if s := str("$.$schema", doc["$schema"]); !strings.Contains(s, "2.1.0") {
		errf("$.$schema", "%q does not name 2.1.0", s)
	}
	runs := arr("$.runs", doc["runs"], 1)
	for ri, rv := range runs {
		rp := fmt.Sprintf("$.runs[%d]", ri)
		run := obj(rp, rv)
		knownProps(rp, run, "tool", "columnKind", "results")
		if ck := run["columnKind"]; ck != "utf16CodeUnits" && ck != "unicodeCodePoints" {
			errf(rp+".columnKind", "bad value %v", ck)
		}
		driver := obj(rp+".tool.driver", obj(rp+".tool", run["tool"])["driver"])
		knownProps(rp+".tool.driver", driver, "name", "version", "informationUri", "rules")
		if driver["name"] != "tagcheck" {
			errf(rp+".tool.driver.name", "want tagcheck, have %v", driver["name"])
		}
		if u, ok := driver["informationUri"]; ok && !strings.HasPrefix(str(rp+".tool.driver.informationUri", u), "https://") {
			errf(rp+".tool.driver.informationUri", "not an absolute URI")
		}
		rules := arr(rp+".tool.driver.rules", driver["rules"], 0)
		ruleIDs := make([]string, len(rules))
		seen := map[string]bool{}
		for i, x := range rules {
			p := fmt.Sprintf("%s.tool.driver.rules[%d]", rp, i)
			r := obj(p, x)
			knownProps(p, r, "id", "name", "shortDescription", "fullDescription", "help", "defaultConfiguration")
			ruleIDs[i] = str(p+".id", r["id"])
			if seen[ruleIDs[i]] {
				errf(p, "duplicate rule id %s", ruleIDs[i])
			}
			seen[ruleIDs[i]] = true
			for _, k := range []string{"shortDescription", "fullDescription", "help"} {
				message(p+"."+k, r[k])
			}
			if lv := obj(p+".defaultConfiguration", r["defaultConfiguration"])["level"]; !levels[lv.(string)] {
				errf(p+".defaultConfiguration.level", "bad level %v", lv)
			}
		}
		used := map[string]bool{}
		for i, x := range arr(rp+".results", run["results"], 0) {
			p := fmt.Sprintf("%s.results[%d]", rp, i)
			res := obj(p, x)
			knownProps(p, res, "ruleId", "ruleIndex", "level", "message", "locations", "relatedLocations", "codeFlows", "fixes", "partialFingerprints")
			message(p+".message", res["message"])
			id := str(p+".ruleId", res["ruleId"])
			used[id] = true
			idx := intMin(p+".ruleIndex", res["ruleIndex"], 0)
			if idx >= len(ruleIDs) || ruleIDs[idx] != id {
				errf(p+".ruleIndex", "%d does not name rule %s", idx, id)
			}
			if !levels[str(p+".level", res["level"])] {
				errf(p+".level", "bad level %v", res["level"])
			}
			for j, l := range arr(p+".locations", res["locations"], 1) {
				location(fmt.Sprintf("%s.locations[%d]", p, j), l, false, false)
			}
			if rl, ok := res["relatedLocations"]; ok {
				ids := map[float64]bool{}
				for j, l := range arr(p+".relatedLocations", rl, 1) {
					lp := fmt.Sprintf("%s.relatedLocations[%d]", p, j)
					location(lp, l, true, true)
					id := l.(map[string]any)["id"].(float64)
					if ids[id] {
						errf(lp, "duplicate id")
					}
					ids[id] = true
				}
			}
			if cf, ok := res["codeFlows"]; ok {
				for j, c := range arr(p+".codeFlows", cf, 1) {
					cp := fmt.Sprintf("%s.codeFlows[%d]", p, j)
					for k, tf := range arr(cp+".threadFlows", obj(cp, c)["threadFlows"], 1) {
						tp := fmt.Sprintf("%s.threadFlows[%d]", cp, k)
						for m, tl := range arr(tp+".locations", obj(tp, tf)["locations"], 1) {
							lp := fmt.Sprintf("%s.locations[%d]", tp, m)
							location(lp+".location", obj(lp, tl)["location"], true, false)
						}
					}
				}
			}
			if fx, ok := res["fixes"]; ok {
				for j, f := range arr(p+".fixes", fx, 1) {
					fp := fmt.Sprintf("%s.fixes[%d]", p, j)
					fo := obj(fp, f)
					message(fp+".description", fo["description"])
					for k, ac := range arr(fp+".artifactChanges", fo["artifactChanges"], 1) {
						ap := fmt.Sprintf("%s.artifactChanges[%d]", fp, k)
						a := obj(ap, ac)
						artifactLoc(ap+".artifactLocation", a["artifactLocation"])
						for m, rep := range arr(ap+".replacements", a["replacements"], 1) {
							rpp := fmt.Sprintf("%s.replacements[%d]", ap, m)
							ro := obj(rpp, rep)
							region(rpp+".deletedRegion", ro["deletedRegion"])
							if ic, ok := ro["insertedContent"]; ok {
								if _, ok := obj(rpp+".insertedContent", ic)["text"].(string); !ok {
									errf(rpp+".insertedContent", "no text")
								}
							}
						}
					}
				}
			}
		}
		for _, id := range ruleIDs {
			if !used[id] {
				errf(rp+".tool.driver.rules", "rule %s is listed but no result uses it", id)
			}
		}
	}
}
