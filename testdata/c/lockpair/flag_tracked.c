struct rw_semaphore { int x; };
struct space { struct rw_semaphore in_recovery; unsigned long flags; };

#define RECOVER_LOCK 1
#define RECOVER_DOWN 2
#define RECOVER_WORK 3

int test_bit(int nr, unsigned long *addr);
int test_and_clear_bit(int nr, unsigned long *addr);
void set_bit(int nr, unsigned long *addr);
void do_recovery(struct space *ls);
int should_stop(void);

/* Twin: the flag raised beside each acquire says whether the lock is
 * held; what clears it (do_recovery, or another thread) released it.
 * Neither the retake in the loop nor the flag-guarded release at the
 * end gets a verdict, though this kthread body is only a callback. */
static int recoverd(void *arg)
{
	struct space *ls = arg;

	down_write(&ls->in_recovery);
	set_bit(RECOVER_LOCK, &ls->flags);
	while (!should_stop()) {
		if (test_and_clear_bit(RECOVER_DOWN, &ls->flags)) {
			down_write(&ls->in_recovery);
			set_bit(RECOVER_LOCK, &ls->flags);
		}
		if (test_and_clear_bit(RECOVER_WORK, &ls->flags))
			do_recovery(ls);
	}
	if (test_bit(RECOVER_LOCK, &ls->flags))
		up_write(&ls->in_recovery);
	return 0;
}

void start(struct space *ls, int (**fn)(void *))
{
	*fn = recoverd;
}

/* Bug: the flag raised beside the acquire is never tested, so it says
 * nothing of the lock: taking it again in the loop deadlocks. */
int recoverd_untracked(struct space *ls)
{
	down_write(&ls->in_recovery);
	set_bit(RECOVER_LOCK, &ls->flags);
	while (!should_stop()) {
		if (test_and_clear_bit(RECOVER_DOWN, &ls->flags))
			down_write(&ls->in_recovery); /* want "lockpair/double-acquire: down_write(&ls->in_recovery) acquires ls->in_recovery, already held since down_write(&ls->in_recovery) at line 46" */
	}
	up_write(&ls->in_recovery);
	return 0;
}

struct spinlock { int x; };
struct zone { struct spinlock *lock; };
int page_free(int i);

/* Takes the lock and says so (compact_lock_irqsave). */
static int lock_irqsave_if_free(struct spinlock *l, unsigned long *flags)
{
	spin_lock_irqsave(l, *flags);
	return 1;
}

/* Twin: the flag is the acquire's own result; the release it guards is
 * taken when the flag says so, though no caller of this file-local
 * function releases anything. */
static int isolate_block(struct zone *z, int n)
{
	unsigned long flags;
	int locked = 0, i, got = 0;

	for (i = 0; i < n; i++) {
		if (!page_free(i))
			continue;
		if (!locked)
			locked = lock_irqsave_if_free(z->lock, &flags);
		got++;
	}
	if (locked)
		spin_unlock_irqrestore(z->lock, flags);
	return got;
}

int isolate_all(struct zone *z)
{
	return isolate_block(z, 8);
}
