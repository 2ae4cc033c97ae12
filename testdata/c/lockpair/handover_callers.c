struct mutex { int x; };
struct entry { int hits; };
struct cache { struct mutex lock; struct entry *last; int dirty; };

struct entry *cache_find(struct cache *c, int key);
void cache_flush(struct cache *c);

#define __acquires(x) __attribute__((context(x, 0, 1)))

/* Bug: a dirty cache leaves the lock held, and both paths return 0. The
 * function is file-local and only stored as a callback: no caller can
 * tell the paths apart or release the lock. */
static int cache_touch(struct cache *c, int key)
{
	mutex_lock(&c->lock);
	c->last = cache_find(c, key);
	if (!c->dirty) {
		mutex_unlock(&c->lock);
		cache_flush(c);
	}
	return 0; /* want "lockpair/unreleased: c->lock acquired by mutex_lock(&c->lock) at line 15 is still held when cache_touch returns" */
}

void cache_ops(struct cache *c, int (**op)(struct cache *, int))
{
	*op = cache_touch;
}

/* Twin: the same shape, but its one caller releases the lock when the
 * cache says it is still held: the skipped release is handed over. */
static int cache_peek(struct cache *c, int key)
{
	mutex_lock(&c->lock);
	c->last = cache_find(c, key);
	if (!c->dirty) {
		mutex_unlock(&c->lock);
		cache_flush(c);
	}
	return 0;
}

void cache_lookup(struct cache *c, int key)
{
	cache_peek(c, key);
	if (c->dirty)
		mutex_unlock(&c->lock);
}

/* Twin: the annotation says the lock goes to the caller. */
static int cache_claim(struct cache *c, int key) __acquires(&c->lock)
{
	mutex_lock(&c->lock);
	c->last = cache_find(c, key);
	if (!c->dirty) {
		mutex_unlock(&c->lock);
		cache_flush(c);
	}
	return 0;
}

void cache_claim_ops(struct cache *c, int (**op)(struct cache *, int))
{
	*op = cache_claim;
}

/* Twin: not file-local; its callers are not all in view, so the guard
 * gets no verdict. */
int cache_mark(struct cache *c, int key)
{
	mutex_lock(&c->lock);
	c->last = cache_find(c, key);
	if (!c->dirty) {
		mutex_unlock(&c->lock);
		cache_flush(c);
	}
	return 0;
}
