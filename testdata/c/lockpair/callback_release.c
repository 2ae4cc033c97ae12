struct kref { int refcount; };
struct zhdr { spinlock_t page_lock; struct kref refcount; int n; };

void zhdr_free(struct zhdr *z);

/* Drops the page lock of the header that holds ref, and frees it. */
static void release_locked(struct kref *ref)
{
	struct zhdr *z = container_of(ref, struct zhdr, refcount);

	spin_unlock(&z->page_lock);
	zhdr_free(z);
}

/* Deliberate: when kref_put() ran release_locked(), the lock is gone. */
void zhdr_put(struct zhdr *z)
{
	spin_lock(&z->page_lock);
	if (kref_put(&z->refcount, release_locked))
		return;
	spin_unlock(&z->page_lock);
}

/* Twin: the early return comes before anything could drop the lock. */
void zhdr_put_bad(struct zhdr *z)
{
	spin_lock(&z->page_lock);
	if (z->n)
		return; /* want "lockpair/unreleased: z->page_lock acquired by spin_lock(&z->page_lock) at line 27 is still held when zhdr_put_bad returns" */
	if (kref_put(&z->refcount, release_locked))
		return;
	spin_unlock(&z->page_lock);
}
