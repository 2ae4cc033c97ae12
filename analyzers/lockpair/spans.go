package lockpair

import (
	"math"
	"slices"
	"strconv"

	"github.com/tagcheck/tagcheck/flow"
)

// A span is what a path knows of an integer it compared with constants:
// a value in lo..hi, none of the values in not. The walk uses spans to
// drop paths whose tests contradict each other (a == 0 went false, so
// after a < 1 went false too, a >= 1), and nothing else: a span may say
// too little, never too much, so a path it drops is one no execution
// takes.
type span struct {
	lo, hi int64   // spanMin and spanMax stand for no bound
	not    []int64 // sorted, strictly inside lo..hi
}

// Constants beyond ±2^62 are not tracked, so that a bound moved by one
// never reaches the sentinels that stand for "no bound".
const (
	spanMin   = math.MinInt64
	spanMax   = math.MaxInt64
	spanLimit = 1 << 62
)

func fullSpan() span { return span{lo: spanMin, hi: spanMax} }

// narrow returns sp with "x op k" known to be truth, and whether any
// value is left.
func (sp span) narrow(op string, k int64, truth bool) (span, bool) {
	if !truth {
		op = negateCmp(op)
	}
	out := span{lo: sp.lo, hi: sp.hi, not: slices.Clone(sp.not)}
	switch op {
	case "==":
		out.lo, out.hi = max(out.lo, k), min(out.hi, k)
	case "!=":
		if !slices.Contains(out.not, k) {
			out.not = append(out.not, k)
			slices.Sort(out.not)
		}
	case "<":
		out.hi = min(out.hi, k-1)
	case "<=":
		out.hi = min(out.hi, k)
	case ">":
		out.lo = max(out.lo, k+1)
	case ">=":
		out.lo = max(out.lo, k)
	}
	return out.tidy()
}

// tidy moves the bounds past excluded values and drops the excluded
// values outside them; false when no value is left.
func (sp span) tidy() (span, bool) {
	for sp.lo <= sp.hi && slices.Contains(sp.not, sp.lo) {
		sp.lo++
	}
	for sp.lo <= sp.hi && slices.Contains(sp.not, sp.hi) {
		sp.hi--
	}
	kept := sp.not[:0]
	for _, v := range sp.not {
		if v > sp.lo && v < sp.hi {
			kept = append(kept, v)
		}
	}
	sp.not = kept
	return sp, sp.lo <= sp.hi
}

func (sp span) String() string {
	b := strconv.FormatInt(sp.lo, 10) + ".." + strconv.FormatInt(sp.hi, 10)
	for _, v := range sp.not {
		b += "!" + strconv.FormatInt(v, 10)
	}
	return b
}

func negateCmp(op string) string {
	switch op {
	case "==":
		return "!="
	case "!=":
		return "=="
	case "<":
		return ">="
	case "<=":
		return ">"
	case ">":
		return "<="
	case ">=":
		return "<"
	}
	return op
}

// flipCmp is op with its operands swapped: k < x is x > k.
func flipCmp(op string) string {
	switch op {
	case "<":
		return ">"
	case "<=":
		return ">="
	case ">":
		return "<"
	case ">=":
		return "<="
	}
	return op
}

// intConst reads a small integer constant.
func intConst(e *flow.Expr) (int64, bool) {
	e = flow.Strip(e)
	if e == nil || e.Op != flow.OpNumber {
		return 0, false
	}
	v, err := strconv.ParseInt(e.Name, 0, 64)
	if err != nil || v <= -spanLimit || v >= spanLimit {
		return 0, false
	}
	return v, true
}

