struct obj { struct mutex lock; void *buf; int size; };

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
