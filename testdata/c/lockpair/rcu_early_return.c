struct item { int key; struct item *next; };
struct table { struct item *head; };

/* Bug: the early return leaves the RCU read-side section open. */
static int table_has(struct table *t, int key)
{
	struct item *it;

	rcu_read_lock();
	for (it = rcu_dereference(t->head); it; it = rcu_dereference(it->next)) {
		if (it->key == key)
			return 1; /* want "lockpair/unreleased: rcu acquired by rcu_read_lock() at line 9 is still held when table_has returns" */
	}
	rcu_read_unlock();
	return 0;
}

/* Twin. */
static int table_has_ok(struct table *t, int key)
{
	struct item *it;
	int found = 0;

	rcu_read_lock();
	for (it = rcu_dereference(t->head); it; it = rcu_dereference(it->next)) {
		if (it->key == key) {
			found = 1;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}
