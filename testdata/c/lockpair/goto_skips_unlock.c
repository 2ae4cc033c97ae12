struct obj { struct mutex lock; void *buf; int size; int broken; int handed; };

/* Bug: the new goto jumps past the unlock. */
static int obj_resize(struct obj *o, int size)
{
	void *nbuf;
	int ret = 0;

	mutex_lock(&o->lock);
	nbuf = kmalloc(size, GFP_KERNEL);
	if (!nbuf) {
		ret = -ENOMEM;
		goto out;
	}
	kfree(o->buf);
	o->buf = nbuf;
	o->size = size;
	mutex_unlock(&o->lock);
out:
	return ret; /* want "lockpair/unreleased: o->lock acquired by mutex_lock(&o->lock) at line 9 is still held when obj_resize returns (goto out)" */
}

/* Twin: the label sits before the unlock. */
static int obj_resize_ok(struct obj *o, int size)
{
	void *nbuf;
	int ret = 0;

	mutex_lock(&o->lock);
	nbuf = kmalloc(size, GFP_KERNEL);
	if (!nbuf) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	kfree(o->buf);
	o->buf = nbuf;
	o->size = size;
out_unlock:
	mutex_unlock(&o->lock);
	return ret;
}

/*
 * Bug: the test is of a field the walk cannot decide, but the jump sets an
 * error first: an error path past the unlock, not a release guarded by
 * some correlated state.
 */
static int obj_check(struct obj *o)
{
	int ret = 0;

	mutex_lock(&o->lock);
	o->size++;
	if (o->broken) {
		ret = -EIO;
		goto out;
	}
	mutex_unlock(&o->lock);
out:
	return ret; /* want "lockpair/unreleased: o->lock acquired by mutex_lock(&o->lock) at line 52 is still held when obj_check returns (goto out)" */
}

/*
 * Twin: the same jump with no error set reads as the release guarded by
 * state the function does not show (the lock handed on when o->handed).
 */
static int obj_check_handed(struct obj *o)
{
	int ret = 0;

	mutex_lock(&o->lock);
	o->size++;
	if (o->handed)
		goto out;
	mutex_unlock(&o->lock);
out:
	return ret;
}
