/* tagcheck test case: invented code in the shape of a kernel driver. */
#include <linux/mutex.h>
#include <linux/errno.h>

struct hand_req {
	struct mutex *held;
};

struct hand_dev {
	struct mutex lock;
	int busy;
	int count;
	int a, b, c;
};

static int hand_start(struct hand_dev *dev, struct hand_req *req)
{
	int ret = 0;

	mutex_lock(&dev->lock);
	if (dev->busy) {
		/* the caller drops it when the request ends */
		req->held = &dev->lock;
		return -EBUSY; /* want(whole) "lockpair/unreleased: dev->lock acquired by mutex_lock(&dev->lock) at line 20 is still held when hand_start returns" */
	}
	dev->count++;
	dev->a = 1;
	dev->b = 2;
	dev->c = 3;
	mutex_unlock(&dev->lock);
	return ret;
}
