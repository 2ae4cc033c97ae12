// Package sarifcheck validates a SARIF log against the constraints of the
// SARIF 2.1.0 JSON schema (OASIS, errata 01) for every object tagcheck
// writes: the required properties, the types, the enumerations, the
// minimums and the closed property sets (the schema's
// "additionalProperties": false) — written here from the standard's
// text, as a table, so that tests can reject a log that GitHub code
// scanning would reject, without the schema file or a schema library.
//
// Objects tagcheck does not write are accepted as any JSON object where
// the schema allows them.
package sarifcheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// prop is the schema of one property.
type prop struct {
	typ   string   // "string", "integer", "number", "boolean", "object", "array", "any"
	ref   string   // object: its definition; array: its items' definition ("" for any)
	items string   // array of a scalar type, when ref is ""
	enum  []string // a string's allowed values
	min   *float64 // a number's minimum, or an array's minItems
	uri   bool     // a string in URI-reference form
	dict  string   // object: a map whose values all have this scalar type or definition
}

// def is the schema of one object.
type def struct {
	required []string
	anyOf    [][]string // at least one of these sets present
	props    map[string]prop
}

func n(v float64) *float64 { return &v }

var (
	str     = prop{typ: "string"}
	integer = prop{typ: "integer"}
	boolean = prop{typ: "boolean"}
	anyObj  = prop{typ: "object"}
	anyArr  = prop{typ: "array"}
	bag     = prop{typ: "object", ref: "propertyBag"}
)

func obj(ref string) prop           { return prop{typ: "object", ref: ref} }
func arr(ref string) prop           { return prop{typ: "array", ref: ref} }
func arrMin(ref string, m int) prop { return prop{typ: "array", ref: ref, min: n(float64(m))} }
func intMin(m int) prop             { return prop{typ: "integer", min: n(float64(m))} }
func enum(vs ...string) prop        { return prop{typ: "string", enum: vs} }

var levels = []string{"none", "note", "warning", "error"}

