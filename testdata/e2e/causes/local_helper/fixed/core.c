/* tagcheck test case: invented code. A release wrapper beside a
 * function that takes the lock through a file-local helper and gives it
 * back: only the first may be called twice by mistake. */
static void table_lock_idle(struct table *t)
{
	bool busy;

	for (;;) {
		busy = false;
		mutex_lock(&t->lock);
		if (table_pending(t))
			busy = true;
		if (!busy)
			break;
		mutex_unlock(&t->lock);
		table_wait(t);
	}
}

void table_drop(struct table *t, int id)
{
	table_lock_idle(t);
	table_remove(t, id);
	mutex_unlock(&t->lock);
}

void table_put_locked(struct table *t, int id)
{
	table_release(t, id);
	mutex_unlock(&t->lock);
}
