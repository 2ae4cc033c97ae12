package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The results of go vet -json: read, filtered by suppressions and
// baselines, and printed as text or JSON.

// The JSON that go vet -json prints: for each package, a tree from
// package ID to analyzer name to a list of diagnostics or an error
// (golang.org/x/tools/internal/analysis/driverutil.JSONTree).
type jsonEdit struct {
	Filename string `json:"filename"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	New      string `json:"new"`
}

type jsonFix struct {
	Message string     `json:"message"`
	Edits   []jsonEdit `json:"edits"`
}

type jsonRelated struct {
	Posn    string `json:"posn"`
	End     string `json:"end"`
	Message string `json:"message"`
}

type jsonDiag struct {
	Category       string        `json:"category,omitempty"`
	Posn           string        `json:"posn"`
	End            string        `json:"end"`
	Message        string        `json:"message"`
	SuggestedFixes []jsonFix     `json:"suggested_fixes,omitempty"`
	Related        []jsonRelated `json:"related,omitempty"`
}

type jsonErr struct {
	Err string `json:"error"`
}

// vetResult is one analyzer on one package: diagnostics or an error.
type vetResult struct {
	diags []jsonDiag
	err   *jsonErr
}

func (r vetResult) MarshalJSON() ([]byte, error) {
	if r.err != nil {
		return json.Marshal(r.err)
	}
	return json.Marshal(r.diags)
}

type vetResults struct {
	trees int
	byPkg map[string]map[string]*vetResult
}

// read decodes the stream of JSON trees.
func (res *vetResults) read(r io.Reader) error {
	res.byPkg = map[string]map[string]*vetResult{}
	dec := json.NewDecoder(bufio.NewReader(r))
	for {
		var tree map[string]map[string]json.RawMessage
		err := dec.Decode(&tree)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		res.trees++
		for id, units := range tree {
			m := res.byPkg[id]
			if m == nil {
				m = map[string]*vetResult{}
				res.byPkg[id] = m
			}
			for name, raw := range units {
				r := m[name]
				if r == nil {
					r = &vetResult{}
					m[name] = r
				}
				if t := bytes.TrimSpace(raw); len(t) > 0 && t[0] == '{' {
					var e jsonErr
					if err := json.Unmarshal(raw, &e); err != nil {
						return err
					}
					r.err = &e
					continue
				}
				var ds []jsonDiag
				if err := json.Unmarshal(raw, &ds); err != nil {
					return err
				}
				r.diags = append(r.diags, ds...)
			}
		}
	}
}

// filter drops diagnostics in test files when tests are not wanted: go
// vet always analyzes a package with its tests.
func (res *vetResults) filter(tests bool) {
	if tests {
		return
	}
	for id, units := range res.byPkg {
		for name, r := range units {
			var keep []jsonDiag
			for _, d := range r.diags {
				if !strings.HasSuffix(posnFile(d.Posn), "_test.go") {
					keep = append(keep, d)
				}
			}
			r.diags = keep
			if r.err == nil && len(r.diags) == 0 {
				delete(units, name)
			}
		}
		if len(units) == 0 {
			delete(res.byPkg, id)
		}
	}
}

func (res *vetResults) ids() []string {
	return slices.Sorted(maps.Keys(res.byPkg))
}

func sortedNames(m map[string]*vetResult) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// printJSON prints one tree for all packages, as the multichecker did.
func (res *vetResults) printJSON(w io.Writer) error {
	tree := map[string]map[string]*vetResult{}
	for id, units := range res.byPkg {
		for name, r := range units {
			if r.err == nil && len(r.diags) == 0 {
				continue
			}
			if tree[id] == nil {
				tree[id] = map[string]*vetResult{}
			}
			tree[id][name] = r
		}
	}
	data, err := json.MarshalIndent(tree, "", "\t")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}

// printText prints diagnostics as the multichecker did ("file:line:col:
// message", related information indented by a tab, -c context lines),
// each once, and analyzer errors; it returns how many of each.
func (res *vetResults) printText(w io.Writer, context int) (nerr, ndiag int) {
	type key struct{ posn, end, analyzer, msg string }
	seen := map[key]bool{}
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	for _, id := range res.ids() {
		units := res.byPkg[id]
		for _, name := range sortedNames(units) {
			r := units[name]
			if r.err != nil {
				nerr++
				fmt.Fprintf(bw, "%s: %s: %s\n", name, id, r.err.Err)
				continue
			}
			for _, d := range r.diags {
				k := key{d.Posn, d.End, name, d.Message}
				if seen[k] {
					continue
				}
				seen[k] = true
				ndiag++
				printPlain(bw, d.Posn, d.End, d.Message, context)
				for _, rel := range d.Related {
					printPlain(bw, rel.Posn, rel.End, "\t"+rel.Message, context)
				}
			}
		}
	}
	return nerr, ndiag
}

func printPlain(w io.Writer, posn, end, msg string, context int) {
	fmt.Fprintf(w, "%s: %s\n", posn, msg)
	if context < 0 {
		return
	}
	file, line, ok := splitPosn(posn)
	if !ok {
		return
	}
	endLine := line
	if _, l, ok := splitPosn(end); ok && l >= line {
		endLine = l
	}
	data, _ := os.ReadFile(file)
	lines := strings.Split(string(data), "\n")
	for i := line - context; i <= endLine+context; i++ {
		if 1 <= i && i <= len(lines) {
			fmt.Fprintf(w, "%d\t%s\n", i, lines[i-1])
		}
	}
}

// splitPosn splits "file:line:col" (or "file:line").
func splitPosn(p string) (file string, line int, ok bool) {
	file = p
	for range 2 {
		i := strings.LastIndexByte(file, ':')
		if i < 0 {
			break
		}
		n, err := strconv.Atoi(file[i+1:])
		if err != nil {
			break
		}
		line, file, ok = n, file[:i], true
	}
	return file, line, ok && file != ""
}

func posnFile(p string) string {
	f, _, ok := splitPosn(p)
	if !ok {
		return p
	}
	return f
}
