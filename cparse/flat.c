#include <stdlib.h>

#include "flat.h"

static void flat_put(flat_node *out, uint32_t cap, uint32_t i, const TSTreeCursor *cur)
{
	if (i >= cap)
		return;
	TSNode n = ts_tree_cursor_current_node(cur);
	flat_node *f = &out[i];
	f->start = ts_node_start_byte(n);
	f->end = ts_node_end_byte(n);
	f->first = -1;
	f->next = -1;
	f->sym = ts_node_symbol(n);
	f->field = ts_tree_cursor_current_field_id(cur);
	f->flags = (ts_node_is_named(n) ? FLAT_NAMED : 0) |
		   (ts_node_is_missing(n) ? FLAT_MISSING : 0) |
		   (ts_node_has_error(n) ? FLAT_HAS_ERROR : 0);
}

// flat_nodes writes the visible nodes of tree in document order (the
// root first, each node before its children), as many as cap allows, and
// returns how many there are; 0 when out of memory. One walk with a
// cursor, so that the Go side crosses into C once per tree instead of
// once per node access.
uint32_t flat_nodes(const TSTree *tree, flat_node *out, uint32_t cap)
{
	// last[d] is the node written last at depth d: the parent of the
	// next node one level down, the previous sibling of the next node
	// at d.
	uint32_t size = 256, depth = 0, n = 0;
	int32_t *last = malloc(size * sizeof *last);
	if (!last)
		return 0;
	TSTreeCursor cur = ts_tree_cursor_new(ts_tree_root_node(tree));
	flat_put(out, cap, n, &cur);
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
		flat_put(out, cap, n, &cur);
		last[depth] = n++;
	}
	ts_tree_cursor_delete(&cur);
	free(last);
	return n;
}
