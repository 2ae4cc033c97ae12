package sarifcheck

import (
	"strings"
	"testing"
)

const good = `{
  "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
  "version": "2.1.0",
  "runs": [{
    "tool": {"driver": {"name": "t", "rules": [{"id": "a/b", "defaultConfiguration": {"level": "error"}, "shortDescription": {"text": "x"}}]}},
    "columnKind": "utf16CodeUnits",
    "results": [{
      "ruleId": "a/b", "ruleIndex": 0, "level": "warning", "message": {"text": "m"},
      "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/a%20b.c", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 3, "startColumn": 1}},
                     "logicalLocations": [{"name": "f", "kind": "function"}]}],
      "codeFlows": [{"threadFlows": [{"locations": [{"location": {"physicalLocation": {"artifactLocation": {"uri": "a.c"}}}}]}]}],
      "fixes": [{"description": {"text": "d"}, "artifactChanges": [{"artifactLocation": {"uri": "a.c"}, "replacements": [{"deletedRegion": {"startLine": 1}, "insertedContent": {"text": "x"}}]}]}],
      "partialFingerprints": {"tagcheck/v1": "abc"}
    }]
  }]
}`

func TestValid(t *testing.T) {
	if errs := Validate([]byte(good)); len(errs) > 0 {
		t.Fatalf("a valid log rejected: %v", errs)
	}
}

// Each mutation breaks one constraint of the schema and must be caught,
// with the path of the object.
func TestInvalid(t *testing.T) {
	for _, c := range []struct{ old, new, want string }{
		{`"version": "2.1.0",`, ``, `lacks required property "version"`},
		{`"version": "2.1.0"`, `"version": "2.0.0"`, `version: "2.0.0" is not one of`},
		{`"level": "warning"`, `"level": "fatal"`, `runs[0].results[0].level`},
		{`"startLine": 3`, `"startLine": 0`, `region.startLine: 0 is below the minimum 1`},
		{`"message": {"text": "m"},`, ``, `results[0]: result lacks required property "message"`},
		{`"message": {"text": "m"}`, `"message": {"markdown": "m"}`, `message needs one of`},
		{`"ruleIndex": 0`, `"ruleIndex": 0, "severity": 1`, `has no property "severity"`},
		{`"replacements": [{"deletedRegion": {"startLine": 1}, "insertedContent": {"text": "x"}}]`, `"replacements": []`, `fewer than the minimum 1`},
		{`"tool": {"driver": {"name": "t",`, `"tool": {"driver": {`, `toolComponent lacks required property "name"`},
		{`{"tagcheck/v1": "abc"}`, `{"tagcheck/v1": 3}`, `partialFingerprints.tagcheck/v1: want a string`},
		{`"ruleIndex": 0`, `"ruleIndex": 0.5`, `want an integer`},
		{`"columnKind": "utf16CodeUnits"`, `"columnKind": "bytes"`, `columnKind`},
		{`"uri": "src/a%20b.c"`, `"uri": "src/a b.c"`, `not a URI reference`},
	} {
		if !strings.Contains(good, c.old) {
			t.Fatalf("mutation %q does not apply", c.old)
		}
		errs := Validate([]byte(strings.Replace(good, c.old, c.new, 1)))
		var msgs []string
		for _, e := range errs {
			msgs = append(msgs, e.Error())
		}
		if !strings.Contains(strings.Join(msgs, "\n"), c.want) {
			t.Errorf("%q -> %q: want an error with %q, have %q", c.old, c.new, c.want, msgs)
		}
	}
}
