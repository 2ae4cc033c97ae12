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
	"errors"
	"runtime"
	"unsafe"

	// The tree-sitter runtime and its C grammar: flat.c calls them.
	_ "github.com/smacker/go-tree-sitter"
	_ "github.com/smacker/go-tree-sitter/c"
)

// node is one syntax node. Nodes of one parse live in one slice; a
// child or a sibling is a pointer into it, nil when there is none, and
// two nodes are the same node when their pointers are equal.
type node struct {
	first, next *node  // first child, next sibling
	start, end  uint32 // byte offsets in the parsed text
	sym         uint16 // grammar symbol (kindOf names it)
	field       uint16 // the field it fills in its parent (fieldIDs), 0 for none
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

// field returns n's first child that fills the named field, nil when
// there is none, as ts_node_child_by_field_name (TestFlatTree compares
// them). An ERROR node has no fields there; the cursor still names the
// field a child fills in a hidden node under it.
func field(n *node, name string) *node {
	if n == nil || n.IsError() {
		return nil
	}
	id := fieldIDs[name]
	if id == 0 {
		return nil
	}
	for ch := n.first; ch != nil; ch = ch.next {
		if ch.field == id {
			return ch
		}
	}
	return nil
}

// parser is one tree-sitter parser for C. It is not safe for concurrent
// use.
type parser struct {
	c   *C.TSParser
	raw []C.flat_node // flat_nodes' output, reused from parse to parse
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

// maxKeptRaw bounds the buffer a parser keeps between parses (nodes).
const maxKeptRaw = 1 << 20

var errNoTree = errors.New("tree-sitter returned no tree")

// parse parses src and returns its root node.
func (p *parser) parse(src []byte) (*node, error) {
	if len(src) > maxSize {
		return nil, errors.New("too large to parse")
	}
	var text *C.char
	if len(src) > 0 {
		// tree-sitter reads the text during the call only; the tree
		// keeps no pointer into it
		text = (*C.char)(unsafe.Pointer(&src[0]))
	}
	tree := C.ts_parser_parse_string(p.c, nil, text, C.uint32_t(len(src)))
	runtime.KeepAlive(src)
	if tree == nil {
		return nil, errNoTree
	}
	defer C.ts_tree_delete(tree)
	if cap(p.raw) == 0 {
		p.raw = make([]C.flat_node, 4096)
	}
	cnt := int(C.flat_nodes(tree, &p.raw[:1][0], C.uint32_t(cap(p.raw))))
	if cnt > cap(p.raw) {
		p.raw = make([]C.flat_node, cnt)
		cnt = int(C.flat_nodes(tree, &p.raw[0], C.uint32_t(cnt)))
	}
	if cnt == 0 {
		return nil, errors.New("out of memory reading the syntax tree")
	}
	nodes := make([]node, cnt)
	for i, r := range p.raw[:cnt] {
		n := &nodes[i]
		n.start, n.end = uint32(r.start), uint32(r.end)
		n.sym, n.field, n.flags = uint16(r.sym), uint16(r.field), uint8(r.flags)
		if r.first >= 0 {
			n.first = &nodes[r.first]
		}
		if r.next >= 0 {
			n.next = &nodes[r.next]
		}
	}
	if cap(p.raw) > maxKeptRaw {
		p.raw = nil
	}
	return &nodes[0], nil
}
