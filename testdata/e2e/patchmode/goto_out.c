/* tagcheck test case: invented code in the shape of a kernel driver. */
#include <linux/mutex.h>
#include <linux/errno.h>

struct qux_dev {
	struct mutex lock;
	int broken;
	int count;
	int a, b, c, d;
};

static int qux_bump(struct qux_dev *dev)
{
	int ret = 0;

	dev->a = 0;
	dev->b = 0;
	dev->c = 0;
	dev->d = 0;
	mutex_lock(&dev->lock);
	dev->count++;
	if (dev->broken) {
		ret = -EIO;
		goto out;
	}
	mutex_unlock(&dev->lock);
out:
	return ret; /* want "lockpair/unreleased: dev->lock acquired by mutex_lock(&dev->lock) at line 20 is still held when" */
}
