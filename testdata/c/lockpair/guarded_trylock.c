struct dev { struct mutex lock; char buf[64]; int busy; };

void *kmalloc(unsigned long n, int flags);
void kfree(void *p);
int xfer(struct dev *d, char *b);

/*
 * Deliberate: the shared buffer is used only under the lock; the unlock
 * is guarded by which buffer was used, which the walk cannot relate to the
 * trylock.
 */
int dev_xfer(struct dev *d, unsigned long n)
{
	char *b;
	int ret;

	if (n > sizeof(d->buf) || !mutex_trylock(&d->lock)) {
		b = kmalloc(n, 0);
		if (!b)
			return -ENOMEM;
	} else {
		b = d->buf;
	}
	ret = xfer(d, b);
	if (b == d->buf)
		mutex_unlock(&d->lock);
	else
		kfree(b);
	return ret;
}

/* Twin: the unlock is not guarded at all. */
int dev_xfer_bad(struct dev *d, unsigned long n)
{
	char *b;
	int ret;

	if (n > sizeof(d->buf) || !mutex_trylock(&d->lock)) {
		b = kmalloc(n, 0);
		if (!b)
			return -ENOMEM;
	} else {
		b = d->buf;
	}
	ret = xfer(d, b);
	mutex_unlock(&d->lock); /* want "lockpair/unheld-release: mutex_unlock(&d->lock) releases d->lock, which mutex_trylock(&d->lock) at line 38 did not take" */
	return ret;
}

/* Deliberate: the interruptible lock's result is tested as it is stored. */
int dev_read(struct dev *d)
{
	int ret = 0;

	if ((ret = mutex_lock_interruptible(&d->lock)))
		return ret;
	while (ret >= 0 && d->busy)
		ret = xfer(d, d->buf);
	if (ret < 0)
		ret = -EIO;
	mutex_unlock(&d->lock);
	return ret;
}

/* Twin: interrupted, it goes on and unlocks a mutex it does not hold. */
void dev_stop(struct dev *d)
{
	if (mutex_lock_interruptible(&d->lock)) {
		/* return -ERESTARTSYS */;
	}
	d->busy = 0;
	mutex_unlock(&d->lock); /* want "lockpair/unheld-release: mutex_unlock(&d->lock) releases d->lock, which mutex_lock_interruptible(&d->lock) at line 68 did not take" */
}