// intCompare reads c as "x op k" with k a constant: the key of x, the
// operator as seen from x, and k. x must be a plain name (an SSA value or
// a local), which nothing but an assignment the walk sees can change.
func intCompare(c *flow.Expr) (key, op string, k int64, ok bool) {
	c = flow.Strip(c)
	if c == nil || c.Op != flow.OpBinary || negateCmp(c.Name) == c.Name {
		return "", "", 0, false
	}
	x, y := flow.Strip(c.Arg(0)), flow.Strip(c.Arg(1))
	op = c.Name
	if v, isConst := intConst(y); isConst && x != nil && x.Op == flow.OpIdent {
		return x.Key(), op, v, true
	}
	if v, isConst := intConst(x); isConst && y != nil && y.Op == flow.OpIdent {
		return y.Key(), flipCmp(op), v, true
	}
	return "", "", 0, false
}

// constCond evaluates a condition made of constants only: if false,
// if debug where debug is a false constant, if 3 < 2.
func constCond(c *flow.Expr) (value, known bool) {
	c = flow.Strip(c)
	if c == nil {
		return false, false
	}
	if v, ok := intConst(c); ok {
		return v != 0, true
	}
	switch {
	case c.Op == flow.OpUnary && c.Name == "!":
		v, ok := constCond(c.Arg(0))
		return !v, ok
	case c.Op == flow.OpBinary && negateCmp(c.Name) != c.Name:
		x, okx := intConst(c.Arg(0))
		y, oky := intConst(c.Arg(1))
		if !okx || !oky {
			return false, false
		}
		return cmpInts(x, c.Name, y), true
	}
	return false, false
}

func cmpInts(x int64, op string, y int64) bool {
	switch op {
	case "==":
		return x == y
	case "!=":
		return x != y
	case "<":
		return x < y
	case "<=":
		return x <= y
	case ">":
		return x > y
	}
	return x >= y
}

// spanEdge applies taking the edge whose condition c is value to what the
// path knows of integers; false when the edge cannot be taken.
func (w *walker) spanEdge(s *state, c *flow.Expr, value bool) bool {
	for {
		c = flow.Strip(c)
		if c == nil || c.Op != flow.OpUnary || c.Name != "!" {
			break
		}
		c, value = c.Arg(0), !value
	}
	if v, known := constCond(c); known {
		return v == value
	}
	key, op, k, ok := intCompare(c)
	if !ok || !w.comparedTwice()[key] {
		return true
	}
	sp, had := s.spans[key]
	if !had {
		sp = fullSpan()
	}
	sp, left := sp.narrow(op, k, value)
	if !left {
		return false
	}
	own(s, mSpans, &s.spans)[key] = sp
	return true
}

// comparedTwice lists the names compared with constants in more than one
// place: only they can correlate, so only their spans are kept (and
// split states).
func (w *walker) comparedTwice() map[string]bool {
	if w.compared != nil {
		return w.compared
	}
	seen := map[string]int{}
	for _, b := range w.f.Blocks {
		counted := map[string]bool{} // both edges of one test are one comparison
		for _, e := range b.Succs {
			c := e.Cond
			for c != nil {
				c = flow.Strip(c)
				if c == nil || c.Op != flow.OpUnary || c.Name != "!" {
					break
				}
				c = c.Arg(0)
			}
			if key, _, _, ok := intCompare(c); ok && !counted[key] {
				counted[key] = true
				seen[key]++
			}
		}
	}
	w.compared = map[string]bool{}
	for k, n := range seen {
		if n > 1 {
			w.compared[k] = true
		}
	}
	return w.compared
}

// spansKey sums the spans of a state for its key.
func (s *state) spansKey(k *keyer) elemSum {
	var sum elemSum
	for name, sp := range s.spans {
		k.str(name).num(sp.lo).num(sp.hi)
		for _, v := range sp.not {
			k.num(v)
		}
		k.add(&sum)
	}
	return sum
}

// dropSpans forgets the spans of keys that mention name (assigned).
func (s *state) dropSpans(name string) {
	for k := range s.spans {
		if k == name || mentions(k, name) {
			drop(s, mSpans, &s.spans, k)
		}
	}
}
