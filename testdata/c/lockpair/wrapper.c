struct acct { spinlock_t lock; unsigned long flags; long bal; };

/* Learned: an acquire wrapper and its release. */
static void acct_lock(struct acct *a)
{
	spin_lock_bh(&a->lock);
}

static void acct_unlock(struct acct *a)
{
	spin_unlock_bh(&a->lock);
}

/* Bug: released with the wrong kind of unlock for the wrapper's lock. */
static int acct_debit(struct acct *a, long v)
{
	acct_lock(a);
	if (a->bal < v) {
		spin_unlock(&a->lock); /* want "lockpair/mismatched-release: spin_unlock(&a->lock) releases a->lock but not disabled bottom halves taken by acct_lock(a) at line 17; use acct_unlock(a)" */
		return -EINVAL;
	}
	a->bal -= v;
	acct_unlock(a);
	return 0;
}

/* Twin. */
static int acct_credit(struct acct *a, long v)
{
	acct_lock(a);
	a->bal += v;
	acct_unlock(a);
	return 0;
}
