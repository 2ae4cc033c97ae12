struct buf { struct semaphore b_sema; struct list_head b_list; int b_flags; };
struct lockres { spinlock_t l_lock; int l_ro_holders, l_ex_holders; };

static void buf_lock(struct buf *bp)
{
	down(&bp->b_sema);
}

static void buf_unlock(struct buf *bp)
{
	up(&bp->b_sema);
}

/* Locks the buffer, moves it, unlocks it; a submit helper, out of view,
 * locks it again for the I/O; unlocked once more at the end. Its caller
 * cannot hold the buffer (the first lock would block on it), so the last
 * unlock is not of the caller's hold. */
static int buf_pushbuf(struct buf *bp, struct list_head *queue)
{
	LIST_HEAD(submit);
	int error;

	buf_lock(bp);
	list_move(&bp->b_list, &submit);
	buf_unlock(bp);
	submit_buffers(&submit, queue);
	error = buf_iowait(bp);
	bp->b_flags |= 1;
	buf_unlock(bp);
	return error;
}

/* Correct: the lookup returns the buffer locked; it is unlocked once
 * here, and the push takes and drops it on its own. */
static int flush_one(struct dquot *dqp, struct list_head *queue)
{
	struct buf *bp;
	int error;

	error = buf_incore(dqp, &bp);
	if (error)
		return error;
	buf_unlock(bp);
	buf_pushbuf(bp, queue);
	buf_rele(bp);
	return -EAGAIN;
}

/* The holder count changes under the spinlock; the helper whose name
 * ends in "unlock" only kicks a thread. */
static void cluster_unlock(struct lockres *res, int level)
{
	unsigned long flags;

	spin_lock_irqsave(&res->l_lock, flags);
	dec_holders(res, level);
	downconvert_on_unlock(res);
	spin_unlock_irqrestore(&res->l_lock, flags);
}

/* Correct: two levels dropped, two balanced calls. */
static void open_unlock(struct lockres *res)
{
	if (res->l_ro_holders)
		cluster_unlock(res, 1);
	if (res->l_ex_holders)
		cluster_unlock(res, 2);
}

/* Releases its caller's hold: it never takes the buffer itself. */
static int buf_drop(struct buf *bp)
{
	int error = buf_iowait(bp);

	buf_unlock(bp);
	return error;
}

/* Bug: the buffer unlocked, then dropped again by the helper. */
static int flush_one_bad(struct buf *bp)
{
	buf_lock(bp);
	buf_unlock(bp);
	return buf_drop(bp); /* want "lockpair/unheld-release: buf_drop(bp) releases bp->b_sema, already released at line 83 on this path" */
}

/* A shared hold proves nothing: the caller may hold the rwsem for read
 * too, and the last up_read is its. */
static void stat_read(struct rw_semaphore *sem, int *n)
{
	down_read(sem);
	(*n)++;
	up_read(sem);
	sync_stat(sem);
	up_read(sem);
}

/* Bug: the helper dropped the read hold already. */
static void stat_twice(struct rw_semaphore *sem, int *n)
{
	down_read(sem);
	stat_read(sem, n);
	up_read(sem); /* want "lockpair/unheld-release: up_read(sem) releases sem, already released at line 102 on this path" */
}
