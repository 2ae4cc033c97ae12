struct fs { struct rw_semaphore sem; int depth; int full; };

/*
 * Deliberate: a nested begin returns 0 early without taking the lock (the
 * outer begin holds it); the first begin returns 0 with the lock held and
 * drops it on failure. Every exit that took the lock agrees.
 */
int fs_begin(struct fs *fs)
{
	if (fs->depth++)
		return 0;
	down_read(&fs->sem);
	if (fs->full) {
		up_read(&fs->sem);
		fs->depth--;
		return -ENOSPC;
	}
	return 0;
}

/*
 * Twin: after taking the lock, one success exit keeps it and another
 * drops it; the exits that took the lock disagree.
 */
int fs_begin_bad(struct fs *fs, int quick)
{
	if (fs->depth++)
		return 0;
	down_read(&fs->sem);
	if (quick)
		return 0; /* want "lockpair/unreleased: fs->sem acquired by down_read(&fs->sem) at line 29 is still held when fs_begin_bad returns" */
	if (fs->full) {
		up_read(&fs->sem);
		fs->depth--;
		return -ENOSPC;
	}
	up_read(&fs->sem);
	return 0;
}
