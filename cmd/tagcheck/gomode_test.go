package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tagcheck/tagcheck/rules"
)

// goModule copies testdata/gomod (a small module with a lock-pairing bug
// in store, a double acquire through store's wrapper in user, and a pair
// that only dev.yaml declares in dev) into a temp dir.
func goModule(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	src, err := filepath.Abs(filepath.Join("testdata", "gomod"))
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		copyFile(t, p, filepath.Join(dst, rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

var goEnv = []string{"GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local"}

// TestE2EGoStandalone runs `tagcheck go` (which goes through go vet, one
// process per package) on testdata/gomod: text, JSON, rule packs and their
// digest, -fix, -test=false and the exit codes.
func TestE2EGoStandalone(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: tagcheck go runs go vet")
	}
	dir := goModule(t)
	mismatch := filepath.Join(dir, "store", "store.go") + ":15:3: lockpair/mismatched-release: s.mu.Unlock() does not pair with s.mu.RLock() at line 13; use s.mu.RUnlock()"
	double := filepath.Join(dir, "user", "user.go") + ":9:2: lockpair/double-acquire: s.Lock() acquires s.mu, already held since s.Lock() at line 8"
	inTest := filepath.Join(dir, "store", "store_test.go") + ":9:3: lockpair/unreleased"

	// Text on stderr, as the multichecker printed it; exit 3.
	r := tc(t, dir, goEnv, "go", "./...")
	wantCode(t, r, 3)
	for _, want := range []string{mismatch, double, inTest, "store.go:13:2: \ts.mu.RLock() acquires s.mu"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("tagcheck go ./... lacks %q:\n%s", want, r)
		}
	}
	if strings.Contains(r.stderr, "dev.go") {
		t.Errorf("dev's pair is not known without -lockpair.rules:\n%s", r)
	}

	// One JSON tree on stdout, exit 0 (the multichecker's -json).
	r = tc(t, dir, goEnv, "go", "-json", "./...")
	wantCode(t, r, 0)
	var tree map[string]map[string][]struct {
		Category       string `json:"category"`
		Posn           string `json:"posn"`
		Message        string `json:"message"`
		SuggestedFixes []struct {
			Message string `json:"message"`
		} `json:"suggested_fixes"`
		Related []struct {
			Posn    string `json:"posn"`
			Message string `json:"message"`
		} `json:"related"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &tree); err != nil {
		t.Fatalf("-json output is not one JSON tree: %v\n%s", err, r)
	}
	var cats []string
	for id, byAnalyzer := range tree {
		for name, diags := range byAnalyzer {
			for _, d := range diags {
				cats = append(cats, name+"/"+d.Category)
				if !strings.HasPrefix(d.Message, "lockpair/"+d.Category+": ") || len(d.Related) == 0 {
					t.Errorf("%s: %s: diagnostic %+v", id, name, d)
				}
				if d.Category == "mismatched-release" && (len(d.SuggestedFixes) != 1 || d.SuggestedFixes[0].Message != "Replace Unlock with RUnlock") {
					t.Errorf("mismatched-release without its fix: %+v", d)
				}
			}
		}
	}
	slices.Sort(cats)
	if got, want := strings.Join(cats, " "), "lockpair/double-acquire lockpair/mismatched-release lockpair/unreleased"; got != want {
		t.Errorf("-json categories = %q, want %q\n%s", got, want, r.stdout)
	}

	// -test=false: not the finding in store_test.go.
	r = tc(t, dir, goEnv, "go", "-test=false", "./...")
	wantCode(t, r, 3)
	if strings.Contains(r.stderr, "store_test.go") || !strings.Contains(r.stderr, mismatch) {
		t.Errorf("-test=false:\n%s", r)
	}

	// A rule pack, named relative to the working directory (the vet tool
	// runs elsewhere); its digest is part of go vet's cache key, so an
	// edited pack is seen on the next run.
	sub := filepath.Join(dir, "dev")
	r = tc(t, sub, goEnv, "go", "-lockpair.rules=../dev.yaml", ".")
	wantCode(t, r, 3)
	if !strings.Contains(r.stderr, "dev.go:13:3: lockpair/unreleased: d acquired by d.Acquire() at line 11") {
		t.Errorf("-lockpair.rules:\n%s", r)
	}
	os.WriteFile(filepath.Join(dir, "dev.yaml"), []byte("name: dev\npairs: []\n"), 0o644)
	r = tc(t, sub, goEnv, "go", "-lockpair.rules=../dev.yaml", ".")
	wantCode(t, r, 0)
	r = tc(t, sub, goEnv, "go", "-lockpair.rules=../dev.yaml", "-lockpair.rules_digest=0123456789abcdef", ".")
	wantCode(t, r, 2)
	oneLineError(t, r, "lockpair.rules_digest", "does not match")

	// -fix -diff prints the diff and changes nothing; -fix applies it.
	r = tc(t, dir, goEnv, "go", "-fix", "-diff", "./store")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "-\t\ts.mu.Unlock()\n+\t\ts.mu.RUnlock()") {
		t.Errorf("-fix -diff:\n%s", r)
	}
	r = tc(t, dir, goEnv, "go", "-fix", "./store")
	wantCode(t, r, 0)
	if data, _ := os.ReadFile(filepath.Join(dir, "store", "store.go")); !strings.Contains(string(data), "\t\ts.mu.RUnlock()\n\t\treturn 0") {
		t.Errorf("-fix did not apply the fix:\n%s\n%s", r, data)
	}
	r = tc(t, dir, goEnv, "go", "-test=false", "./store")
	wantCode(t, r, 0)

	// A package that does not type-check: exit 1, go's message.
	os.MkdirAll(filepath.Join(dir, "broken"), 0o755)
	os.WriteFile(filepath.Join(dir, "broken", "b.go"), []byte("package broken\n\nfunc F() int { return \"x\" }\n"), 0o644)
	r = tc(t, dir, goEnv, "go", "./broken")
	wantCode(t, r, 1)
	if !strings.Contains(r.stderr, "b.go:3:23: cannot use") {
		t.Errorf("type error:\n%s", r)
	}
}

// TestE2EGoErrors: command-line mistakes exit 2 with a message, never a
// panic or a usage dump.
func TestE2EGoErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: tagcheck go runs go vet")
	}
	dir := goModule(t)
	for _, c := range []struct {
		args     []string
		mentions []string
	}{
		{[]string{"go", "./nosuch/..."}, []string{"tagcheck: go:", "nosuch"}},
		{[]string{"go", "./nosuch"}, []string{"tagcheck: go:", "nosuch"}},
		{[]string{"go", "-nosuchflag", "./..."}, []string{"tagcheck: go:", "-nosuchflag"}},
		{[]string{"go", "-c=many", "./..."}, []string{"tagcheck: go:", "-c"}},
		{[]string{"go"}, []string{"tagcheck: go:", "no packages"}},
		{[]string{"go", "-lockpair.rules=nope.yaml", "./..."}, []string{"tagcheck: go:", "nope.yaml"}},
	} {
		r := tc(t, dir, goEnv, c.args...)
		wantCode(t, r, 2)
		if strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "goroutine ") {
			t.Errorf("%v: panicked:\n%s", c.args, r)
		}
		for _, m := range c.mentions {
			if !strings.Contains(r.stderr, m) {
				t.Errorf("%v: stderr lacks %q:\n%s", c.args, m, r)
			}
		}
	}
}

// TestE2EGoProtocol: go vet's protocol still reaches the unitchecker.
func TestE2EGoProtocol(t *testing.T) {
	dir := t.TempDir()
	r := tc(t, dir, nil, "-V=full")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "version devel") {
		t.Errorf("-V=full:\n%s", r)
	}
	r = tc(t, dir, nil, "-flags")
	wantCode(t, r, 0)
	var flags []struct{ Name string }
	if err := json.Unmarshal([]byte(r.stdout), &flags); err != nil {
		t.Fatalf("-flags: %v\n%s", err, r)
	}
	var names []string
	for _, f := range flags {
		names = append(names, f.Name)
	}
	for _, want := range []string{"json", "lockpair.rules", "lockpair.rules_digest", "taggedptr.rules", "taggedptr.rules_digest"} {
		if !slices.Contains(names, want) {
			t.Errorf("-flags lacks %s: %v", want, names)
		}
	}
}

func TestParseGoArgs(t *testing.T) {
	dir := t.TempDir()
	pack := filepath.Join(dir, "p.yaml")
	os.WriteFile(pack, []byte("name: p\npairs: []\n"), 0o644)
	digest, err := rules.FileDigest([]string{pack})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args                []string
		protocol, inProcess bool
		vet                 string // go vet's arguments after -vettool=T
	}{
		{args: []string{"./..."}, vet: "-json -- ./..."},
		{args: []string{"-json", "-c=2", "./a", "./b"}, vet: "-json -- ./a ./b"},
		{args: []string{"-fix", "-json", "./..."}, vet: "-fix -- ./..."},
		{args: []string{"-fix", "-diff", "./..."}, vet: "-fix -diff -- ./..."},
		{args: []string{"-diff", "./..."}, vet: "-json -- ./..."},
		{args: []string{"-debug=tp", "-tags=x", "-taggedptr=false", "./..."}, vet: "-p=1 -tags=x -json -taggedptr=false -- ./..."},
		{args: []string{"-lockpair.rules=" + pack, "./..."}, vet: "-json -lockpair.rules=" + pack + " -lockpair.rules_digest=" + digest[:16] + " -- ./..."},
		{args: []string{"-taggedptr.rules=" + pack, "-lockpair.rules=" + pack, "-lockpair.rules_digest=" + digest[:10], "./..."},
			vet: "-json -lockpair.rules=" + pack + " -taggedptr.rules=" + pack + " -lockpair.rules_digest=" + digest[:10] + " -taggedptr.rules_digest=" + digest[:16] + " -- ./..."},
		{args: []string{"-V=full"}, protocol: true},
		{args: []string{"-flags"}, protocol: true},
		{args: []string{"-json", "/tmp/x/vet.cfg"}, protocol: true},
		{args: []string{"help", "lockpair"}, protocol: true},
		{args: []string{"-cpuprofile=x", "./..."}, inProcess: true},
		{args: []string{"-debug=f", "./..."}, inProcess: true},
	} {
		o, err := parseGoArgs(c.args)
		if err != nil {
			t.Errorf("%v: %v", c.args, err)
			continue
		}
		if o.protocol != c.protocol || o.inProcess != c.inProcess {
			t.Errorf("%v: protocol %v inProcess %v, want %v %v", c.args, o.protocol, o.inProcess, c.protocol, c.inProcess)
			continue
		}
		if c.vet == "" {
			continue
		}
		got := strings.Join(o.vetArgs("T"), " ")
		if want := "vet -vettool=T " + c.vet; got != want {
			t.Errorf("%v:\n got %s\nwant %s", c.args, got, want)
		}
	}
	for _, bad := range [][]string{
		{"-nosuch", "./..."}, {"-c=x", "./..."}, {"-debug=q", "./..."}, {}, {"-json"},
		{"-lockpair.rules_digest=abcdef0123", "./..."},
		{"-lockpair.rules=" + pack, "-lockpair.rules_digest=ffffffff", "./..."},
		{"-lockpair.rules=" + filepath.Join(dir, "none.yaml"), "./..."},
	} {
		if _, err := parseGoArgs(bad); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}

func TestSplitPosn(t *testing.T) {
	for _, c := range []struct {
		in   string
		file string
		line int
	}{
		{"/a/b.go:12:3", "/a/b.go", 12},
		{"/a/b.go:12", "/a/b.go", 12},
		{"C:/a/b.go:7:1", "C:/a/b.go", 7},
	} {
		f, l, ok := splitPosn(c.in)
		if !ok || f != c.file || l != c.line {
			t.Errorf("splitPosn(%q) = %q %d %v", c.in, f, l, ok)
		}
	}
	if _, _, ok := splitPosn("nowhere"); ok {
		t.Error("splitPosn(nowhere) ok")
	}
}

// TestE2EGoFormats: tagcheck go in tagcheck's own formats, with
// baselines, and //nolint:lockpair, as check and scan have them.
func TestE2EGoFormats(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: tagcheck go runs go vet")
	}
	dir := goModule(t)

	r := tc(t, dir, goEnv, "go", "-test=false", "--format", "sarif", "./...")
	wantCode(t, r, 3)
	checkSARIFOut(t, r.stdout)
	if !strings.Contains(r.stdout, `"uri": "store/store.go"`) || !strings.Contains(r.stdout, `"name": "S.Get"`) || !strings.Contains(r.stdout, `"insertedContent": {`) {
		t.Errorf("SARIF lacks the relative file, the function or the fix:\n%s", r.stdout)
	}
	r = tc(t, dir, goEnv, "go", "-test=false", "-format=json", "./...")
	wantCode(t, r, 3)
	checkJSONContract(t, r.stdout)
	var doc struct{ Findings []map[string]any }
	json.Unmarshal([]byte(r.stdout), &doc)
	var got []string
	for _, f := range doc.Findings {
		got = append(got, f["rule"].(string)+" "+f["file"].(string)+" "+f["function"].(string))
	}
	if want := "lockpair/mismatched-release store/store.go S.Get|lockpair/double-acquire user/user.go Twice"; strings.Join(got, "|") != want {
		t.Errorf("findings %q, want %q", strings.Join(got, "|"), want)
	}

	// A baseline of today's findings; a moved line keeps its entry, a
	// new bug is reported alone.
	wantCode(t, tc(t, dir, goEnv, "go", "-test=false", "--write-baseline", "tc-baseline.json", "./..."), 0)
	r = tc(t, dir, goEnv, "go", "-test=false", "--baseline", "tc-baseline.json", "./...")
	wantCode(t, r, 0)
	if !strings.Contains(r.stderr, "2 findings in baseline tc-baseline.json not shown") {
		t.Errorf("baseline note:\n%s", r)
	}
	store := filepath.Join(dir, "store", "store.go")
	src := string(must(os.ReadFile(store)))
	os.WriteFile(store, []byte(strings.Replace(src, "import \"sync\"\n", "import \"sync\"\n\n// moved down\n", 1)+goSecondBug), 0o644)
	r = tc(t, dir, goEnv, "go", "-test=false", "--baseline", "tc-baseline.json", "./...")
	wantCode(t, r, 3)
	if strings.Count(r.stderr, ": lockpair/") != 1 || !strings.Contains(r.stderr, "store.go") || !strings.Contains(r.stderr, "s.mu.Unlock() does not pair with s.mu.RLock() at line") {
		t.Errorf("only the new bug must be reported:\n%s", r)
	}
	r = tc(t, dir, goEnv, "go", "-test=false", "--baseline", "tc-baseline.json", "--format", "sarif", "./...")
	wantCode(t, r, 3)
	if strings.Count(r.stdout, `"ruleId"`) != 1 {
		t.Errorf("SARIF after the baseline:\n%s", r.stdout)
	}

	// //nolint:lockpair, as golangci-lint users write it.
	os.WriteFile(store, []byte(strings.Replace(src, "\t\ts.mu.Unlock()\n", "\t\ts.mu.Unlock() //nolint:lockpair // test of nolint\n", 1)), 0o644)
	r = tc(t, dir, goEnv, "go", "-test=false", "./store")
	wantCode(t, r, 0)

	// .tagcheck.yaml applies to Go mode: a disabled rule, an excluded
	// directory.
	os.WriteFile(filepath.Join(dir, ".tagcheck.yaml"), []byte("disable: [lockpair/double-acquire]\nexclude: [store/**]\n"), 0o644)
	r = tc(t, dir, goEnv, "go", "-test=false", "./...")
	wantCode(t, r, 0)
	os.WriteFile(filepath.Join(dir, ".tagcheck.yaml"), []byte("disable: [lockpair/mismatched-release]\n"), 0o644)
	r = tc(t, dir, goEnv, "go", "-test=false", "./user", "./store")
	wantCode(t, r, 3)
	if strings.Contains(r.stderr, "mismatched-release") || !strings.Contains(r.stderr, "double-acquire") {
		t.Errorf("configured disable in Go mode:\n%s", r)
	}
	os.Remove(filepath.Join(dir, ".tagcheck.yaml"))

	// Tagcheck's formats do not mix with the multichecker's -json or -fix.
	oneLineError(t, tc(t, dir, goEnv, "go", "-json", "-format=sarif", "./..."), "-json")
	oneLineError(t, tc(t, dir, goEnv, "go", "-fix", "-baseline=x", "./..."), "-fix")
	oneLineError(t, tc(t, dir, goEnv, "go", "-format=xml", "./..."), "xml")
}

const goSecondBug = `
func (s *S) Peek() int {
	s.mu.RLock()
	n := s.n
	s.mu.Unlock()
	return n
}
`
