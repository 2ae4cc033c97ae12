struct mutex { int x; };
struct stats { struct mutex lock; unsigned long count; };
struct ctl { struct mutex mutex; struct stats stats; int busy; };

void ctl_wait(struct ctl *c);

/* Takes and gives back only the statistics lock: whatever c->mutex was
 * when it was called, it still is (a learned neutral summary). */
static void ctl_count(struct ctl *c)
{
	mutex_lock(&c->stats.lock);
	c->stats.count++;
	mutex_unlock(&c->stats.lock);
}

/* Drops and retakes the caller's mutex around a wait: not neutral. */
static void ctl_settle(struct ctl *c)
{
	mutex_unlock(&c->mutex);
	ctl_wait(c);
	mutex_lock(&c->mutex);
}

/* Gives c to a function whose body is not in view: not neutral. */
static void ctl_hand_on(struct ctl *c)
{
	ctl_wait(c);
}

/* Bug: ctl_count is given c, which leads to c->mutex, but its summary
 * says it leaves every lock as it found it: the second release stands. */
int ctl_stop(struct ctl *c)
{
	mutex_lock(&c->mutex);
	c->busy = 0;
	mutex_unlock(&c->mutex);
	ctl_count(c);
	mutex_unlock(&c->mutex); /* want "lockpair/unheld-release: mutex_unlock(&c->mutex) releases c->mutex, already released at line 36" */
	return 0;
}

/* Twin: a callee given c that calls into code out of view may have
 * taken c->mutex for its caller; no verdict. */
int ctl_stop_handed(struct ctl *c)
{
	mutex_lock(&c->mutex);
	c->busy = 0;
	mutex_unlock(&c->mutex);
	ctl_hand_on(c);
	mutex_unlock(&c->mutex);
	return 0;
}

/* Twin: ctl_settle drops and retakes c->mutex: its summary is not
 * neutral, and the release after it is read as it always was. */
int ctl_stop_settled(struct ctl *c)
{
	mutex_lock(&c->mutex);
	ctl_settle(c);
	mutex_unlock(&c->mutex);
	return 0;
}
