package cindex

import (
	"bytes"
	"fmt"
	"github.com/tagcheck/tagcheck/internal/limits"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
)

// Names is a set of identifiers to look for in C texts, as whole words:
// the lazy lookup of a few definitions in a large tree reads each file
// once for all the names it wants, and indexes only the files that hold
// one of them (IndexContaining), instead of indexing the whole tree.
type Names struct {
	set      map[string]bool
	min, max int
	// filter marks the (first byte, last byte, length) triples of the
	// words, so that most identifiers of a text are turned down by one
	// bit test before any hashing.
	filter *[1 << 20 / 64]uint64
}

// NewNames returns the set of the identifiers a definition named by one of
// names is written with: the name itself and, for a name the defining
// macros build (SYSCALL_DEFINE3(open, ...) defines sys_open), the
// macro's argument.
func NewNames(names []string) *Names {
	n := &Names{set: map[string]bool{}, filter: new([1 << 20 / 64]uint64)}
	for _, name := range names {
		n.add(name)
		if w := macroWord(name); w != "" {
			n.add(w)
		}
	}
	return n
}

func (n *Names) add(w string) {
	if w == "" || n.set[w] {
		return
	}
	n.set[w] = true
	if n.min == 0 || len(w) < n.min {
		n.min = len(w)
	}
	n.max = max(n.max, len(w))
	k := filterKey(w)
	n.filter[k/64] |= 1 << (k % 64)
}

// macroWord returns the argument of the defining macro that syscallName
// prefixes to make name ("open" for sys_open), or "".
func macroWord(name string) string {
	for _, prefix := range []string{"compat_sys_", "sys32_", "sys_"} {
		if rest, ok := strings.CutPrefix(name, prefix); ok {
			return rest
		}
	}
	return ""
}

// filterKey packs the first and last bytes (six bits of each) and the
// length of an identifier into 20 bits.
func filterKey[W string | []byte](w W) uint {
	return uint(w[0]&63)<<14 | uint(w[len(w)-1]&63)<<8 | uint(len(w)&255)
}

