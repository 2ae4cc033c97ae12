struct k { struct rw_semaphore sem; int off; };

/*
 * Deliberate: returns 0 with the lock held, an error without. ret is 0
 * unless set, so "if (ret) return ret" after the unlock is taken only
 * with an error in hand.
 */
int k_read_trylock(struct k *k)
{
	int ret = 0;

	down_read(&k->sem);
	while (k->off) {
		if (k->off == 2)
			ret = -EAGAIN;
		up_read(&k->sem);
		if (ret)
			break;
		schedule();
		down_read(&k->sem);
	}
	return ret;
}

/* Twin: the same loop returns 0 after dropping the lock. */
int k_read_trylock_bad(struct k *k)
{
	int ret = 0;

	down_read(&k->sem);
	while (k->off) {
		up_read(&k->sem);
		if (k->off == 2)
			break;
		schedule();
		down_read(&k->sem);
	}
	return ret; /* want "lockpair/unreleased: k->sem acquired by down_read(&k->sem) at line 30 is still held when k_read_trylock_bad returns" */
}
