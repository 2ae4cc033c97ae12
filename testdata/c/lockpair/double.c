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
		spin_lock(&r->lock);
	r_helper(r);
	spin_unlock(&r->lock);
}
