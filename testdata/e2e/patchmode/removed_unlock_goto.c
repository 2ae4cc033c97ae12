/* tagcheck test case: invented code in the shape of a kernel driver. */
#include <linux/mutex.h>
#include <linux/errno.h>

struct rm_dev {
	struct mutex lock;
	int a, b, c, d, e;
	int count;
};

int rm_prepare(struct rm_dev *d);
void rm_release(struct rm_dev *d);

static int rm_update(struct rm_dev *d)
{
	int err;

	mutex_lock(&d->lock);
	d->a = 1;
	d->b = 2;
	d->c = 3;
	d->d = 4;
	d->e = 5;
	err = rm_prepare(d);
	if (err) {
		goto out; /* want(patch) "lockpair/unreleased: d->lock, released by mutex_unlock(&d->lock) after line 25 before this change, is still held where the path leaves the lines the patch shows" */
	}
	d->count++;
	d->a = 0;
	d->b = 0;
	d->c = 0;
	d->d = 0;
	mutex_unlock(&d->lock);
out:
	d->count--;
	d->a = 9;
	d->b = 9;
	d->c = 9;
	return err; /* want(whole) "lockpair/unreleased: d->lock, released by mutex_unlock(&d->lock) after line 25 before this change, is still held when rm_update returns (goto out)" */
}
