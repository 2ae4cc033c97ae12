struct mutex { int owner; };
struct ring { struct mutex lock; int polled; int pending; };

void cond_resched(void);
int post_one(struct ring *r);

/* Drops its caller's lock when it must reschedule and takes it back:
 * its caller must hold r->lock. */
static void ring_flush(struct ring *r)
{
	while (post_one(r)) {
		mutex_unlock(&r->lock);
		cond_resched();
		mutex_lock(&r->lock);
	}
}

/* Bug: only polled rings take the lock, and nothing up the chain holds
 * it (a system call, then ring_wait, both holding no lock). */
static void ring_flush_overflow(struct ring *r)
{
	if (r->polled)
		mutex_lock(&r->lock);
	ring_flush(r); /* want "lockpair/unheld-release: ring_flush(r) drops and retakes r->lock, so its caller must hold it (learned from its body at needs_entry.c:9:13), but nothing holds it here: every caller of ring_flush_overflow calls it holding no lock, down from the system call sys_ring_enter through ring_wait, and this path has not taken it" */
	if (r->polled)
		mutex_unlock(&r->lock);
}

static int ring_wait(struct ring *r)
{
	ring_flush_overflow(r);
	return r->pending;
}

long sys_ring_enter(struct ring *r)
{
	return ring_wait(r);
}

/* Twin: one of ring_settle's callers holds the lock, another does not:
 * its callers do not say the lock is free when it runs. */
static void ring_settle(struct ring *r)
{
	ring_flush(r);
}

long sys_ring_drain(struct ring *r)
{
	mutex_lock(&r->lock);
	ring_settle(r);
	mutex_unlock(&r->lock);
	return 0;
}

long sys_ring_drain_unlocked(struct ring *r)
{
	ring_settle(r);
	return 0;
}

/* Twin: a callback; whoever calls it through the table may hold the lock. */
static void ring_flush_cb(struct ring *r)
{
	ring_flush(r);
}

struct ring_ops { void (*flush)(struct ring *r); };
const struct ring_ops ring_ops = { .flush = ring_flush_cb };

long sys_ring_kick(struct ring *r)
{
	ring_flush_cb(r);
	return 0;
}

/* Twin: exported, so callers in other files may hold the lock. */
void ring_flush_any(struct ring *r)
{
	ring_flush(r);
}

/* Twin: reached from a system call holding another lock on the way. */
static struct mutex ring_table_lock;

static void ring_flush_table(struct ring *r)
{
	ring_flush(r);
}

long sys_ring_table(struct ring *r)
{
	mutex_lock(&ring_table_lock);
	ring_flush_table(r);
	mutex_unlock(&ring_table_lock);
	return 0;
}

/* Twin: the fix; the chain holds nothing and the function takes the
 * lock itself around the call. */
static void ring_flush_fixed(struct ring *r)
{
	mutex_lock(&r->lock);
	ring_flush(r);
	mutex_unlock(&r->lock);
}

long sys_ring_fixed(struct ring *r)
{
	ring_flush_fixed(r);
	return 0;
}
