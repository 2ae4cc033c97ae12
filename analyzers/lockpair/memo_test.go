package lockpair

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tagcheck/tagcheck/cparse"
	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/rules"
)

// The definition both directories fetch: it is an acquire wrapper where
// grab() takes the device's lock, and nothing where grab() does not.
const fetchedDef = `
int open_dev(struct dev *d)
{
	grab(d);
	d->users++;
	return 0;
}
`

// Two directories, each with its own grab().
const (
	grabLocks = `
void grab(struct dev *d)
{
	mutex_lock(&d->lock);
}
`
	grabCounts = `
void grab(struct dev *d)
{
	d->grabs++;
}
`
)

// learnDir learns as a scan's directory does: its own functions, then
// the definitions it fetched, with sums shared between directories (nil:
// none). It returns the pairs learned, each as "name: what it says".
func learnDir(t *testing.T, own string, sums *Summaries) []string {
	t.Helper()
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	rs = rs.Clone()
	funcs := parseC(t, "dir/own.c", own)
	for _, f := range parseC(t, "lib/fetched.c", fetchedDef) {
		f.Fetched = true
		funcs = append(funcs, f)
	}
	var names []string
	for _, p := range LearnWith(funcs, rs, rules.C, sums) {
		names = append(names, fmt.Sprintf("%s: acquire %v release %v holds %v neutral %v", p.Name, p.Acquire, p.Release, p.Holds(), p.Neutral))
	}
	slices.Sort(names)
	return names
}

func parseC(t *testing.T, path, src string) []*flow.Func {
	t.Helper()
	cf, err := cparse.ParseC(path, []byte(src), cparse.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return cf.Funcs
}

// TestSummariesFollowTheirRules: the same fetched definition learned in
// two directories whose own code says different things of what it calls
// gives each directory its own summary, in either order, exactly as
// learning without the memo does; a third directory like the first
// reuses the first's walk.
func TestSummariesFollowTheirRules(t *testing.T) {
	locks, counts := learnDir(t, grabLocks, nil), learnDir(t, grabCounts, nil)
	wrapper := "open_dev: acquire [open_dev] release [mutex_unlock] holds [&$0->lock] neutral false"
	if !slices.Contains(locks, wrapper) || slices.ContainsFunc(counts, func(p string) bool { return strings.HasPrefix(p, "open_dev: acquire [open_dev]") }) {
		t.Fatalf("without the memo: learned %q where grab locks, %q where it counts; want %q in the first only", locks, counts, wrapper)
	}
	for _, order := range [][]string{{grabLocks, grabCounts, grabLocks}, {grabCounts, grabLocks, grabCounts}} {
		sums := NewSummaries(rules.C)
		hitsBefore := 0
		for i, own := range order {
			want := counts
			if own == grabLocks {
				want = locks
			}
			hitsBefore = sums.hits
			if got := learnDir(t, own, sums); !slices.Equal(got, want) {
				t.Errorf("directory %d of %d: learned %q, want %q", i+1, len(order), got, want)
			}
		}
		if sums.hits == hitsBefore {
			t.Errorf("the third directory walked the fetched definition again")
		}
		if n := len(sums.cur["lib/fetched.c:2:5\x00open_dev"]); n != 2 {
			t.Errorf("%d summaries of open_dev kept, want one per rule context (2)", n)
		}
	}
}
