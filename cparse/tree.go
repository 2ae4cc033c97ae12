package cparse

// The syntax tree the lowering reads: tree-sitter's nodes copied out of C
// in one walk per parse (flat.c), so that reading a node, its children or
// a field costs no cgo call. Through go-tree-sitter's Node API every
// access was a call into C, every ChildByFieldName a C string allocated
// and freed, and every node returned was kept in a per-tree Go map: a
// tenth of a scan's CPU on fs/.

// #include "flat.h"
import "C"

import (
	"bytes"
	"errors"
	"runtime"
	"slices"
	"unsafe"

	// The tree-sitter runtime and its C grammar: flat.c calls them.
	_ "github.com/smacker/go-tree-sitter"
	_ "github.com/smacker/go-tree-sitter/c"
)

// node is one syntax node. Nodes of one parse live in one slice; a
// child or a sibling is a pointer into it, nil when there is none, and
// two nodes are the same node when their pointers are equal.
type node struct {
	first, next *node    // first child, next sibling
	err         *errNode // set when the node is or holds a syntax error
	start, end  uint32   // byte offsets in the parsed text
	sym         uint16   // grammar symbol (kindOf names it)
	field       uint16   // the field it fills in its parent (fieldIDs), 0 for none
	flags       uint8
}

const (
	flagNamed    = C.FLAT_NAMED
	flagMissing  = C.FLAT_MISSING
	flagHasError = C.FLAT_HAS_ERROR
)

// errorSym is tree-sitter's symbol of an ERROR node (ts_builtin_sym_error).
const errorSym = 0xFFFF

func (n *node) IsNamed() bool   { return n.flags&flagNamed != 0 }
func (n *node) IsMissing() bool { return n.flags&flagMissing != 0 }
func (n *node) IsError() bool   { return n.sym == errorSym }

// HasError reports whether n is or holds a syntax error.
func (n *node) HasError() bool { return n.flags&flagHasError != 0 }

// errNode is a node that is or holds a syntax error, as tree-sitter has
// it: field asks tree-sitter for its fields.
type errNode struct {
	ts   C.TSNode
	tree *tree
}

// fieldIDs maps the C grammar's field names ("declarator", "body") to
// their ids.
var fieldIDs = func() map[string]uint16 {
	lang := C.tree_sitter_c()
	cnt := int(C.ts_language_field_count(lang))
	m := make(map[string]uint16, cnt)
	for id := 1; id <= cnt; id++ {
		if s := C.ts_language_field_name_for_id(lang, C.TSFieldId(id)); s != nil {
			m[C.GoString(s)] = uint16(id)
		}
	}
	return m
}()

// field returns n's child that fills the named field, nil when there is
// none: the child ts_node_child_by_field_name returns (TestFlatTree
// compares them).
func field(n *node, name string) *node {
	id := fieldIDs[name]
	if n == nil || id == 0 {
		return nil
	}
	if n.err != nil {
		// Under a syntax error the field the cursor names for a child
		// and the one tree-sitter's lookup finds can differ (a field
		// of a hidden node inside an ERROR, a field inherited from a
		// grandchild): ask tree-sitter.
		return n.err.field(n, id)
	}
	for ch := n.first; ch != nil; ch = ch.next {
		if ch.field == id {
			return ch
		}
	}
	return nil
}

func (e *errNode) field(n *node, id uint16) *node {
	if e.tree.c == nil {
		panic("cparse: a field looked up after its tree was closed")
	}
	at := int(C.flat_field(e.ts, C.TSFieldId(id)))
	if at < 0 {
		return nil
	}
	// at is the answer's place in n's subtree, in document order
	var found *node
	var walk func(x *node) bool
	walk = func(x *node) bool {
		if at == 0 {
			found = x
			return true
		}
		at--
		for ch := x.first; ch != nil; ch = ch.next {
			if walk(ch) {
				return true
			}
		}
		return false
	}
	walk(n)
	return found
}

// tree is one parse: its nodes, and the C tree kept for the lookups of
// fields under syntax errors until close.
type tree struct {
	c     *C.TSTree
	root  *node
	nodes []node  // root's array, handed back to p at close
	p     *parser // nil once the nodes are handed back
}

// close frees the C tree and hands its nodes back to the parser for a
// later parse: no node of the tree may be read after it.
func (t *tree) close() {
	if t.c != nil {
		C.ts_tree_delete(t.c)
		t.c = nil
	}
	if t.p != nil {
		t.p.recycle(t.nodes)
		t.p, t.nodes, t.root = nil, nil, nil
	}
}

