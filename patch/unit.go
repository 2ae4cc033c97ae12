package patch

import (
	"slices"
	"sort"
	"strings"

	"github.com/tagcheck/tagcheck/flow"
)

// Unit is C text ready for the tree-sitter front end. Line N of Src is
// post-image line PostLine(N), so positions tree-sitter reports map to
// post-image positions; for a Whole image the two are the same line.
// Synthetic text the wrapper adds sits only on unseen lines (or after the
// last line); on a seen line only after its own text, the calls a pure
// deletion removed right after it, renamed with flow.RemovedRelease.
type Unit struct {
	Path  string
	Src   []byte
	Whole bool
	// skips says where Src leaves out a long run of blank unseen lines:
	// from line at of Src on, post-image lines are by more ahead.
	skips []lineSkip
}

// lineSkip is one run of blank unseen lines left out of a Unit's Src.
type lineSkip struct{ at, more int }

// PostLine is the post-image line of line n of Src.
func (u Unit) PostLine(n int) int {
	i := sort.Search(len(u.skips), func(i int) bool { return u.skips[i].at > n })
	if i == 0 {
		return n
	}
	return n + u.skips[i-1].more
}

// maxBlank is how many blank unseen lines in a row Src keeps: a longer
// run is left out (the text around a gap is what the parse needs), so a
// hunk at line 4,000,000 costs no newline for each line before it.
const maxBlank = 64

// Unseen is the call the wrapper writes where the patch hides lines of a
// function; the front end lowers it to an "unknown state here" event.
const Unseen = "__tagcheck_unseen();"

// FragmentFunc names the synthetic function wrapped around a fragment that
// starts inside a body when the hunk does not say which function it is.
const FragmentFunc = flow.FragmentFunc

// Units returns the text to parse: for a Whole post-image one Unit with the
// file; for fragments, the seen lines with synthetic wrapping so that the
// text parses as C.
//
// The wrapping, all of it on unseen lines or after the last line:
//
//   - a fragment that starts inside a function body gets a header on the
//     line before it: the hunk's @@ section plus " {" when that is a whole
//     signature, else "TYPE NAME(void) {" (NAME from the section, or
//     FragmentFunc; TYPE what the section writes before NAME, or
//     flow.UnknownResult), one more "{" per further level, then Unseen;
//   - a fragment that starts inside a parameter list gets "void NAME(";
//     one that starts inside a comment gets "/*";
//   - between two hunks of one function (PostImage.Gaps counts these) the
//     first unseen line holds Unseen, plus the braces the gap closed or
//     opened: judged from the indentation of the first line after the gap,
//     or, when the patch lost its indentation, taken as balanced;
//   - where a function's end is not shown: Unseen then the closing braces
//     (aggregates and initializers get "};", unfinished statements ";");
//   - a declaration left unfinished at file level (a trailing function
//     header with no body) is ended with ";" on the next line.
//
// There is one Unit per file.
func (pi *PostImage) Units() []Unit {
	u := Unit{Path: pi.Path, Whole: pi.Whole}
	if pi.Whole {
		u.Src = pi.bytes(true)
		return []Unit{u}
	}
	w := wrap(pi)
	removed := pi.removedText()
	// The lines that hold text, seen or synthetic, in order; the blank
	// lines between them are written up to maxBlank in a row.
	var text []int
	n := len(w.trailer) + 1
	for ln, l := range pi.Text.All() {
		text = append(text, ln)
		n += len(l) + 1
	}
	for ln, s := range w.synth {
		text = append(text, ln)
		n += len(s) + 1
	}
	slices.Sort(text)
	text = append(text, pi.Len+1) // where the trailer goes
	b := make([]byte, 0, n+min(pi.Len, maxBlank*len(text)))
	srcLine := 1 // line of Src the next byte is on
	prev := 0    // post-image line last written
	for _, ln := range text {
		if blank := ln - prev - 1; blank > maxBlank {
			u.skips = append(u.skips, lineSkip{at: srcLine + maxBlank, more: ln - srcLine - maxBlank})
			b = append(b, strings.Repeat("\n", maxBlank)...)
			srcLine += maxBlank
		} else {
			b = append(b, strings.Repeat("\n", blank)...)
			srcLine += blank
		}
		if ln > pi.Len {
			break
		}
		if l, ok := pi.Text.Line(ln); ok {
			b = append(b, l...)
			b = append(b, removed[ln]...)
		} else {
			b = append(b, w.synth[ln]...)
		}
		b = append(b, '\n')
		srcLine++
		prev = ln
	}
	if w.trailer != "" {
		b = append(b, w.trailer...)
		b = append(b, '\n')
	}
	u.Src = b
	return []Unit{u}
}

