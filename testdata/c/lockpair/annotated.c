struct k { spinlock_t lock; int n; };

/* Deliberate: the annotation says the lock is handed to the caller. */
static int k_match_locked(struct k *t, int id)
	__acquires(&t->lock)
{
	spin_lock(&t->lock);
	if (t->n == id)
		return 1;
	spin_unlock(&t->lock);
	return 0;
}

/* Twin without the annotation: the early return keeps the lock. */
static int k_match(struct k *t, int id)
{
	spin_lock(&t->lock);
	if (t->n == id)
		return 1; /* want "lockpair/unreleased: t->lock acquired by spin_lock(&t->lock) at line 17 is still held when k_match returns" */
	spin_unlock(&t->lock);
	return 0;
}
