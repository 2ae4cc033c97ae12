struct mutex { int x; };
struct dev { struct mutex lock; int ready; int users; };

void dev_use(struct dev *d);

/* Bug: held on success, released on failure — an acquire wrapper by its
 * shape. But it is file-local and its only caller never releases the
 * lock after it succeeds: the success path leaks it. */
static int dev_get_ready(struct dev *d)
{
	mutex_lock(&d->lock);
	if (!d->ready) {
		mutex_unlock(&d->lock);
		return -19;
	}
	d->users++;
	return 0; /* want "lockpair/unreleased: d->lock acquired by mutex_lock(&d->lock) at line 11 is still held when dev_get_ready returns" */
}

void dev_open(struct dev *d)
{
	if (dev_get_ready(d))
		return;
	dev_use(d);
}

/* Twin: the same shape, and its caller releases after a success. */
static int dev_lock_ready(struct dev *d)
{
	mutex_lock(&d->lock);
	if (!d->ready) {
		mutex_unlock(&d->lock);
		return -19;
	}
	return 0;
}

int dev_poke(struct dev *d)
{
	if (dev_lock_ready(d))
		return -19;
	d->users++;
	mutex_unlock(&d->lock);
	return 0;
}

/* Twin: the same shape, and its caller returns its outcome as it is:
 * the lock goes on to callers out of view. */
static int dev_lock_ready2(struct dev *d)
{
	mutex_lock(&d->lock);
	if (!d->ready) {
		mutex_unlock(&d->lock);
		return -19;
	}
	return 0;
}

int dev_begin(struct dev *d)
{
	return dev_lock_ready2(d);
}

/* Twin: the caller returns a value of its own that tells its callers
 * whether the lock is held (afs_begin_vnode_operation): it may pass the
 * lock on. */
static int dev_lock_ready3(struct dev *d)
{
	mutex_lock(&d->lock);
	if (!d->ready) {
		mutex_unlock(&d->lock);
		return -19;
	}
	return 0;
}

int dev_begin3(struct dev *d)
{
	if (dev_lock_ready3(d))
		return 0;
	d->users++;
	return 1;
}