// removedText returns, by post-image line, the text to write after it so
// that the checks see where the calls the patch deletes stood: each
// renamed with flow.RemovedRelease. After a line that ends a statement
// or opens or closes a block they follow on the same line. After the
// header of an if whose body is the one statement on the next line
// ("if (rc)" then "goto out;", where the patch deleted "goto unlock;")
// they open a block that the next line closes, so they run on the
// body's path only. Elsewhere they are left out. Only text at the end of
// lines is added: no column of the file's own text moves.
func (pi *PostImage) removedText() map[int]string {
	if len(pi.removed) == 0 {
		return nil
	}
	out := map[int]string{}
	for ln, calls := range pi.removed {
		l, ok := pi.Text.Line(ln)
		if !ok || len(calls) == 0 {
			continue
		}
		// Each line gets its text from its own entry only, so the order
		// of the map does not matter: a body line that has deletions of
		// its own is not wrapped.
		var marks strings.Builder
		for _, c := range calls {
			marks.WriteString(" " + flow.RemovedRelease + c)
		}
		t := strings.TrimSpace(l)
		switch {
		case t == "" || t[0] == '#' || t[0] == '*' || t[0] == '/':
		case strings.ContainsAny(t[len(t)-1:], ";{}"):
			out[ln] += marks.String()
		case ifHeader(t):
			next, ok := pi.Text.Line(ln + 1)
			if ok && len(pi.removed[ln+1]) == 0 && simpleStatement(strings.TrimSpace(next)) {
				out[ln] += " {" + marks.String()
				out[ln+1] += " }"
			}
		}
	}
	return out
}

// ifHeader reports whether t is the whole header of an if on one line,
// its body on the lines after.
func ifHeader(t string) bool {
	t = strings.TrimPrefix(strings.TrimPrefix(t, "}"), " ")
	t = strings.TrimPrefix(t, "else ")
	return (strings.HasPrefix(t, "if (") || strings.HasPrefix(t, "if(")) && strings.HasSuffix(t, ")") && balanced(t)
}

// simpleStatement reports whether t is one whole statement that is no
// control statement: "goto out;", "return ret;", "x = y;".
func simpleStatement(t string) bool {
	t = withoutTrailingComment(t)
	if !strings.HasSuffix(t, ";") || !balanced(t) {
		return false
	}
	for _, kw := range []string{"if", "for", "while", "do", "switch", "else", "case", "default"} {
		if rest, ok := strings.CutPrefix(t, kw); ok && (rest == "" || !isIdent(rest[0])) {
			return false
		}
	}
	return true
}

// withoutTrailingComment returns t without a comment that ends it
// ("return err; /* the caller unlocks */").
func withoutTrailingComment(t string) string {
	if i := strings.Index(t, "//"); i >= 0 && !strings.Contains(t[:i], "\"") {
		return strings.TrimSpace(t[:i])
	}
	if strings.HasSuffix(t, "*/") {
		if i := strings.LastIndex(t, "/*"); i >= 0 && !strings.Contains(t[:i], "\"") {
			return strings.TrimSpace(t[:i])
		}
	}
	return t
}

// balanced reports whether t closes every parenthesis it opens.
func balanced(t string) bool {
	d := 0
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '(':
			d++
		case ')':
			if d--; d < 0 {
				return false
			}
		}
	}
	return d == 0
}

// wrapResult is the synthetic text for a fragment post-image.
type wrapResult struct {
	synth   map[int]string // post-image line (unseen) → text
	trailer string         // text after the last line
	gaps    int
}

