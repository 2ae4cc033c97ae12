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
		rm_release(d);
		return err;
	}
	d->count++;
	d->a = 0;
	d->b = 0;
	d->c = 0;
	d->d = 0;
	mutex_unlock(&d->lock);
	return 0;
}
