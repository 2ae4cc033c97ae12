struct spinlock { int x; };
struct dev { struct spinlock lock; int busy; int state; };

void cpu_relax(void);

/* Waits for the device to go idle, dropping the caller's lock while it
 * spins and taking it back before it returns: its caller must hold it. */
static void dev_wait_idle(struct dev *d)
{
	while (d->busy) {
		spin_unlock(&d->lock);
		cpu_relax();
		spin_lock(&d->lock);
	}
}

/* Bug: the lock was released before the call: dev_wait_idle unlocks a
 * lock nobody holds, and returns with it held. */
void dev_stop(struct dev *d)
{
	spin_lock(&d->lock);
	d->state = 0;
	spin_unlock(&d->lock);
	dev_wait_idle(d); /* want "lockpair/unheld-release: dev_wait_idle(d) drops and retakes d->lock, so its caller must hold it (learned from its body at needs_held.c:8:13), but this path released it at line 23" */
}

/* Twin: called with the lock held, as it must be. */
void dev_stop_locked(struct dev *d)
{
	spin_lock(&d->lock);
	d->state = 0;
	dev_wait_idle(d);
	spin_unlock(&d->lock);
}

/* Twin: this function's own caller holds the lock; nothing here says
 * it is not held. */
void dev_settle(struct dev *d)
{
	d->state = 1;
	dev_wait_idle(d);
}
