/* tagcheck test case: invented code in the shape of a kernel driver. */
/* The lock is now taken after the check: the release the patch deletes
 * went with the acquire it also deletes. */
#include <linux/mutex.h>
#include <linux/errno.h>

struct mv_dev {
	struct mutex lock;
	int a, b, c, d;
	int mode;
};

bool mv_valid(int mode);

static int mv_set_mode(struct mv_dev *d, int mode)
{
	if (!mv_valid(mode)) {
		return -EINVAL;
	}
	mutex_lock(&d->lock);
	d->a = 1;
	d->b = 2;
	d->c = 3;
	d->d = 4;
	d->mode = mode;
	mutex_unlock(&d->lock);
	return 0;
}
