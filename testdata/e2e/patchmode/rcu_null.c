/* tagcheck test case: invented code in the shape of a kernel driver. */
#include <linux/rcupdate.h>

struct bar {
	int id;
	int refs;
	int state;
};

struct bar_table {
	struct bar __rcu *slot;
	int gen;
};

static struct bar *bar_get(struct bar_table *t, int id)
{
	struct bar *b;

	rcu_read_lock();
	b = rcu_dereference(t->slot);
	if (!b)
		return NULL; /* want "lockpair/unreleased: rcu acquired by rcu_read_lock() at line 19 is still held when" */
	if (b->id != id)
		b = NULL;
	else
		b->refs++;
	t->gen++;
	rcu_read_unlock();
	return b;
}
