package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// A rule pack file is read document by document: every YAML document
// (separated by ---) is a pack, so a second document is never silently
// dropped. Errors are one line, "file:line: field: what", in the words of
// the pack (field names, "a list"), never in those of Go's types.

// decodePacks reads every document of a pack file.
func decodePacks(name string, data []byte) ([]*Pack, error) {
	strict := yaml.NewDecoder(bytes.NewReader(data))
	strict.KnownFields(true)
	nodes := yaml.NewDecoder(bytes.NewReader(data))
	var packs []*Pack
	for {
		var doc yaml.Node
		if err := nodes.Decode(&doc); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("%s:%s", name, yamlMessage(err, nil))
		}
		var p Pack
		if err := strict.Decode(&p); err != nil {
			return nil, fmt.Errorf("%s:%s", name, yamlMessage(err, &doc))
		}
		if emptyDoc(&doc) {
			return nil, fmt.Errorf("%s:%d: an empty YAML document: want name, pairs, tagged, noreturn, owners, cpu_states or conventions", name, max(doc.Line, 1))
		}
		if path, msg := p.validate(); msg != "" {
			return nil, fmt.Errorf("%s:%d: %s: %s", name, lineOf(&doc, path), path, msg)
		}
		packs = append(packs, &p)
	}
	if len(packs) == 0 {
		return nil, fmt.Errorf("%s: empty rule pack: no YAML document in it", name)
	}
	return packs, nil
}

// emptyDoc reports a document with nothing in it (a stray "---", "{}"):
// as a pack it would add nothing, silently.
func emptyDoc(doc *yaml.Node) bool {
	if len(doc.Content) == 0 {
		return true
	}
	top := doc.Content[0]
	return top.Kind == yaml.MappingNode && len(top.Content) == 0 || top.Kind == yaml.ScalarNode && top.Tag == "!!null"
}

var (
	yamlLineRE    = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	notFoundRE    = regexp.MustCompile(`^field (.+) not found in type \S+$`)
	cannotUnmarRE = regexp.MustCompile("^cannot unmarshal (!\\S*)(?: `(.*)`)? into (\\S+)$")
	goTypeRE      = regexp.MustCompile(`\s*\b(?:in|into) (?:type )?[\[\]*]*rules\.\w+`)
)

// yamlMessage turns a yaml.v3 error into "line: field: what" (" what"
// when yaml names no line). doc, when not nil, is the document, for the
// field at the error's line.
func yamlMessage(err error, doc *yaml.Node) string {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0] // the first; the rest usually follow from it
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	m := yamlLineRE.FindStringSubmatch(msg)
	if m == nil {
		return " " + goTypeRE.ReplaceAllString(firstLine(msg), "")
	}
	line, what := m[1], m[2]
	n, _ := strconv.Atoi(line)
	if f := notFoundRE.FindStringSubmatch(what); f != nil {
		return fmt.Sprintf("%s: %s: unknown field %q", line, joinPath(pathAt(doc, n, true)), f[1])
	}
	if f := cannotUnmarRE.FindStringSubmatch(what); f != nil {
		have := yamlTagWords(f[1])
		if f[2] != "" {
			have += " " + strconv.Quote(f[2])
		}
		path := pathAt(doc, n, false)
		if f[3] == "rules.Pack" {
			path = nil // the document itself
		}
		return fmt.Sprintf("%s: %s: want %s, have %s", line, joinPath(path), goTypeWords(f[3]), have)
	}
	// Anything else yaml says, without the Go type it names.
	return line + ": " + goTypeRE.ReplaceAllString(firstLine(what), "")
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// goTypeWords names what a Go type of the pack wants.
func goTypeWords(t string) string {
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case t == "bool":
		return "true or false"
	case t == "string" || t == "rules.Lang" || t == "rules.Mode" || t == "rules.When":
		return "a string"
	case strings.HasPrefix(t, "int"):
		return "a number"
	}
	return "a mapping"
}

// yamlTagWords names a YAML node tag.
func yamlTagWords(tag string) string {
	switch tag {
	case "!!seq":
		return "a list"
	case "!!map":
		return "a mapping"
	case "!!int", "!!float":
		return "a number"
	case "!!bool":
		return "a boolean"
	case "!!null":
		return "nothing"
	case "!!str", "!!binary", "!!timestamp":
		return "a string"
	}
	return "a value tagged " + tag
}

// pathAt returns the path ("pairs[2].acquire") of the field whose key
// (key true) or value starts at line in doc; the innermost one wins.
func pathAt(doc *yaml.Node, line int, key bool) []string {
	if doc == nil {
		return nil
	}
	var best []string
	var walk func(n *yaml.Node, path []string)
	walk = func(n *yaml.Node, path []string) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, path)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				p := append(append([]string(nil), path...), k.Value)
				if key && k.Line == line || !key && v.Line == line && v.Kind != yaml.MappingNode {
					best = p
					if key {
						best = path // an unknown key: name the mapping it is in
					}
				}
				walk(v, p)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				p := append(append([]string(nil), path...), "["+strconv.Itoa(i)+"]")
				if !key && c.Line == line && c.Kind == yaml.ScalarNode {
					best = p
				}
				walk(c, p)
			}
		}
	}
	walk(doc, nil)
	return best
}

// joinPath spells a path: pairs[2].acquire.
func joinPath(path []string) string {
	if len(path) == 0 {
		return "top level"
	}
	var b strings.Builder
	for i, p := range path {
		if i > 0 && !strings.HasPrefix(p, "[") {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// lineOf is the line of the node a validation path ("pairs[2]") names,
// or of the document when it cannot be found.
func lineOf(doc *yaml.Node, path string) int {
	n := doc
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, part := range strings.Split(strings.ReplaceAll(path, "[", ".["), ".") {
		if part == "" {
			continue
		}
		next := childOf(n, part)
		if next == nil {
			break
		}
		n = next
	}
	return max(n.Line, 1)
}

func childOf(n *yaml.Node, part string) *yaml.Node {
	if i, err := strconv.Atoi(strings.Trim(part, "[]")); err == nil && n.Kind == yaml.SequenceNode {
		if i >= 0 && i < len(n.Content) {
			return n.Content[i]
		}
		return nil
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == part {
				return n.Content[i+1]
			}
		}
	}
	return nil
}
