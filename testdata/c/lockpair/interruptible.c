struct dev { struct mutex lock; int open; };

/* Correct: mutex_lock_interruptible holds only when it returns 0. */
static int dev_open(struct dev *d)
{
	int ret;

	ret = mutex_lock_interruptible(&d->lock);
	if (ret)
		return ret;
	d->open++;
	mutex_unlock(&d->lock);
	return 0;
}

/* Bug: unlocks after the interruptible lock failed. */
static int dev_close(struct dev *d)
{
	if (mutex_lock_interruptible(&d->lock)) {
		mutex_unlock(&d->lock); /* want "lockpair/unheld-release: mutex_unlock(&d->lock) releases d->lock, which mutex_lock_interruptible(&d->lock) at line 19 did not take on this path" */
		return -EINTR;
	}
	d->open--;
	mutex_unlock(&d->lock);
	return 0;
}
