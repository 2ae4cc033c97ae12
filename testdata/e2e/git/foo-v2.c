// Invented kernel-style code for tagcheck's tests; not kernel source.
/*
 * foo: a small kernel-style driver for tagcheck's end-to-end tests.
 */
#include <linux/errno.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

struct foo_dev {
	spinlock_t lock;
	struct mutex cfg_lock;
	int count;
	int broken;
	int mode;
};

int foo_bump(struct foo_dev *dev)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags);
	if (dev->broken) {
		spin_unlock_irqrestore(&dev->lock, flags);
		return -EIO;
	}
	dev->count++;
	spin_unlock_irqrestore(&dev->lock, flags);
	return 0;
}

int foo_set_mode(struct foo_dev *dev, int mode)
{
	mutex_lock(&dev->cfg_lock);
	if (mode < 0)
		return -EINVAL;
	dev->mode = mode;
	mutex_unlock(&dev->cfg_lock);
	return 0;
}
