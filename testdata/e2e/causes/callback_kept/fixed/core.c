struct cache_ops { int (*touch)(void *c, int key); };

/* The core calls the owner's callback; it knows nothing of the owner's
 * locks. */
int cache_core_touch(struct cache_ops *ops, void *c, int key)
{
	if (!ops->touch)
		return -5;
	return ops->touch(c, key);
}
