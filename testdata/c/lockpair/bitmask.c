struct sb { struct mutex erase_sem; spinlock_t lock; unsigned int flags; int n; };

#define SCANNING 1
#define BUILDING 2

/* Deliberate: the sem is taken only when neither bit is set, so the SCANNING exit never holds it. */
void mark_obsolete(struct sb *c)
{
	if (!(c->flags & (SCANNING | BUILDING)))
		mutex_lock(&c->erase_sem);
	spin_lock(&c->lock);
	c->n++;
	if (c->flags & SCANNING) {
		spin_unlock(&c->lock);
		return;
	}
	spin_unlock(&c->lock);
	if (!(c->flags & (SCANNING | BUILDING)))
		mutex_unlock(&c->erase_sem);
}

/* Twin: the early exit tests a bit the lock's test did not cover. */
void mark_obsolete_bad(struct sb *c)
{
	if (!(c->flags & SCANNING))
		mutex_lock(&c->erase_sem);
	spin_lock(&c->lock);
	c->n++;
	if (c->flags & BUILDING) {
		spin_unlock(&c->lock);
		return; /* want "lockpair/unreleased: c->erase_sem acquired by mutex_lock(&c->erase_sem) at line 26 is still held when mark_obsolete_bad returns" */
	}
	spin_unlock(&c->lock);
	if (!(c->flags & SCANNING))
		mutex_unlock(&c->erase_sem);
}
