/* tagcheck test case: invented code in the shape of a kernel driver. */
#include <linux/mutex.h>
#include <linux/errno.h>

struct bk_dev {
	struct mutex lock;
	int a, b, c, d, e, f, g, h;
};

int bk_read(struct bk_dev *d, int reg, int *val);

static int bk_write(struct bk_dev *d, int attr, int val)
{
	int ret = 0, reg;

	mutex_lock(&d->lock);
	switch (attr) {
	case 1:
		d->a = val;
		break;
	case 2:
		ret = bk_read(d, 2, &reg);
		if (ret)
			return ret; /* want(whole) "lockpair/unreleased: d->lock" */
		d->b = reg;
		d->c = val;
		d->d = val;
		d->e = val;
		break;
	default:
		ret = -EINVAL;
		break;
	}
	mutex_unlock(&d->lock);
	return ret;
}