// parser is one tree-sitter parser for C. It is not safe for concurrent
// use.
type parser struct {
	c      *C.TSParser
	raw    []C.flat_node // flat_nodes' output, reused from parse to parse
	ranges []C.TSRange   // the included ranges of the last parse, reused
	// free holds node arrays of closed trees for the next parses: a
	// file's nodes were a sixth of what a scan of the tree allocated,
	// and each allocation brings the collector's next cycle nearer.
	// Several, as a statement expression is parsed while its file's
	// tree is open.
	free [][]node
	// readAll gives tree-sitter every byte, long runs of blanks too
	// (tests compare the trees)
	readAll bool
}

func newParser() *parser {
	p := &parser{c: C.ts_parser_new()}
	C.ts_parser_set_language(p.c, C.tree_sitter_c())
	// a parser dropped by parserPool is freed by the collector
	runtime.SetFinalizer(p, (*parser).Close)
	return p
}

// Close frees the C parser.
func (p *parser) Close() {
	if p.c != nil {
		C.ts_parser_delete(p.c)
		p.c = nil
	}
}

const (
	// nodeBytes: the first walk's buffer has a node per nodeBytes of
	// text, so that it rarely needs a second walk (fs/ext4 and fs/nfs
	// hold a visible node per 3.8-4.1 bytes, 2.7 in the densest file).
	nodeBytes = 3
	// maxKeptRaw bounds the first walk's buffer and what a parser keeps
	// between parses (nodes; 24 bytes each): a larger text costs a
	// second walk, not a guess proportional to its size.
	maxKeptRaw = 1 << 18
)

var errNoTree = errors.New("tree-sitter returned no tree")

// parse parses src. The caller closes the tree.
func (p *parser) parse(src []byte) (*tree, error) {
	if len(src) > maxSize {
		return nil, errors.New("too large to parse")
	}
	var text *C.char
	if len(src) > 0 {
		// tree-sitter reads the text during the call only; the tree
		// keeps no pointer into it
		text = (*C.char)(unsafe.Pointer(&src[0]))
	}
	p.ranges = p.ranges[:0]
	if !p.readAll {
		p.ranges = included(src, p.ranges)
	}
	var rs *C.TSRange
	if len(p.ranges) > 0 {
		rs = &p.ranges[0]
	}
	if !C.ts_parser_set_included_ranges(p.c, rs, C.uint32_t(len(p.ranges))) {
		return nil, errors.New("tree-sitter refused the included ranges")
	}
	c := C.ts_parser_parse_string(p.c, nil, text, C.uint32_t(len(src)))
	runtime.KeepAlive(src)
	if c == nil {
		return nil, errNoTree
	}
	t := &tree{c: c}
	if want := min(len(src)/nodeBytes+1, maxKeptRaw); len(p.raw) < want {
		p.raw = make([]C.flat_node, want)
	}
	errs := make([]C.TSNode, 16)
	var cnt, nerr int
	for {
		var ne C.uint32_t
		cnt = int(C.flat_nodes(c, &p.raw[0], C.uint32_t(len(p.raw)), &errs[0], C.uint32_t(len(errs)), &ne))
		nerr = int(ne)
		if cnt <= len(p.raw) && nerr <= len(errs) {
			break
		}
		// denser than nodeBytes, or many errors: walk again into
		// buffers of the size
		if cnt > len(p.raw) {
			p.raw = make([]C.flat_node, cnt)
		}
		if nerr > len(errs) {
			errs = make([]C.TSNode, nerr)
		}
	}
	if cnt == 0 {
		t.close()
		return nil, errors.New("out of memory reading the syntax tree")
	}
	enodes := make([]errNode, nerr)
	for i := range enodes {
		enodes[i] = errNode{ts: errs[i], tree: t}
	}
	nodes := p.nodes(cnt)
	for i, r := range p.raw[:cnt] {
		n := &nodes[i]
		*n = node{start: uint32(r.start), end: uint32(r.end), sym: uint16(r.sym), field: uint16(r.field), flags: uint8(r.flags)}
		if r.first >= 0 {
			n.first = &nodes[r.first]
		}
		if r.next >= 0 {
			n.next = &nodes[r.next]
		}
		if r.err >= 0 {
			n.err = &enodes[r.err]
		}
	}
	if len(p.raw) > maxKeptRaw {
		p.raw = nil
	}
	t.root, t.nodes, t.p = &nodes[0], nodes, p
	return t, nil
}

