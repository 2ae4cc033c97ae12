// The part of tree-sitter's C API (lib/include/tree_sitter/api.h) that
// flat.c calls, declared here: go-tree-sitter keeps its copy of the header
// in its own package directory, and its compiled objects (the runtime and
// the C grammar, linked in through the imports of tree.go) define these
// functions. The declarations match the pinned go-tree-sitter version
// (go.mod, v0.0.0-20240827094217-dd81d9e9be82, language ABI 14); a
// version bump must compare them with its api.h.

#include <stdbool.h>
#include <stdint.h>

typedef struct TSParser TSParser;
typedef struct TSTree TSTree;
typedef struct TSLanguage TSLanguage;
typedef uint16_t TSSymbol;
typedef uint16_t TSFieldId;

typedef struct TSNode {
	uint32_t context[4];
	const void *id;
	const TSTree *tree;
} TSNode;

typedef struct TSTreeCursor {
	const void *tree;
	const void *id;
	uint32_t context[3];
} TSTreeCursor;

TSParser *ts_parser_new(void);
void ts_parser_delete(TSParser *self);
bool ts_parser_set_language(TSParser *self, const TSLanguage *language);
TSTree *ts_parser_parse_string(TSParser *self, const TSTree *old_tree, const char *string, uint32_t length);

typedef struct TSPoint {
	uint32_t row;
	uint32_t column;
} TSPoint;

typedef struct TSRange {
	TSPoint start_point;
	TSPoint end_point;
	uint32_t start_byte;
	uint32_t end_byte;
} TSRange;

bool ts_parser_set_included_ranges(TSParser *self, const TSRange *ranges, uint32_t count);
void ts_tree_delete(TSTree *self);
TSNode ts_tree_root_node(const TSTree *self);

TSSymbol ts_node_symbol(TSNode self);
uint32_t ts_node_start_byte(TSNode self);
uint32_t ts_node_end_byte(TSNode self);
bool ts_node_is_named(TSNode self);
bool ts_node_is_missing(TSNode self);
bool ts_node_has_error(TSNode self);

TSTreeCursor ts_tree_cursor_new(TSNode node);
void ts_tree_cursor_delete(TSTreeCursor *self);
TSNode ts_tree_cursor_current_node(const TSTreeCursor *self);
TSFieldId ts_tree_cursor_current_field_id(const TSTreeCursor *self);
bool ts_tree_cursor_goto_parent(TSTreeCursor *self);
bool ts_tree_cursor_goto_next_sibling(TSTreeCursor *self);
bool ts_tree_cursor_goto_first_child(TSTreeCursor *self);

TSNode ts_node_child_by_field_id(TSNode self, TSFieldId field_id);
bool ts_node_eq(TSNode self, TSNode other);

uint32_t ts_language_field_count(const TSLanguage *self);
const char *ts_language_field_name_for_id(const TSLanguage *self, TSFieldId id);

// defined by go-tree-sitter/c (parser.c)
const TSLanguage *tree_sitter_c(void);

// flat_node is one syntax node as flat_nodes writes it.
typedef struct {
	uint32_t start, end; // byte offsets
	int32_t first, next; // indices of the first child and the next sibling, -1 for none
	int32_t err;         // index of the node in flat_nodes' errs, -1 when not there
	TSSymbol sym;
	TSFieldId field;     // the field the node fills in its parent, 0 for none
	uint8_t flags;       // FLAT_*
} flat_node;

enum {
	FLAT_NAMED = 1,
	FLAT_MISSING = 2,
	FLAT_HAS_ERROR = 4,
};

uint32_t flat_nodes(const TSTree *tree, flat_node *out, uint32_t cap, TSNode *errs, uint32_t errcap, uint32_t *nerr);
int32_t flat_field(TSNode n, TSFieldId field);
