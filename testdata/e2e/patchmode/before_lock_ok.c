/* tagcheck test case: invented code in the shape of a kernel driver. */
#include <linux/mutex.h>
#include <linux/errno.h>

struct foo_dev {
	struct mutex cfg_lock;
	int mode;
	int count;
	int speed;
	int duplex;
	int flags;
};

static int foo_set_mode(struct foo_dev *dev, int mode)
{
	int ret = 0;

	if (!dev)
		return -ENODEV;
	mutex_lock(&dev->cfg_lock);
	dev->mode = mode;
	dev->count++;
	dev->speed = 0;
	dev->duplex = 0;
	dev->flags = 0;
	mutex_unlock(&dev->cfg_lock);
	return ret;
}
