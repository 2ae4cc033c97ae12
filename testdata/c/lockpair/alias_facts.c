struct file { struct mutex m; char *buf; };
struct op { spinlock_t lock; struct op *next; int ready; };

/* Deliberate: buf is a copy of of->buf, so the second test repeats the first. */
int file_write(struct file *of, int n)
{
	char *buf = of->buf;
	int len = 0;

	if (buf)
		mutex_lock(&of->m);
	if (n < 0) {
		len = -EINVAL;
		goto out;
	}
	len = n;
out:
	if (buf == of->buf)
		mutex_unlock(&of->m);
	return len;
}

/* Deliberate: cur is op, which was locked, so it is not NULL after the loop. */
struct op *first_ready(struct op *head)
{
	struct op *op, *cur = NULL;

	for (op = head; op; op = op->next) {
		spin_lock(&op->lock);
		if (!op->ready) {
			spin_unlock(&op->lock);
			continue;
		}
		cur = op;
		break;
	}
	if (!cur)
		return NULL;
	op->ready = 0;
	spin_unlock(&cur->lock);
	return cur;
}

/* Twin: the early return keeps the lock of the op found. */
struct op *first_ready_bad(struct op *head)
{
	struct op *op, *cur = NULL;

	for (op = head; op; op = op->next) {
		spin_lock(&op->lock);
		if (!op->ready) {
			spin_unlock(&op->lock);
			continue;
		}
		cur = op;
		break;
	}
	if (!cur)
		return NULL;
	if (cur->ready > 1)
		return NULL; /* want "lockpair/unreleased: op->lock acquired by spin_lock(&op->lock) at line 50 is still held when first_ready_bad returns" */
	spin_unlock(&cur->lock);
	return cur;
}
