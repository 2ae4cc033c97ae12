struct inode { spinlock_t i_lock; int state; };
struct dentry { spinlock_t d_lock; struct inode *d_inode; };

/* Drops the caller's inode lock, when there is an inode. */
static void attach(struct dentry *dentry, struct inode *inode)
{
	spin_lock(&dentry->d_lock);
	dentry->d_inode = inode;
	spin_unlock(&dentry->d_lock);
	if (inode)
		spin_unlock(&inode->i_lock);
}

/* Deliberate: attach() releases what this function took. */
void splice_alias(struct dentry *dentry, struct inode *inode)
{
	spin_lock(&inode->i_lock);
	if (inode->state) {
		spin_unlock(&inode->i_lock);
		return;
	}
	attach(dentry, inode);
}

/* Takes no lock of the caller's. */
static void attach_only(struct dentry *dentry, struct inode *inode)
{
	spin_lock(&dentry->d_lock);
	dentry->d_inode = inode;
	spin_unlock(&dentry->d_lock);
}

/* Twin: the callee releases nothing, the second exit keeps the lock. */
void splice_alias_bad(struct dentry *dentry, struct inode *inode)
{
	spin_lock(&inode->i_lock);
	if (inode->state) {
		spin_unlock(&inode->i_lock);
		return;
	}
	attach_only(dentry, inode);
} /* want "lockpair/unreleased: inode->i_lock acquired by spin_lock(&inode->i_lock) at line 36 is still held when splice_alias_bad returns" */

/* A caller that releases after a callee that may have: no verdict. */
void splice_then_unlock(struct dentry *dentry, struct inode *inode)
{
	spin_lock(&inode->i_lock);
	attach(dentry, inode);
	spin_unlock(&inode->i_lock);
}

/* Drops the caller's lock to allocate; takes it back unless that failed. */
static int grow(struct inode *inode)
{
	void *p;

	spin_unlock(&inode->i_lock);
	p = kmalloc(64, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	spin_lock(&inode->i_lock);
	inode->state = 2;
	return 0;
}

/* Deliberate: when grow() fails the lock is already gone. */
void add_state(struct inode *inode)
{
	spin_lock(&inode->i_lock);
	if (grow(inode))
		return;
	inode->state = 1;
	spin_unlock(&inode->i_lock);
}

/* Drops the caller's lock, and the interrupts it disabled, when it stops. */
static bool stop_maybe(struct inode *inode)
{
	if (inode->state) {
		spin_unlock_irq(&inode->i_lock);
		return true;
	}
	return false;
}

/* Deliberate: when stop_maybe() is true the lock and irqs are dealt with. */
void stop_or_unlock(struct inode *inode)
{
	spin_lock_irq(&inode->i_lock);
	if (stop_maybe(inode))
		return;
	spin_unlock_irq(&inode->i_lock);
}