// frame is one open brace: 'F' function body, 'B' block in a function,
// 'A' aggregate or initializer at file level, 'I' initializer in a function.
type brace struct {
	kind byte
	name string // function name for 'F'
}

// scanner follows C text far enough to know the brace nesting, comments and
// parentheses: strings, character literals, comments and preprocessor lines
// are skipped.
type scanner struct {
	stack     []brace
	paren     int
	minParen  int
	inComment bool
	ppCont    bool // previous line was a preprocessor line ending in '\'
	stmt      []byte
	under     int  // '}' seen with nothing open (relative scans)
	badClose  bool // "*/" seen outside a comment
	lastSig   byte
	sawCode   bool
	firstTerm byte // the first ';', '{' or '}' seen
}

func (sc *scanner) inFunc() bool {
	for _, f := range sc.stack {
		if f.kind == 'F' {
			return true
		}
	}
	return false
}

func (sc *scanner) funcName() string {
	for _, f := range sc.stack {
		if f.kind == 'F' {
			return f.name
		}
	}
	return ""
}

func (sc *scanner) addStmt(c byte) {
	if c == ' ' && (len(sc.stmt) == 0 || sc.stmt[len(sc.stmt)-1] == ' ') {
		return
	}
	if len(sc.stmt) < 1024 {
		sc.stmt = append(sc.stmt, c)
	} else {
		sc.stmt[len(sc.stmt)-1] = c
	}
}

