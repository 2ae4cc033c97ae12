struct hw;
struct k { spinlock_t lock; struct hw *hw; int n; };

void hw_finish(struct hw *hw);

/*
 * Promises to drop the caller's lock; the body does it through the
 * hardware layer, which this file cannot see.
 */
static void k_finish(struct k *t)
	__releases(t->lock)
{
	hw_finish(t->hw);
}

/* Deliberate: k_finish() drops the lock, as its annotation says. */
void k_done(struct k *x)
{
	spin_lock(&x->lock);
	if (x->n) {
		k_finish(x);
		return;
	}
	spin_unlock(&x->lock);
}

/* Twin: the lock is dropped twice. */
void k_done_bad(struct k *x)
{
	spin_lock(&x->lock);
	if (x->n) {
		k_finish(x);
		spin_unlock(&x->lock); /* want "lockpair/unheld-release: spin_unlock(&x->lock) releases x->lock, already released at line 32 on this path" */
		return;
	}
	spin_unlock(&x->lock);
}

/* Drops and retakes: not a release. */
static void k_wait(struct k *t)
	__releases(t->lock) __acquires(t->lock)
{
	hw_finish(t->hw);
}

/* Twin: after k_wait() the lock is held again, and the early exit keeps it. */
void k_poll_bad(struct k *x)
{
	spin_lock(&x->lock);
	k_wait(x);
	if (x->n)
		return; /* want "lockpair/unreleased: x->lock acquired by spin_lock(&x->lock) at line 49 is still held when k_poll_bad returns" */
	spin_unlock(&x->lock);
}
