struct sb { struct mutex flush; };
struct ip { struct sb *sb; int stuffed; };

int do_a(struct ip *ip);

/*
 * Deliberate, as far as can be seen: the unlock is guarded by state the
 * function does not show (set where the transaction began); the code says
 * the lock is not held when the guard is false.
 */
int trunc_start(struct ip *ip)
{
	int error;

	mutex_lock(&ip->sb->flush);
	error = do_a(ip);
	if (error)
		goto out;
	ip->stuffed = 0;
out:
	if (current->journal_info)
		mutex_unlock(&ip->sb->flush);
	return error;
}

/* Twin: the early exit jumps past the guarded unlock altogether. */
int trunc_start_bad(struct ip *ip)
{
	int error;

	mutex_lock(&ip->sb->flush);
	error = do_a(ip);
	if (error)
		return error; /* want "lockpair/unreleased: ip->sb->flush acquired by mutex_lock(&ip->sb->flush) at line 31 is still held when trunc_start_bad returns" */
	ip->stuffed = 0;
	if (current->journal_info)
		mutex_unlock(&ip->sb->flush);
	return 0;
}
