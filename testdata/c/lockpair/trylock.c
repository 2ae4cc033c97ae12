struct q { spinlock_t lock; int n; };

/* Correct: the lock is held only when trylock says so. */
static int q_try_inc(struct q *q)
{
	if (!spin_trylock(&q->lock))
		return -EAGAIN;
	q->n++;
	spin_unlock(&q->lock);
	return 0;
}

/* Correct: the result kept in a variable. */
static int q_try_inc2(struct q *q)
{
	int locked = spin_trylock(&q->lock);

	if (!locked)
		return -EAGAIN;
	q->n++;
	spin_unlock(&q->lock);
	return 0;
}

/* Bug: the range check returns with the lock held. */
static int q_try_bad(struct q *q)
{
	if (!spin_trylock(&q->lock))
		return -EAGAIN;
	if (q->n > 100)
		return -ERANGE; /* want "lockpair/unreleased: q->lock acquired by spin_trylock(&q->lock) at line 28 is still held when q_try_bad returns" */
	q->n++;
	spin_unlock(&q->lock);
	return 0;
}
