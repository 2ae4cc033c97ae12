struct q { spinlock_t lock; struct req *pending; int busy; };
struct req { int len; };

int q_submit(struct req *r);
void q_hw_flush(struct q *t);

/*
 * Bug: entered with the caller's lock, annotated as dropping it; every
 * exit does but the one without a request.
 */
static int q_send(struct q *t)
	__releases(&t->lock)
{
	struct req *r = t->pending;

	if (!r)
		return -22; /* want "lockpair/unreleased: t->lock is still held when q_send returns on this path, though its __releases annotation says it releases it" */
	spin_unlock(&t->lock);
	if (q_submit(r) < 0)
		return -5;
	return 0;
}

/* Twin: the same exits with no annotation; dropping the caller's lock on
 * some exits only may be what the helper means (its callers decide). */
static int q_send_maybe(struct q *t)
{
	struct req *r = t->pending;

	if (!r)
		return -22;
	spin_unlock(&t->lock);
	if (q_submit(r) < 0)
		return -5;
	return 0;
}

/* Twin: annotated, and every exit drops the lock. */
static int q_send_all(struct q *t)
	__releases(&t->lock)
{
	struct req *r = t->pending;

	if (!r) {
		spin_unlock(&t->lock);
		return -22;
	}
	spin_unlock(&t->lock);
	if (q_submit(r) < 0)
		return -5;
	return 0;
}

/* Twin: drops the lock only when it succeeds, kept on its one failure:
 * a release by outcome, which the annotation does not spell out. */
static int q_send_outcome(struct q *t)
	__releases(&t->lock)
{
	if (!t->pending)
		return -22;
	spin_unlock(&t->lock);
	return 0;
}

/* Drops the lock in a helper this file cannot see into. */
static void q_drop(struct q *t)
	__releases(&t->lock)
{
	q_hw_flush(t);
}

/* Twin: the early exit hands the drop to another annotated helper. */
static int q_send_via(struct q *t)
	__releases(&t->lock)
{
	struct req *r = t->pending;

	if (!r) {
		q_drop(t);
		return -22;
	}
	spin_unlock(&t->lock);
	if (q_submit(r) < 0)
		return -5;
	return 0;
}

int q_kick(struct q *t)
{
	int ret;

	spin_lock(&t->lock);
	if (t->busy)
		ret = q_send(t);
	else if (t->pending)
		ret = q_send_all(t);
	else
		ret = q_send_via(t);
	return ret;
}

int q_kick_once(struct q *t)
{
	spin_lock(&t->lock);
	if (q_send_outcome(t))
		spin_unlock(&t->lock);
	return 0;
}

int q_try(struct q *t)
{
	int ret;

	spin_lock(&t->lock);
	ret = q_send_maybe(t);
	if (ret == -22)
		spin_unlock(&t->lock);
	return ret;
}
