package report

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// TestReadmeFindings keeps README.md's Findings table in step with the
// registry: one row per rule, its C and Go columns as the registry says.
func TestReadmeFindings(t *testing.T) {
	f, err := os.Open("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows := map[string]string{}
	inTable := false
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case line == "## Findings":
			inTable = true
		case inTable && strings.HasPrefix(line, "## "):
			inTable = false
		case inTable && strings.HasPrefix(line, "| `"):
			cells := strings.Split(line, "|")
			if len(cells) < 5 {
				t.Fatalf("README.md:%d: want | `rule` | C | Go | what |", n)
			}
			id := strings.Trim(strings.TrimSpace(cells[1]), "`")
			rows[id] = strings.TrimSpace(cells[2]) + "|" + strings.TrimSpace(cells[3])
		}
	}
	mark := func(b bool) string {
		if b {
			return "✓"
		}
		return ""
	}
	for _, id := range SortedRuleIDs() {
		ri := Info(id)
		want := mark(ri.C) + "|" + mark(ri.Go)
		got, ok := rows[id]
		switch {
		case !ok:
			t.Errorf("README.md's Findings table has no row for %s", id)
		case got != want:
			t.Errorf("README.md: %s is checked in C|Go %q, the registry says %q", id, got, want)
		}
		delete(rows, id)
	}
	for id := range rows {
		t.Errorf("README.md's Findings table lists %s, which the registry (rules.go) does not define", id)
	}
}
