#include <linux/mutex.h>

struct drv {
	struct mutex lock;
	int state;
};

int drv_reset(struct drv *d, int mode)
{
	mutex_lock(&d->lock);
	d->state = 0;
	d->state += mode;
	d->state *= 2;
	d->state -= 1;
	d->state ^= 3;
	d->state |= 4;
	d->state &= 7;
	mutex_unlock(&d->lock);
	return 0;
}
