/*
 * Source: upstream 765f3604641e "octeon_ep: unlock the correct lock on
 * error path" (fixes 577f0d1b1c5f, separate mailbox queues). Rebuilt:
 * the send path takes h2fq_lock, and its no-space error path releases
 * f2hq_lock, a lock this function never takes (recv takes it).
 * Cause 3: a release with no acquire in this function must not be read
 * as dropping the caller's lock when no caller holds it.
 */
struct mutex { int x; };
struct octep_q { unsigned int sz; void *hw_prod; void *hw_cons; };
struct octep_mbox { struct mutex h2fq_lock; struct mutex f2hq_lock; struct octep_q h2fq; struct octep_q f2hq; };
struct octep_msg { unsigned int sz; unsigned long words[4]; };

unsigned int readl(void *addr);
void writel(unsigned int v, void *addr);
unsigned int circq_space(unsigned int pi, unsigned int ci, unsigned int sz);
void write_data(struct octep_q *q, unsigned int *pi, unsigned int ci, void *buf, unsigned int w);
void read_data(struct octep_q *q, unsigned int pi, unsigned int *ci, void *buf, unsigned int w);

int octep_mbox_send(struct octep_mbox *mbox, struct octep_msg *msg)
{
	struct octep_q *q;
	unsigned int pi, ci;

	if (!mbox || !msg)
		return -22;
	q = &mbox->h2fq;
	pi = readl(q->hw_prod);
	ci = readl(q->hw_cons);
	mutex_lock(&mbox->h2fq_lock);
	if (circq_space(pi, ci, q->sz) < msg->sz + 8) {
		mutex_unlock(&mbox->f2hq_lock); /* want "lockpair/unheld-release: mutex_unlock(&mbox->f2hq_lock) releases mbox->f2hq_lock" */
		return -11; /* want "lockpair/unreleased: mbox->h2fq_lock acquired by" */
	}
	write_data(q, &pi, ci, msg->words, msg->sz);
	writel(pi, q->hw_prod);
	mutex_unlock(&mbox->h2fq_lock);
	return 0;
}

int octep_mbox_recv(struct octep_mbox *mbox, struct octep_msg *msg)
{
	struct octep_q *q;
	unsigned int pi, ci;

	if (!mbox || !msg)
		return -22;
	q = &mbox->f2hq;
	pi = readl(q->hw_prod);
	ci = readl(q->hw_cons);
	mutex_lock(&mbox->f2hq_lock);
	if (circq_space(pi, ci, q->sz) < 8) {
		mutex_unlock(&mbox->f2hq_lock);
		return -11;
	}
	read_data(q, pi, &ci, msg->words, msg->sz);
	writel(ci, q->hw_cons);
	mutex_unlock(&mbox->f2hq_lock);
	return 0;
}