// defs holds the SARIF 2.1.0 definitions tagcheck's logs use.
var defs = map[string]def{
	"sarifLog": {required: []string{"version", "runs"}, props: map[string]prop{
		"$schema": {typ: "string", uri: true}, "version": enum("2.1.0"), "runs": arr("run"),
		"inlineExternalProperties": anyArr, "properties": bag}},
	"run": {required: []string{"tool"}, props: map[string]prop{
		"tool": obj("tool"), "invocations": anyArr, "conversion": anyObj, "language": str,
		"versionControlProvenance": anyArr, "originalUriBaseIds": {typ: "object", dict: "artifactLocation"},
		"artifacts": anyArr, "logicalLocations": arr("logicalLocation"), "graphs": anyArr,
		"results": arr("result"), "automationDetails": anyObj, "runAggregates": anyArr,
		"baselineGuid": str, "redactionTokens": {typ: "array", items: "string"}, "defaultEncoding": str,
		"defaultSourceLanguage": str, "newlineSequences": {typ: "array", items: "string"},
		"columnKind": enum("utf16CodeUnits", "unicodeCodePoints"), "externalPropertyFileReferences": anyObj,
		"threadFlowLocations": arr("threadFlowLocation"), "taxonomies": anyArr, "addresses": anyArr,
		"translations": anyArr, "policies": anyArr, "webRequests": anyArr, "webResponses": anyArr,
		"specialLocations": anyObj, "properties": bag}},
	"tool": {required: []string{"driver"}, props: map[string]prop{
		"driver": obj("toolComponent"), "extensions": arr("toolComponent"), "properties": bag}},
	"toolComponent": {required: []string{"name"}, props: map[string]prop{
		"guid": str, "name": str, "organization": str, "product": str, "productSuite": str,
		"shortDescription": obj("multiformatMessageString"), "fullDescription": obj("multiformatMessageString"),
		"fullName": str, "version": str, "semanticVersion": str, "dottedQuadFileVersion": str,
		"releaseDateUtc": str, "downloadUri": {typ: "string", uri: true}, "informationUri": {typ: "string", uri: true},
		"globalMessageStrings": {typ: "object", dict: "multiformatMessageString"}, "notifications": arr("reportingDescriptor"),
		"rules": arr("reportingDescriptor"), "taxa": arr("reportingDescriptor"), "locations": anyArr,
		"language": str, "contents": {typ: "array", items: "string"}, "isComprehensive": boolean,
		"localizedDataSemanticVersion": str, "minimumRequiredLocalizedDataSemanticVersion": str,
		"associatedComponent": anyObj, "translationMetadata": anyObj, "supportedTaxonomies": anyArr, "properties": bag}},
	"reportingDescriptor": {required: []string{"id"}, props: map[string]prop{
		"id": str, "deprecatedIds": {typ: "array", items: "string"}, "guid": str, "deprecatedGuids": {typ: "array", items: "string"},
		"name": str, "deprecatedNames": {typ: "array", items: "string"},
		"shortDescription": obj("multiformatMessageString"), "fullDescription": obj("multiformatMessageString"),
		"messageStrings": {typ: "object", dict: "multiformatMessageString"}, "defaultConfiguration": obj("reportingConfiguration"),
		"helpUri": {typ: "string", uri: true}, "help": obj("multiformatMessageString"), "relationships": anyArr, "properties": bag}},
	"reportingConfiguration": {props: map[string]prop{
		"enabled": boolean, "level": enum(levels...), "rank": {typ: "number", min: n(-1)}, "parameters": bag, "properties": bag}},
	"multiformatMessageString": {required: []string{"text"}, props: map[string]prop{
		"text": str, "markdown": str, "properties": bag}},
	"message": {anyOf: [][]string{{"text"}, {"id"}}, props: map[string]prop{
		"text": str, "markdown": str, "id": str, "arguments": {typ: "array", items: "string"}, "properties": bag}},
	"result": {required: []string{"message"}, props: map[string]prop{
		"ruleId": str, "ruleIndex": intMin(-1), "rule": anyObj,
		"kind": enum("notApplicable", "pass", "fail", "review", "open", "informational"), "level": enum(levels...),
		"message": obj("message"), "analysisTarget": obj("artifactLocation"), "locations": arr("location"),
		"guid": str, "correlationGuid": str, "occurrenceCount": intMin(1),
		"partialFingerprints": {typ: "object", dict: "string"}, "fingerprints": {typ: "object", dict: "string"},
		"stacks": anyArr, "codeFlows": arr("codeFlow"), "graphs": anyArr, "graphTraversals": anyArr,
		"relatedLocations": arr("location"), "suppressions": anyArr,
		"baselineState": enum("new", "unchanged", "updated", "absent"), "rank": {typ: "number", min: n(-1)},
		"attachments": anyArr, "hostedViewerUri": {typ: "string", uri: true}, "workItemUris": {typ: "array", items: "string"},
		"provenance": anyObj, "fixes": arr("fix"), "taxa": anyArr, "webRequest": anyObj, "webResponse": anyObj, "properties": bag}},
	"location": {props: map[string]prop{
		"id": intMin(-1), "physicalLocation": obj("physicalLocation"), "logicalLocations": arr("logicalLocation"),
		"message": obj("message"), "annotations": arr("region"), "relationships": anyArr, "properties": bag}},
	"physicalLocation": {anyOf: [][]string{{"address"}, {"artifactLocation"}}, props: map[string]prop{
		"address": anyObj, "artifactLocation": obj("artifactLocation"), "region": obj("region"),
		"contextRegion": obj("region"), "properties": bag}},
	"artifactLocation": {props: map[string]prop{
		"uri": {typ: "string", uri: true}, "uriBaseId": str, "index": intMin(-1), "description": obj("message"), "properties": bag}},
	"region": {props: map[string]prop{
		"startLine": intMin(1), "startColumn": intMin(1), "endLine": intMin(1), "endColumn": intMin(1),
		"charOffset": intMin(-1), "charLength": intMin(0), "byteOffset": intMin(-1), "byteLength": intMin(0),
		"snippet": obj("artifactContent"), "message": obj("message"), "sourceLanguage": str, "properties": bag}},
	"logicalLocation": {props: map[string]prop{
		"name": str, "index": intMin(-1), "fullyQualifiedName": str, "decoratedName": str,
		"parentIndex": intMin(-1), "kind": str, "properties": bag}},
	"codeFlow": {required: []string{"threadFlows"}, props: map[string]prop{
		"message": obj("message"), "threadFlows": arrMin("threadFlow", 1), "properties": bag}},
	"threadFlow": {required: []string{"locations"}, props: map[string]prop{
		"id": str, "message": obj("message"), "initialState": anyObj, "immutableState": anyObj,
		"locations": arrMin("threadFlowLocation", 1), "properties": bag}},
	"threadFlowLocation": {props: map[string]prop{
		"index": intMin(-1), "location": obj("location"), "stack": anyObj, "kinds": {typ: "array", items: "string"},
		"taxa": anyArr, "module": str, "state": anyObj, "nestingLevel": intMin(0), "executionOrder": intMin(-1),
		"executionTimeUtc": str, "importance": enum("important", "essential", "unimportant"),
		"webRequest": anyObj, "webResponse": anyObj, "properties": bag}},
	"fix": {required: []string{"artifactChanges"}, props: map[string]prop{
		"description": obj("message"), "artifactChanges": arrMin("artifactChange", 1), "properties": bag}},
	"artifactChange": {required: []string{"artifactLocation", "replacements"}, props: map[string]prop{
		"artifactLocation": obj("artifactLocation"), "replacements": arrMin("replacement", 1), "properties": bag}},
	"replacement": {required: []string{"deletedRegion"}, props: map[string]prop{
		"deletedRegion": obj("region"), "insertedContent": obj("artifactContent"), "properties": bag}},
	"artifactContent": {props: map[string]prop{
		"text": str, "binary": str, "rendered": obj("multiformatMessageString"), "properties": bag}},
	"propertyBag": {props: nil}, // open: any properties
}

