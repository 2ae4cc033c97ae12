struct spinlock { int x; };
struct log;
struct buf { struct log *owner; int state; };
struct log { struct spinlock lock; struct buf *cur; };

#define __releases(x) __attribute__((context(x, 1, 0)))

int buf_done(struct buf *b);
void buf_sleep(struct buf *b);

/* Releases the log's lock, named through the buffer's back-pointer: the
 * caller holds it as log->lock and cannot follow b->owner. */
static int buf_wait(struct buf *b) __releases(b->owner->lock)
{
	struct log *log = b->owner;

	if (buf_done(b)) {
		spin_unlock(&log->lock);
		return 0;
	}
	buf_sleep(b);
	spin_unlock(&log->lock);
	return 1;
}

/* Twin: the lock taken as log->lock is released by buf_wait(b). */
int log_force(struct log *log)
{
	struct buf *b;

	spin_lock(&log->lock);
	b = log->cur;
	if (b->state == 1)
		return buf_wait(b);
	spin_unlock(&log->lock);
	return 0;
}

/* Bug: the early return leaves the lock held; buf_wait on the other
 * path does not excuse it. */
int log_force_early(struct log *log)
{
	struct buf *b;

	spin_lock(&log->lock);
	b = log->cur;
	if (b->state == 2)
		return -1; /* want "lockpair/unreleased: log->lock acquired by spin_lock(&log->lock) at line 45 is still held when log_force_early returns" */
	return buf_wait(b);
}

/* Bug: buf_wait released the lock; the second unlock is a double
 * release. */
int log_force_twice(struct log *log)
{
	struct buf *b;

	spin_lock(&log->lock);
	b = log->cur;
	buf_wait(b);
	spin_unlock(&log->lock); /* want "lockpair/unheld-release: spin_unlock(&log->lock) releases log->lock, already released at line 60" */
	return 0;
}
