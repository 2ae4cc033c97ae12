struct dev { spinlock_t lock; int busy; };

/* Bug: the interrupt state saved in flags is never restored. */
static int dev_claim(struct dev *d)
{
	unsigned long flags;

	spin_lock_irqsave(&d->lock, flags);
	if (d->busy) {
		spin_unlock(&d->lock); /* want "lockpair/mismatched-release: spin_unlock(&d->lock) releases d->lock but not the interrupt state saved in flags taken by spin_lock_irqsave(&d->lock, flags) at line 8; use spin_unlock_irqrestore(&d->lock, flags)" */
		return -EBUSY;
	}
	d->busy = 1;
	spin_unlock_irqrestore(&d->lock, flags);
	return 0;
}

/* Twin: every path restores. */
static int dev_claim_ok(struct dev *d)
{
	unsigned long flags;

	spin_lock_irqsave(&d->lock, flags);
	if (d->busy) {
		spin_unlock_irqrestore(&d->lock, flags);
		return -EBUSY;
	}
	d->busy = 1;
	spin_unlock_irqrestore(&d->lock, flags);
	return 0;
}
