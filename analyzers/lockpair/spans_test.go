package lockpair

import (
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"testing"

	"github.com/tagcheck/tagcheck/flow"
	"github.com/tagcheck/tagcheck/rules"
)

// cmpTest is one branch condition "v op k" (or "k op v", or negated), and
// the side of it a path takes: value is that of the condition as written.
type cmpTest struct {
	v       string
	op      string
	k       int64
	flipped bool // written k op v
	negated bool // written !(...)
	value   bool
}

func (t cmpTest) expr() *flow.Expr {
	x := &flow.Expr{Op: flow.OpIdent, Name: t.v, Text: t.v}
	k := &flow.Expr{Op: flow.OpNumber, Name: strconv.FormatInt(t.k, 10), Text: strconv.FormatInt(t.k, 10)}
	args := []*flow.Expr{x, k}
	op := t.op
	if t.flipped {
		args = []*flow.Expr{k, x}
		op = flipCmp(op)
	}
	e := &flow.Expr{Op: flow.OpBinary, Name: op, Args: args, Text: fmt.Sprintf("%s %s %s", args[0].Text, op, args[1].Text)}
	if t.negated {
		e = &flow.Expr{Op: flow.OpUnary, Name: "!", Args: []*flow.Expr{e}, Text: "!(" + e.Text + ")"}
	}
	return e
}

// holds evaluates the test on values the way Go does.
func (t cmpTest) holds(vals map[string]int64) bool {
	return cmpInts(vals[t.v], t.op, t.k) == t.value
}

func (t cmpTest) String() string {
	return fmt.Sprintf("%s %s %d is %v", t.v, t.op, t.k, t.value)
}

// goWalker is a walker in the Go dialect that knows x and y to be
// compared and tested in several places, as a real function's would.
func goWalker() (*walker, *state) {
	w := &walker{f: &flow.Func{Name: "f"}, rs: &rules.Set{}, opt: Options{Lang: rules.Go}, d: dialectOf(rules.Go),
		retested: map[string]bool{"x": true, "y": true}, tested: map[string]bool{"x": true, "y": true},
		compared: map[string]bool{"x": true, "y": true}, reported: map[reportKey]bool{}}
	s := &state{released: map[string]release{}, external: map[string]bool{}, failed: map[string]*flow.Expr{},
		consts: map[string]retClass{}, passed: map[string]bool{}}
	return w, s
}

// feasible says whether the Go walk lets a path take every test in turn.
func feasible(tests []cmpTest) bool {
	w, s := goWalker()
	for _, t := range tests {
		if !w.edge(s, flow.Edge{Cond: t.expr(), Value: t.value}) {
			return false
		}
	}
	return true
}

// bruteFeasible looks for values of x and y that pass every test. The
// constants lie in -3..3, so if any integers pass, some in -5..5 do.
func bruteFeasible(tests []cmpTest) bool {
	for x := int64(-5); x <= 5; x++ {
		for y := int64(-5); y <= 5; y++ {
			ok := true
			for _, t := range tests {
				ok = ok && t.holds(map[string]int64{"x": x, "y": y})
			}
			if ok {
				return true
			}
		}
	}
	return false
}

// The case: a == 0 went false, then a < 0 went false: a > 0, not
// an impossible path.
func TestFeasibilityZeroThenNegative(t *testing.T) {
	tests := []cmpTest{{v: "x", op: "==", k: 0, value: false}, {v: "x", op: "<", k: 0, value: false}}
	if !feasible(tests) {
		t.Fatal("x != 0, x >= 0 judged impossible")
	}
}

func TestFeasibilityTable(t *testing.T) {
	for _, tc := range []struct {
		tests []cmpTest
		want  bool
	}{
		{[]cmpTest{{v: "x", op: "<", k: 3, value: true}, {v: "x", op: "<=", k: 2, value: false}}, false},
		{[]cmpTest{{v: "x", op: "<", k: 3, value: true}, {v: "x", op: "<", k: 2, value: false}}, true},
		{[]cmpTest{{v: "x", op: "==", k: 2, value: false}, {v: "x", op: ">", k: 1, value: true}, {v: "x", op: "<", k: 3, value: true}}, false},
		{[]cmpTest{{v: "x", op: ">=", k: 0, value: true}, {v: "x", op: "!=", k: 0, value: true}, {v: "x", op: "<", k: 1, value: true}}, false},
		{[]cmpTest{{v: "x", op: "<", k: 0, value: false}, {v: "x", op: "==", k: 0, value: false}}, true},
		{[]cmpTest{{v: "x", op: "<", k: 0, value: true}, {v: "x", op: "==", k: 0, value: true}}, false},
		{[]cmpTest{{v: "x", op: ">", k: 1, flipped: true, value: true}, {v: "x", op: ">=", k: 2, value: false}}, false}, // 1 < x, x < 2
		{[]cmpTest{{v: "x", op: "==", k: 1, negated: true, value: false}, {v: "x", op: "!=", k: 1, value: true}}, false},
	} {
		if got := feasible(tc.tests); got != tc.want || got != bruteFeasible(effective(tc.tests)) {
			t.Errorf("%v: walk says feasible=%v, want %v", tc.tests, got, tc.want)
		}
	}
}

// The walk's verdicts on random chains of comparisons of two integers with
// small constants match brute force: never an impossible path that some
// values take (the soundness bug), and none missed either.
func TestFeasibilityRandom(t *testing.T) {
	ops := []string{"==", "!=", "<", "<=", ">", ">="}
	rng := rand.New(rand.NewSource(13))
	for i := 0; i < 20000; i++ {
		n := 1 + rng.Intn(5)
		tests := make([]cmpTest, n)
		for j := range tests {
			tests[j] = cmpTest{v: []string{"x", "y"}[rng.Intn(2)], op: ops[rng.Intn(len(ops))], k: int64(rng.Intn(7) - 3),
				flipped: rng.Intn(4) == 0, negated: rng.Intn(4) == 0, value: rng.Intn(2) == 0}
		}
		walk, brute := feasible(tests), bruteFeasible(effective(tests))
		if walk != brute {
			var b strings.Builder
			for _, tt := range effective(tests) {
				b.WriteString(tt.String() + "; ")
			}
			t.Fatalf("%s: walk says feasible=%v, brute force %v", b.String(), walk, brute)
		}
	}
}

// effective turns negated tests into what they say of the comparison.
func effective(tests []cmpTest) []cmpTest {
	out := make([]cmpTest, len(tests))
	for i, t := range tests {
		out[i] = t
		if t.negated {
			out[i].negated = false
			out[i].value = !t.value
		}
	}
	return out
}

// One test has two edges but is one comparison: only a name compared in
// two places gets a span (a loop counter tested once does not split the
// walk's states).
func TestComparedTwice(t *testing.T) {
	cmp := cmpTest{v: "i", op: "<", k: 3}.expr()
	test := func(idx int) *flow.Block {
		return &flow.Block{Index: idx, Succs: []flow.Edge{{Cond: cmp, Value: true}, {Cond: cmp, Value: false}}}
	}
	once := &walker{f: &flow.Func{Blocks: []*flow.Block{test(0)}}}
	if once.comparedTwice()["i"] {
		t.Error("one test counted as two comparisons")
	}
	twice := &walker{f: &flow.Func{Blocks: []*flow.Block{test(0), test(1)}}}
	if !twice.comparedTwice()["i"] {
		t.Error("two tests not counted")
	}
}