// Validate checks a SARIF log and returns every violation, each with its
// JSON path ("runs[0].results[3].locations[0]...").
func Validate(data []byte) []error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return []error{fmt.Errorf("not JSON: %w", err)}
	}
	var errs []error
	checkObject("", "sarifLog", v, &errs)
	return errs
}

func checkObject(path, name string, v any, errs *[]error) {
	m, ok := v.(map[string]any)
	if !ok {
		*errs = append(*errs, fmt.Errorf("%s: want an object (%s), have %T", orRoot(path), name, v))
		return
	}
	d := defs[name]
	for _, r := range d.required {
		if _, ok := m[r]; !ok {
			*errs = append(*errs, fmt.Errorf("%s: %s lacks required property %q", orRoot(path), name, r))
		}
	}
	if len(d.anyOf) > 0 && !hasAnyOf(m, d.anyOf) {
		*errs = append(*errs, fmt.Errorf("%s: %s needs one of %v", orRoot(path), name, d.anyOf))
	}
	if d.props == nil {
		return // a property bag
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p, ok := d.props[k]
		if !ok {
			*errs = append(*errs, fmt.Errorf("%s: %s has no property %q (the schema closes it)", orRoot(path), name, k))
			continue
		}
		checkValue(join(path, k), p, m[k], errs)
	}
}

func hasAnyOf(m map[string]any, sets [][]string) bool {
	for _, set := range sets {
		all := true
		for _, k := range set {
			if _, ok := m[k]; !ok {
				all = false
			}
		}
		if all {
			return true
		}
	}
	return false
}

func checkValue(path string, p prop, v any, errs *[]error) {
	bad := func(format string, args ...any) {
		*errs = append(*errs, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...)))
	}
	switch p.typ {
	case "string":
		s, ok := v.(string)
		if !ok {
			bad("want a string, have %T", v)
			return
		}
		if len(p.enum) > 0 && !contains(p.enum, s) {
			bad("%q is not one of %v", s, p.enum)
		}
		if p.uri {
			if _, err := url.Parse(s); err != nil || strings.ContainsAny(s, " \\") {
				bad("%q is not a URI reference", s)
			}
		}
	case "integer", "number":
		num, ok := v.(json.Number)
		if !ok {
			bad("want a number, have %T", v)
			return
		}
		f, err := num.Float64()
		if err != nil || p.typ == "integer" && strings.ContainsAny(num.String(), ".eE") {
			bad("want an %s, have %s", p.typ, num)
			return
		}
		if p.min != nil && f < *p.min {
			bad("%s is below the minimum %v", num, *p.min)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("want a boolean, have %T", v)
		}
	case "object":
		if p.dict != "" {
			m, ok := v.(map[string]any)
			if !ok {
				bad("want an object, have %T", v)
				return
			}
			for k, e := range m {
				if p.dict == "string" {
					checkValue(join(path, k), str, e, errs)
				} else {
					checkObject(join(path, k), p.dict, e, errs)
				}
			}
			return
		}
		if p.ref != "" {
			checkObject(path, p.ref, v, errs)
		} else if _, ok := v.(map[string]any); !ok {
			bad("want an object, have %T", v)
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			bad("want an array, have %T", v)
			return
		}
		if p.min != nil && float64(len(a)) < *p.min {
			bad("%d items, fewer than the minimum %v", len(a), *p.min)
		}
		for i, e := range a {
			ip := fmt.Sprintf("%s[%d]", path, i)
			switch {
			case p.ref != "":
				checkObject(ip, p.ref, e, errs)
			case p.items != "":
				checkValue(ip, prop{typ: p.items}, e, errs)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func orRoot(path string) string {
	if path == "" {
		return "(log)"
	}
	return path
}
