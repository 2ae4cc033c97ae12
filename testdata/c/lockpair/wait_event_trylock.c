struct fair_sem { struct rw_semaphore inner; wait_queue_head_t readers; };
struct nat { struct fair_sem tree_lock; int blocks; unsigned long *bitmap; };

/* A read lock taken by sleeping until a trylock succeeds: wait_event
 * returns only once its condition is true, so this always acquires. */
static inline void fair_down_read(struct fair_sem *sem)
{
	wait_event(sem->readers, down_read_trylock(&sem->inner));
}

static inline void fair_up_read(struct fair_sem *sem)
{
	up_read(&sem->inner);
}

/* Balanced: takes and drops the tree lock itself. */
static bool nat_full(struct nat *nm)
{
	bool ret = true;
	int i;

	fair_down_read(&nm->tree_lock);
	for (i = 0; i < nm->blocks; i++) {
		if (!test_bit(i, nm->bitmap)) {
			ret = false;
			break;
		}
	}
	fair_up_read(&nm->tree_lock);
	return ret;
}

static void nat_rebuild(struct nat *nm)
{
	fair_down_read(&nm->tree_lock);
	nm->blocks++;
	fair_up_read(&nm->tree_lock);
}

/* Correct: two balanced helpers in a row drop nothing of the caller's. */
static void nat_update(struct nat *nm, int umount)
{
	if (umount && nat_full(nm))
		nat_rebuild(nm);
}

/* Bug: an early return keeps the lock the wait took. */
static int nat_count(struct nat *nm)
{
	int n;

	fair_down_read(&nm->tree_lock);
	if (!nm->blocks)
		return 0; /* want "lockpair/unreleased: nm->tree_lock.inner acquired by fair_down_read(&nm->tree_lock) at line 52 is still held when nat_count returns" */
	n = nm->blocks;
	fair_up_read(&nm->tree_lock);
	return n;
}

/* Only releases: its caller's lock. */
static void nat_put(struct nat *nm)
{
	fair_up_read(&nm->tree_lock);
}

/* Bug: the caller's hold is dropped twice. */
static void nat_put_twice(struct nat *nm)
{
	nat_put(nm);
	nat_put(nm); /* want "lockpair/unheld-release: nat_put(nm) releases nm->tree_lock.inner, already released at line 69 on this path; nat_put_twice never takes it, so its caller's hold is released twice" */
}
