struct mutex { int x; };
struct mbox { struct mutex tx_lock; struct mutex rx_lock; unsigned int space; };

int mbox_write(struct mbox *m, const void *buf, unsigned int len);

/* Bug: the error path releases rx_lock, which this function never takes,
 * and returns holding tx_lock, which every other path releases: the
 * wrong lock is released. */
int mbox_send(struct mbox *m, const void *buf, unsigned int len)
{
	mutex_lock(&m->tx_lock);
	if (m->space < len) {
		mutex_unlock(&m->rx_lock); /* want "lockpair/unheld-release: mutex_unlock(&m->rx_lock) releases m->rx_lock, which mbox_send never takes, while m->tx_lock taken at line 11 is held" */
		return -11; /* want "lockpair/unreleased: m->tx_lock acquired by mutex_lock(&m->tx_lock) at line 11" */
	}
	mbox_write(m, buf, len);
	mutex_unlock(&m->tx_lock);
	return 0;
}

/* Twin: hand over hand. The caller holds rx_lock; the function takes
 * tx_lock, drops the caller's rx_lock and returns holding tx_lock on
 * every path: it keeps its own lock on purpose. */
int mbox_switch(struct mbox *m)
{
	mutex_lock(&m->tx_lock);
	mutex_unlock(&m->rx_lock);
	return 0;
}

/* Twin: the caller's rx_lock dropped on the error path while tx_lock is
 * held, and tx_lock released on every path: nothing says the wrong lock
 * was meant. */
int mbox_flush(struct mbox *m, unsigned int len)
{
	mutex_lock(&m->tx_lock);
	if (m->space < len) {
		mutex_unlock(&m->rx_lock);
		mutex_unlock(&m->tx_lock);
		return -11;
	}
	mutex_unlock(&m->tx_lock);
	return 0;
}
