/* Goto unwinding with several labels and nested error paths. */
static int setup(struct dev *d)
{
	int err;

	err = alloc_a(d);
	if (err)
		goto out;
	err = alloc_b(d);
	if (err)
		goto free_a;
	mutex_lock(&d->lock);
	if (!d->ready) {
		if (d->retry)
			goto unlock;
		err = -EAGAIN;
		goto unlock;
	}
	mutex_unlock(&d->lock);
	return 0;

unlock:
	mutex_unlock(&d->lock);
	free_b(d);
free_a:
	free_a(d);
out:
	return err;
}
