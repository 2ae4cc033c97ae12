/* tagcheck test case: invented code in the shape of a kernel driver. */
#include <linux/mutex.h>
#include <linux/errno.h>

struct ja_dev {
	struct mutex lock;
	int a, b, c, d, e, f, g, h;
};

int ja_prepare(struct ja_dev *d);

static int ja_update(struct ja_dev *d)
{
	int err;

	mutex_lock(&d->lock);
	d->a = 1;
	d->b = 2;
	d->c = 3;
	d->d = 4;
	err = ja_prepare(d);
	if (err)
		return err; /* want(whole) "lockpair/unreleased: d->lock, released by mutex_unlock(&d->lock) after line 22 before this change, is still held when ja_update returns" */
	d->e = 5;
	d->f = 6;
	d->g = 7;
	d->h = 8;
out:
	mutex_unlock(&d->lock);
	return err;
}