// In reports whether src may define one of the names: whether one of the
// words stands, as a whole identifier, where Funcs could take it for a
// definition's name. Most mentions of a name are calls ("kfree(p);",
// "if (!lock_foo(x))"), and most files of a tree that spell a common
// name only call it: those are turned down without lexing the file. The
// test is a superset of what Funcs accepts (TestKernelDefinitionsFound
// checks it over a whole tree): see defLike.
func (n *Names) In(src []byte) bool {
	if len(n.set) == 0 {
		return false
	}
	for i := 0; i < len(src); {
		if !isIdentByte(src[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(src) && isIdentByte(src[j]) {
			j++
		}
		if l := j - i; l >= n.min && l <= n.max && isIdentStart(src[i]) && n.mayHold(src[i:j]) && n.set[string(src[i:j])] && defLike(src, i, j) {
			return true
		}
		i = j
	}
	return false
}

// defLike reports whether the identifier src[i:j] may be the name of a
// function definition, as Funcs finds them: followed by its parameters
// and then by what a header goes on with (the body's "{", attributes or
// old-style declarations, a preprocessor line), or by ")(" as in
// "int (f)(int)" and "int (*f(void))(int)"; or the first argument of a
// defining macro whose name ends in a digit (SYSCALL_DEFINE3(open, ...),
// BPF_CALL_2(bpf_x, ...)). A call is followed after its arguments by
// ";", ",", ")" or an operator.
func defLike(src []byte, i, j int) bool {
	k := skipSpace(src, j)
	if k < len(src) && src[k] == ')' {
		k = skipSpace(src, k+1)
		return k < len(src) && src[k] == '(' || macroArgument(src, i)
	}
	if k >= len(src) || src[k] != '(' {
		return macroArgument(src, i)
	}
	end := closeParen(src, k)
	if end < 0 {
		return true // unbalanced: let the lexer decide
	}
	k = skipSpace(src, end)
	if k >= len(src) {
		return true
	}
	switch c := src[k]; {
	case isIdentStart(c), c == '{', c == '(', c == '#', c == '\\':
		return true
	case c == ')':
		k = skipSpace(src, k+1)
		return k < len(src) && src[k] == '('
	}
	return false
}

// macroArgument reports whether the identifier at i is the first
// argument of a macro whose name ends in a digit.
func macroArgument(src []byte, i int) bool {
	k := i - 1
	for k >= 0 && isSpace(src[k]) {
		k--
	}
	if k < 0 || src[k] == '/' {
		return k >= 0 // a comment before it: let the lexer decide
	}
	if src[k] != '(' {
		return false
	}
	k--
	for k >= 0 && isSpace(src[k]) {
		k--
	}
	return k >= 0 && src[k] >= '0' && src[k] <= '9'
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// skipSpace skips white space, comments and escaped line breaks from i.
func skipSpace(src []byte, i int) int {
	for i < len(src) {
		switch c := src[i]; {
		case isSpace(c):
			i++
		case c == '\\' && i+1 < len(src) && (src[i+1] == '\n' || src[i+1] == '\r'):
			i += 2
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := bytes.Index(src[i+2:], []byte("*/"))
			if end < 0 {
				return len(src)
			}
			i += 2 + end + 2
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			end := bytes.IndexByte(src[i:], '\n')
			if end < 0 {
				return len(src)
			}
			i += end
		default:
			return i
		}
	}
	return i
}

// closeParen returns the offset just past the parenthesis that closes
// the one at open, by the lexer's tokens (comments, literals and
// directive lines skipped); -1 when there is none.
func closeParen(src []byte, open int) int {
	lx := &lexer{b: src, i: open, line: 1}
	level := 0
	for t := lx.next(); t.kind != eof; t = lx.next() {
		switch t.kind {
		case '(':
			level++
		case ')':
			level--
			if level == 0 {
				return t.e
			}
		}
	}
	return -1
}

func (n *Names) mayHold(w []byte) bool {
	k := filterKey(w)
	return n.filter[k/64]&(1<<(k%64)) != 0
}

// IndexContaining indexes, among files, those that hold one of names (see
// Names.In), reading each file once on workers goroutines (0: every
// core). want, when not nil, says which files to read at all (false:
// already indexed). The index's Files counts the files indexed, Bytes the
// bytes read.
func IndexContaining(files []string, want []bool, names *Names, workers int) (*Index, []bool, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	defs := make([][]named, len(files))
	errs := make([]error, len(files))
	sizes := make([]int64, workers)
	var wg sync.WaitGroup
	next := make(chan int, 64)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var buf []byte
			for i := range next {
				var err error
				buf, err = readInto(files[i], buf)
				if err != nil {
					errs[i] = err
					continue
				}
				sizes[w] += int64(len(buf))
				if names.In(buf) {
					defs[i] = namedDefs(files[i], Defs(buf))
				}
			}
		}(w)
	}
	for i := range files {
		if want == nil || want[i] {
			next <- i
		}
	}
	close(next)
	wg.Wait()
	x := &Index{defs: map[string][]Def{}}
	hit := make([]bool, len(files))
	for i, err := range errs {
		if err != nil {
			return nil, nil, err
		}
		if defs[i] != nil {
			hit[i] = true
			x.Files++
			x.add(defs[i])
		}
	}
	for _, s := range sizes {
		x.Bytes += s
	}
	return x, hit, nil
}

// readInto reads the file at path into buf, grown as needed: a search over
// a whole tree keeps nothing of most files, so one buffer per reader
// spares the allocations.
func readInto(path string, buf []byte) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return buf, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return buf, fmt.Errorf("%s: %w", path, err)
	}
	if fi.Size() > limits.DefaultSource {
		// A generated register header, not a place wrappers are
		// defined: left out of the lookup, as the scan leaves it out.
		return buf[:0], nil
	}
	size := int(fi.Size()) + 1 // one more, to see the end in one read
	if cap(buf) < size {
		buf = make([]byte, 0, size+size/4)
	}
	buf = buf[:0]
	for {
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, fmt.Errorf("%s: %w", path, err)
		}
		if len(buf) > int(limits.DefaultSource) {
			return buf[:0], nil // it grew past the limit while read
		}
		if len(buf) == cap(buf) { // the file grew while read
			buf = append(buf, 0)[:len(buf)]
		}
	}
}
