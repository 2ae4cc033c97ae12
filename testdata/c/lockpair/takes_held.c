struct mutex { int x; };
struct dev { struct mutex mtx; struct dev *next; int up; int cfg; };

int dev_probe(struct dev *d);
void dev_leave(struct dev *d);
void dev_wait(struct dev *d);

/* A file-local check that takes the device mutex around its probe. */
static int cfg_valid(struct dev *d)
{
	int ret;

	if (!d->up)
		return 1;
	mutex_lock(&d->mtx);
	ret = dev_probe(d);
	mutex_unlock(&d->mtx);
	return ret;
}

/* Bug: the caller holds the mutex across the check, which takes it
 * again (reg_leave_invalid_chans and reg_wdev_chan_valid). */
void dev_leave_invalid(struct dev *d)
{
	mutex_lock(&d->mtx);
	if (!cfg_valid(d)) /* want "lockpair/double-acquire: cfg_valid(d) acquires d->mtx, already held since mutex_lock(&d->mtx) at line 25" */
		dev_leave(d);
	mutex_unlock(&d->mtx);
}

/* Twin: the mutex is let go before the check. */
void dev_leave_invalid_unlocked(struct dev *d)
{
	mutex_lock(&d->mtx);
	d->cfg = 0;
	mutex_unlock(&d->mtx);
	if (!cfg_valid(d))
		dev_leave(d);
}

/* Called with d->mtx held: drops it while the device settles and takes
 * it back. Its take is its caller's lock retaken, not one of its own. */
static void cfg_settle(struct dev *d)
{
	while (d->up > 1) {
		mutex_unlock(&d->mtx);
		dev_wait(d);
		mutex_lock(&d->mtx);
	}
}

/* Twin: holding the lock is what cfg_settle needs. */
void dev_settle(struct dev *d)
{
	mutex_lock(&d->mtx);
	cfg_settle(d);
	mutex_unlock(&d->mtx);
}

/* An exported function taking the mutex: callers elsewhere may hold it
 * on paths where it does not take it, so it is no contract. */
int cfg_valid_exported(struct dev *d)
{
	int ret;

	if (!d->up)
		return 1;
	mutex_lock(&d->mtx);
	ret = dev_probe(d);
	mutex_unlock(&d->mtx);
	return ret;
}

/* Twin: not reported (see cfg_valid_exported). */
void dev_check_exported(struct dev *d)
{
	mutex_lock(&d->mtx);
	if (!cfg_valid_exported(d))
		dev_leave(d);
	mutex_unlock(&d->mtx);
}

/* A file-local function whose only take is its callee's: in C what a
 * function takes is what it acquires itself, not what its callees do. */
static int cfg_valid_twice(struct dev *d)
{
	return cfg_valid(d) && cfg_valid(d->next);
}

/* Twin: not reported (see cfg_valid_twice). */
void dev_check_twice(struct dev *d)
{
	mutex_lock(&d->mtx);
	if (!cfg_valid_twice(d))
		dev_leave(d);
	mutex_unlock(&d->mtx);
}

/* Called with d->mtx held (__releases and __acquires in the kernel, as
 * gfs2's do_xmote in 6.1): drops it for the request and takes it back
 * at the end; a device that is down jumps past the drop, so on that path
 * the take at the end looks like a take of its own (on do_xmote, the
 * withdraw path). Either way it handles its caller's hold, and a caller
 * holding the lock is what it asks for: no contract of its own to take
 * the lock. */
static void cfg_request(struct dev *d)
{
	if (!d->up)
		goto skip;
	mutex_unlock(&d->mtx);
	dev_wait(d);
skip:
	dev_probe(d);
	mutex_lock(&d->mtx);
}

/* Twin: holding the lock is what cfg_request needs (run_queue calling
 * do_xmote). */
void dev_request(struct dev *d)
{
	mutex_lock(&d->mtx);
	cfg_request(d);
	mutex_unlock(&d->mtx);
}
