#include <stdlib.h>

#include "flat.h"

struct flat_out {
	flat_node *nodes;
	uint32_t cap;
	TSNode *errs;
	uint32_t errcap, nerr;
};

static void flat_put(struct flat_out *o, uint32_t i, const TSTreeCursor *cur)
{
	if (i >= o->cap)
		return;
	TSNode n = ts_tree_cursor_current_node(cur);
	flat_node *f = &o->nodes[i];
	f->start = ts_node_start_byte(n);
	f->end = ts_node_end_byte(n);
	f->first = -1;
	f->next = -1;
	f->err = -1;
	f->sym = ts_node_symbol(n);
	f->field = ts_tree_cursor_current_field_id(cur);
	f->flags = (ts_node_is_named(n) ? FLAT_NAMED : 0) |
		   (ts_node_is_missing(n) ? FLAT_MISSING : 0);
	if (ts_node_has_error(n)) {
		f->flags |= FLAT_HAS_ERROR;
		if (o->nerr < o->errcap) {
			f->err = o->nerr;
			o->errs[o->nerr] = n;
		}
		o->nerr++;
	}
}

// flat_nodes writes the visible nodes of tree in document order (the
// root first, each node before its children), as many as cap allows,
// and returns how many there are (0 when out of memory). The nodes that
// are or hold a syntax error go to errs as well (*nerr of them; as many
// as errcap allows): their fields are looked up by flat_field. One walk
// with a cursor, so that the Go side crosses into C once per tree
// instead of once per node access.
uint32_t flat_nodes(const TSTree *tree, flat_node *out, uint32_t cap, TSNode *errs, uint32_t errcap, uint32_t *nerr)
{
	struct flat_out o = {out, cap, errs, errcap, 0};
	// last[d] is the node written last at depth d: the parent of the
	// next node one level down, the previous sibling of the next node
	// at d.
	uint32_t size = 256, depth = 0, n = 0;
	int32_t *last = malloc(size * sizeof *last);
	if (!last)
		return 0;
	TSTreeCursor cur = ts_tree_cursor_new(ts_tree_root_node(tree));
	flat_put(&o, n, &cur);
	last[0] = n++;
	for (;;) {
		if (ts_tree_cursor_goto_first_child(&cur)) {
			if (++depth == size) {
				int32_t *grown = realloc(last, 2 * size * sizeof *last);
				if (!grown) {
					n = 0;
					break;
				}
				last = grown;
				size *= 2;
			}
			if ((uint32_t)last[depth - 1] < cap)
				out[last[depth - 1]].first = n;
		} else {
			bool moved = false;
			while (!(moved = ts_tree_cursor_goto_next_sibling(&cur))) {
				if (depth == 0 || !ts_tree_cursor_goto_parent(&cur))
					break;
				depth--;
			}
			if (!moved)
				break;
			if ((uint32_t)last[depth] < cap)
				out[last[depth]].next = n;
		}
		flat_put(&o, n, &cur);
		last[depth] = n++;
	}
	ts_tree_cursor_delete(&cur);
	free(last);
	*nerr = o.nerr;
	return n;
}

// flat_field returns where n's child in field lies among the nodes of
// n's subtree as flat_nodes writes them (1 for its first child), -1 when
// n has no such child. Under a syntax error, the child the cursor names
// for a field (flat_node.field) is not always the one
// ts_node_child_by_field_id finds: this asks the latter.
int32_t flat_field(TSNode n, TSFieldId field)
{
	TSNode want = ts_node_child_by_field_id(n, field);
	if (!want.id)
		return -1;
	TSTreeCursor cur = ts_tree_cursor_new(n);
	int32_t i = 0, found = -1;
	uint32_t depth = 0;
	for (;;) {
		if (ts_tree_cursor_goto_first_child(&cur)) {
			depth++;
		} else {
			bool moved = false;
			while (!(moved = ts_tree_cursor_goto_next_sibling(&cur))) {
				if (depth == 0 || !ts_tree_cursor_goto_parent(&cur))
					break;
				depth--;
			}
			if (!moved || depth == 0)
				break;
		}
		i++;
		if (ts_node_eq(ts_tree_cursor_current_node(&cur), want)) {
			found = i;
			break;
		}
	}
	ts_tree_cursor_delete(&cur);
	return found;
}
