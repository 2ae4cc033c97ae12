// Package analysisdoc builds an analyzer's Doc from its package's doc.go,
// as golang.org/x/tools/go/analysis/passes do (their analysisinternal
// helper is not importable), so the text go doc shows and the text
// `tagcheck help NAME` prints are one text.
package analysisdoc

import (
	"fmt"
	"go/parser"
	"go/token"
	"strings"
)

// MustExtract returns the "# Analyzer NAME" section of the package doc
// comment in the Go source content, without its heading: the section
// starts with a line "NAME: summary" and runs to the next heading. It
// panics if there is none, which the analyzer's package tests catch.
func MustExtract(content, name string) string {
	doc, err := Extract(content, name)
	if err != nil {
		panic(err)
	}
	return doc
}

// Extract is MustExtract returning an error.
func Extract(content, name string) (string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", content, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		return "", fmt.Errorf("doc.go: %w", err)
	}
	if f.Doc == nil {
		return "", fmt.Errorf("doc.go: no package doc comment")
	}
	heading := "Analyzer " + name
	for _, section := range strings.Split(f.Doc.Text(), "\n# ") {
		body, ok := strings.CutPrefix(section, heading)
		if !ok || body == "" || body[0] != '\n' {
			continue
		}
		body = strings.TrimSpace(body)
		rest, ok := strings.CutPrefix(body, name+":")
		if !ok {
			return "", fmt.Errorf("doc.go: %q is not followed by a line %q", "# "+heading, name+": summary")
		}
		return strings.TrimSpace(rest), nil
	}
	return "", fmt.Errorf("doc.go: no %q section in the package doc comment", "# "+heading)
}
