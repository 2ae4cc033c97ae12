struct base { raw_spinlock_t lock; int n; };
struct t { int flags; struct t *next; };

void call_fn(struct t *t);

/*
 * Deliberate: entered with base->lock held and interrupts off; drops and
 * retakes the caller's lock around each call, keeping interrupts off for
 * the irq-safe ones.
 */
void expire(struct base *base, struct t *t)
	__must_hold(&base->lock)
{
	for (; t; t = t->next) {
		if (t->flags) {
			raw_spin_unlock(&base->lock);
			call_fn(t);
			raw_spin_lock(&base->lock);
		} else {
			raw_spin_unlock_irq(&base->lock);
			call_fn(t);
			raw_spin_lock_irq(&base->lock);
		}
	}
}

/* The same without the annotation: still the caller's lock. */
void expire_plain(struct base *base, struct t *t)
{
	for (; t; t = t->next) {
		if (t->flags) {
			raw_spin_unlock(&base->lock);
			call_fn(t);
			raw_spin_lock(&base->lock);
		} else {
			raw_spin_unlock_irq(&base->lock);
			call_fn(t);
			raw_spin_lock_irq(&base->lock);
		}
	}
}

/* Twin: its own lock, taken with interrupts off and dropped without. */
void run_once(struct base *base, struct t *t)
{
	raw_spin_lock_irq(&base->lock);
	base->n++;
	raw_spin_unlock(&base->lock); /* want "lockpair/mismatched-release: raw_spin_unlock(&base->lock) releases base->lock but not disabled interrupts taken by raw_spin_lock_irq(&base->lock) at line 46" */
}