func (sc *scanner) line(s string) {
	if !sc.inComment {
		t := strings.TrimLeft(s, " \t")
		if sc.ppCont || strings.HasPrefix(t, "#") {
			sc.ppCont = strings.HasSuffix(s, "\\")
			return
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if sc.inComment {
			if c == '*' && i+1 < len(s) && s[i+1] == '/' {
				sc.inComment = false
				i++
			}
			continue
		}
		switch c {
		case '/':
			if i+1 < len(s) && s[i+1] == '/' {
				i = len(s)
				continue
			}
			if i+1 < len(s) && s[i+1] == '*' {
				sc.inComment = true
				i++
				continue
			}
		case '*':
			if i+1 < len(s) && s[i+1] == '/' {
				sc.badClose = true
				i++
				continue
			}
		case '"', '\'':
			j := i + 1
			for j < len(s) && s[j] != c {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			i = j
			sc.addStmt(c)
			sc.addStmt(c)
			sc.lastSig = c
			sc.sawCode = true
			continue
		case ' ', '\t', '\f', '\v':
			sc.addStmt(' ')
			continue
		}
		sc.sawCode = true
		switch c {
		case '(':
			sc.paren++
		case ')':
			sc.paren--
			sc.minParen = min(sc.minParen, sc.paren)
		case ';', '{', '}':
			if sc.firstTerm == 0 && (c != ';' || sc.paren <= 0) {
				sc.firstTerm = c
			}
		}
		switch c {
		case ';':
			if sc.paren <= 0 {
				sc.stmt = sc.stmt[:0]
				sc.lastSig = c
				continue
			}
		case '{':
			sc.stack = append(sc.stack, sc.openKind())
			sc.stmt = sc.stmt[:0]
			sc.lastSig = c
			continue
		case '}':
			if len(sc.stack) == 0 {
				sc.under++
			} else {
				sc.stack = sc.stack[:len(sc.stack)-1]
			}
			sc.stmt = sc.stmt[:0]
			sc.lastSig = c
			continue
		}
		sc.addStmt(c)
		sc.lastSig = c
	}
	sc.addStmt(' ')
}

func (sc *scanner) openKind() brace {
	st := strings.TrimSpace(string(sc.stmt))
	if sc.inFunc() {
		if sc.lastSig == '=' || sc.lastSig == ',' || sc.lastSig == '{' && len(sc.stack) > 0 && sc.stack[len(sc.stack)-1].kind == 'I' {
			return brace{kind: 'I'}
		}
		return brace{kind: 'B'}
	}
	if len(sc.stack) == 0 && strings.HasSuffix(st, ")") && !strings.Contains(st, "=") {
		return brace{kind: 'F', name: sigName(st)}
	}
	return brace{kind: 'A'}
}

// closeStmt returns the text that ends an unfinished statement.
func (sc *scanner) closeStmt() string {
	var b strings.Builder
	for k := 0; k < sc.paren; k++ {
		b.WriteByte(')')
	}
	st := strings.TrimSpace(string(sc.stmt))
	if st == "" && sc.paren <= 0 {
		return b.String()
	}
	if n := len(sc.stack); n > 0 && (sc.stack[n-1].kind == 'A' || sc.stack[n-1].kind == 'I') {
		return b.String() // a list of members or initializers
	}
	if sc.inFunc() && sc.paren <= 0 && (strings.HasSuffix(st, ":") || isControlHead(st)) {
		return b.String()
	}
	b.WriteByte(';')
	return b.String()
}

func isControlHead(st string) bool {
	for _, kw := range []string{"if", "while", "for", "switch", "else"} {
		if strings.HasPrefix(st, kw) && (len(st) == len(kw) || !isIdent(st[len(kw)])) {
			return true
		}
	}
	return false
}

// closeText returns the text that closes the innermost n frames (all when
// n < 0), with the unseen marker in the innermost function-level block.
func (sc *scanner) closeText(n int, unseen bool) string {
	var parts []string
	if s := sc.closeStmt(); s != "" {
		parts = append(parts, s)
	}
	if unseen && sc.inFunc() && sc.paren <= 0 && isControlHead(strings.TrimSpace(string(sc.stmt))) {
		// The unseen lines hold the body of a control statement left
		// open (if (x), else) and what follows it: the path that skips
		// the body goes through unseen lines too.
		parts = append(parts, Unseen)
	}
	if n < 0 || n > len(sc.stack) {
		n = len(sc.stack)
	}
	marked := !unseen
	if !marked && n == 0 && sc.inFunc() {
		parts = append(parts, Unseen)
		marked = true
	}
	semi := false
	for k := 0; k < n; k++ {
		f := sc.stack[len(sc.stack)-1-k]
		switch f.kind {
		case 'A', 'I':
			parts = append(parts, "}")
			semi = true
		default:
			if semi {
				parts[len(parts)-1] += ";"
				semi = false
			}
			if !marked {
				parts = append(parts, Unseen)
				marked = true
			}
			parts = append(parts, "}")
		}
	}
	if semi {
		parts[len(parts)-1] += ";"
	}
	return strings.Join(parts, " ")
}

// prescan looks at a run on its own: how many braces it closes that it did
// not open, how many parentheses, whether it starts inside a comment, and
// its first line of code.
type prescanResult struct {
	under, parenUnder int
	inComment         bool
	first             string
	params            bool // starts inside a parameter list: ")" then "{"
}

func prescan(lines []string) prescanResult {
	var r prescanResult
	for pass := 0; pass < 2; pass++ {
		sc := &scanner{inComment: r.inComment}
		r.first = ""
		for _, l := range lines {
			had := sc.sawCode
			sc.line(l)
			if !had && sc.sawCode && r.first == "" {
				r.first = l
			}
			if sc.badClose && pass == 0 {
				break
			}
		}
		if sc.badClose && pass == 0 {
			r.inComment = true
			continue
		}
		r.under, r.parenUnder = sc.under, -sc.minParen
		r.params = r.parenUnder > 0 && sc.firstTerm == '{' && sc.under == 0
		break
	}
	return r
}

// wrap decides the synthetic text for a fragment post-image (see the
// package documentation of Units).
func wrap(pi *PostImage) wrapResult {
	w := wrapResult{synth: map[int]string{}}
	unit := indentUnit(pi)
	sc := &scanner{}
	prevEnd := 0
	put := func(ln int, s string) {
		if s == "" || ln < 1 || ln > pi.Len || pi.Text.Has(ln) {
			return
		}
		if old, ok := w.synth[ln]; ok && old != "" {
			s = old + " " + s
		}
		w.synth[ln] = s
	}
	feed := func(s string) string {
		sc.line(s)
		sc.minParen = 0
		return s
	}
	// Each run of seen lines, from its first line to its last.
	for first, lines := range pi.Text.Runs() {
		last := first + len(lines) - 1
		pre := prescan(lines)
		section := pi.sections[first]
		depth := indentDepth(pre.first, unit)
		sameFn := section == "" || sc.funcName() == "" || sigName(section) == sc.funcName()
		inside := pre.under > 0 || (unit != "" && depth > 0) || (unit == "" && isStatement(pre.first))
		if pre.params {
			inside = false
		}

		var gap, head []string // text on the first unseen line, and on the one before the run
		if sc.inComment && !pre.inComment {
			gap = append(gap, feed("*/"))
		}
		cont := false
		switch {
		case sc.inComment:
			// The comment goes on across the gap.
		case len(sc.stack) > 0 && sc.inFunc() && inside && sameFn:
			cont = true
			w.gaps++
			d := len(sc.stack)
			t := max(d, pre.under)
			if unit != "" {
				t = max(depth, pre.under, 1)
			}
			if t < d {
				gap = append(gap, feed(sc.closeText(d-t, true)))
			} else {
				gap = append(gap, feed(sc.closeText(0, true)))
				if t > d {
					gap = append(gap, feed(strings.Repeat("{ ", t-d)))
				}
			}
		case len(sc.stack) > 0 && !sc.inFunc() && pre.under > 0:
			cont = true // inside the same aggregate
		default:
			gap = append(gap, feed(sc.closeText(-1, true)))
		}
		if !cont && !sc.inComment {
			need := pre.under
			if inside && (isFuncSig(section) || unit != "" && depth > 0) {
				// A run that starts by closing a block (}) opens as
				// deep as its indentation says, not one level only.
				need = max(need, depth, 1)
			}
			if need > 0 {
				h := fragmentHeader(section)
				extra := strings.Repeat(" {", need-1)
				if !strings.Contains(h, "(") || strings.HasSuffix(h, "= {") {
					head = append(head, feed(h+extra))
				} else {
					head = append(head, feed(h+extra+" "+Unseen))
				}
			}
		}
		if pre.parenUnder > 0 && !sc.inComment {
			if sc.inFunc() {
				head = append(head, feed(strings.TrimSuffix(Unseen, ");")+strings.Repeat("(", pre.parenUnder-1)))
			} else if len(sc.stack) == 0 {
				name := sigName(section)
				if name == "" {
					name = FragmentFunc
				}
				head = append(head, feed("void "+name+strings.Repeat("(", pre.parenUnder)))
			}
		}
		if pre.inComment && !sc.inComment {
			head = append(head, feed("/*"))
		}
		if prevEnd > 0 || len(gap) > 0 {
			put(prevEnd+1, joinText(gap))
		}
		put(first-1, joinText(head))
		for _, l := range lines {
			sc.line(l)
		}
		sc.under = 0
		sc.minParen = 0
		sc.badClose = false
		prevEnd = last
	}
	var tail []string
	if sc.inComment {
		tail = append(tail, "*/")
		sc.inComment = false
	}
	if s := sc.closeText(-1, true); s != "" {
		tail = append(tail, s)
	}
	w.trailer = joinText(tail)
	return w
}

// indentDepth guesses the brace depth of a line from its indentation; 0
// when unknown.
func indentDepth(l, unit string) int {
	if unit == "" || l == "" {
		return 0
	}
	d := 0
	for strings.HasPrefix(l, unit) {
		d++
		l = l[len(unit):]
	}
	if unit == "\t" {
		// Continuation lines align with spaces after the tabs.
		l = strings.TrimLeft(l, " ")
	}
	if strings.HasPrefix(l, "}") {
		d++
	}
	if d == 0 && isLabel(l) {
		return 1
	}
	return d
}

func isIdent(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isLabel(l string) bool {
	l = strings.TrimSpace(l)
	if !strings.HasSuffix(l, ":") || len(l) < 2 {
		return false
	}
	for i := 0; i < len(l)-1; i++ {
		if !isIdent(l[i]) {
			return false
		}
	}
	return l != "default:" && l != "public:"
}

var stmtKeywords = []string{"if", "for", "while", "do", "switch", "return", "goto", "break", "continue", "else", "case", "default"}

// isStatement reports whether a line (without indentation to go by) can
// only be a statement inside a function body.
func isStatement(l string) bool {
	l = strings.TrimSpace(l)
	if l == "" {
		return false
	}
	if l[0] == '}' || isLabel(l) {
		return true
	}
	i := 0
	for i < len(l) && isIdent(l[i]) {
		i++
	}
	if i == 0 {
		return strings.HasPrefix(l, "++") || strings.HasPrefix(l, "--") || strings.HasPrefix(l, "*") && strings.Contains(l, "=")
	}
	w := l[:i]
	for _, kw := range stmtKeywords {
		if w == kw {
			return true
		}
	}
	rest := strings.TrimLeft(l[i:], " \t")
	if rest == "" {
		return false
	}
	switch rest[0] {
	case '(':
		// A call; an all-capitals name is a macro that may well sit at
		// file level (EXPORT_SYMBOL, DEFINE_MUTEX).
		return strings.ToUpper(w) != w
	case '=':
		return !strings.HasPrefix(rest, "==")
	case '-', '.', '[', '+', '|', '&', '^':
		return true
	}
	return false
}

// isFuncSig reports whether a hunk section looks like the start of a
// function definition.
func isFuncSig(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || s[0] == '#' || strings.HasSuffix(s, ";") || strings.HasSuffix(s, ":") || strings.HasSuffix(s, "{") && !strings.Contains(s, ")") {
		return false
	}
	if strings.Contains(s, "=") {
		return false
	}
	return sigName(s) != ""
}

// completeSig reports whether s is a whole function signature.
func completeSig(s string) bool {
	s = strings.TrimSpace(s)
	d := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			d++
		case ')':
			d--
			if d < 0 {
				return false
			}
		case '{', '}', ';', '"', '\'', '/':
			return false
		}
	}
	return d == 0 && strings.HasSuffix(s, ")")
}

// sigNameAt is where the identifier before the first '(' of s starts.
func sigNameAt(s string) int {
	k := strings.IndexByte(s, '(')
	for k > 0 && s[k-1] == ' ' {
		k--
	}
	for k > 0 && isIdent(s[k-1]) {
		k--
	}
	return max(k, 0)
}

// sigName returns the identifier before the first '(' of s.
func sigName(s string) string {
	i := strings.IndexByte(s, '(')
	if i < 0 {
		return ""
	}
	k := sigNameAt(s)
	name := strings.TrimSpace(s[k:i])
	if name == "" || name[0] >= '0' && name[0] <= '9' {
		return ""
	}
	for _, kw := range append(stmtKeywords, "sizeof", "typeof", "__typeof__", "defined") {
		if name == kw {
			return ""
		}
	}
	return name
}

// fragmentHeader is the synthetic header for a fragment that starts inside
// a body: the section when it is a complete signature, else a function
// with the section's name and no parameters.
func fragmentHeader(section string) string {
	s := strings.TrimSpace(section)
	if t := strings.TrimSuffix(s, "{"); t != s && (strings.HasPrefix(s, "struct") || strings.HasPrefix(s, "union") || strings.HasPrefix(s, "enum") || strings.HasPrefix(s, "static") && strings.Contains(s, "=")) {
		return strings.TrimSpace(t) + " {"
	}
	if strings.HasSuffix(s, "=") && !strings.Contains(s, "(") {
		return s + " {"
	}
	if isFuncSig(s) && completeSig(s) {
		return s + " {"
	}
	name := sigName(s)
	if !isFuncSig(s) || name == "" {
		return flow.UnknownResult + " " + FragmentFunc + "(void) {"
	}
	// The first line of a signature the hunk header cut (static int
	// foo(struct foo *dev,) still says what the function returns, and
	// its returns are judged by it.
	result := flow.UnknownResult
	if t := strings.TrimSpace(s[:sigNameAt(s)]); t != "" && !strings.ContainsAny(t, "(){};=#") {
		result = t
	}
	return result + " " + name + "(void) {"
}

func joinText(parts []string) string {
	var b strings.Builder
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return b.String()
}