// maxFreeNodes bounds the node arrays a parser keeps (see parser.free).
const maxFreeNodes = 4

// nodes returns an array of n nodes, one a closed tree handed back when
// there is one large enough.
func (p *parser) nodes(n int) []node {
	for i := len(p.free) - 1; i >= 0; i-- {
		if cap(p.free[i]) >= n {
			nodes := p.free[i][:n]
			p.free = slices.Delete(p.free, i, i+1)
			return nodes
		}
	}
	return make([]node, n)
}

// recycle keeps nodes for a later parse, unless the parser keeps enough
// already or the array is larger than a parser keeps between parses.
func (p *parser) recycle(nodes []node) {
	if cap(nodes) > maxKeptRaw {
		return
	}
	// A kept array is all zero: no pointer into a dropped error list
	// stays. What lies past the parse's nodes is zero already, so only
	// those are cleared (a small file's parse in a large array clears
	// its own nodes, not the array).
	clear(nodes)
	if len(p.free) < maxFreeNodes {
		p.free = append(p.free, nodes[:0])
		return
	}
	// keep the larger arrays: a small one serves few files
	small := 0
	for i := range p.free {
		if cap(p.free[i]) < cap(p.free[small]) {
			small = i
		}
	}
	if cap(p.free[small]) < cap(nodes) {
		p.free[small] = nodes[:0]
	}
}

// minSkip is the shortest stretch of blank lines whose inside
// tree-sitter is not given to read. Its lexer reads white space a
// character at a time through a function pointer, about 11 MB/s here:
// the bodies the scan's selection blanks and the tables the pre-pass
// blanks cost a third of what their text would. A range boundary costs a
// jump.
const minSkip = 64

// included returns the ranges of src that tree-sitter reads, appended
// to buf: all of src but the inside of every run of blanks that spans
// lines and at least minSkip bytes. Tree-sitter joins included ranges
// as one text, so of such a run it still reads:
//   - the head up to its first newline, which ends a directive or a line
//     comment before it (its second when the run follows a backslash:
//     the first one continues the line), and a byte more (a token that
//     ends where a range ends takes the next range's start as its end);
//   - the tail from its last newline on.
//
// A skipped stretch thus holds only blanks between newlines, which no
// token spans and no rule counts (TestSkippedBlanksSameTree). The nodes
// keep their offsets in src. Nil when there is no such run (the whole
// text).
func included(src []byte, buf []C.TSRange) []C.TSRange {
	var from, row, lineStart int // row and line start of byte i
	var fromAt C.TSPoint
	for i := 0; i < len(src); {
		// only a run with a newline can be skipped: go from newline to
		// newline, many bytes at a time
		k := bytes.IndexByte(src[i:], '\n')
		if k < 0 {
			break
		}
		r := i + k
		for r > i && isBlank(src[r-1]) {
			r--
		}
		// the run of blanks [r, j): reading stops a byte after its
		// newline number stopAfter and resumes at its last
		stopAfter := 1
		if r > 0 && src[r-1] == '\\' {
			stopAfter = 2
		}
		stop, resume, newlines := -1, -1, 0
		var stopAt, resumeAt C.TSPoint
		j := r
		for ; j < len(src) && isBlank(src[j]); j++ {
			if src[j] != '\n' {
				continue
			}
			if newlines++; newlines == stopAfter {
				stop, stopAt = j+2, point(row+1, 1)
				if j+1 < len(src) && src[j+1] == '\n' {
					stopAt = point(row+2, 0)
				}
			}
			resume, resumeAt = j, point(row, j-lineStart)
			row++
			lineStart = j + 1
		}
		if stop >= 0 && resume-stop >= minSkip {
			buf = append(buf, tsRange(from, fromAt, stop, stopAt))
			from, fromAt = resume, resumeAt
		}
		i = j
	}
	if len(buf) == 0 {
		return buf
	}
	return append(buf, tsRange(from, fromAt, len(src), point(row, len(src)-lineStart)))
}

func isBlank(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

func point(row, col int) C.TSPoint { return C.TSPoint{row: C.uint32_t(row), column: C.uint32_t(col)} }

func tsRange(start int, startAt C.TSPoint, end int, endAt C.TSPoint) C.TSRange {
	return C.TSRange{start_point: startAt, end_point: endAt, start_byte: C.uint32_t(start), end_byte: C.uint32_t(end)}
}
