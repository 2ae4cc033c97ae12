struct r { spinlock_t lock; int x; };

static void r_helper(struct r *r)
{
	r->x++;
}

/* Bug: takes the lock twice on the retry path. */
static void r_update(struct r *r, int retry)
{
	spin_lock(&r->lock);
	if (retry)
		spin_lock(&r->lock); /* want "lockpair/double-acquire: spin_lock(&r->lock) acquires r->lock, already held since spin_lock(&r->lock) at line 11" */
	r_helper(r);
	spin_unlock(&r->lock);
}
