/* tagcheck test case: invented code in the shape of a kernel driver. */
#include <linux/mutex.h>
#include <linux/errno.h>
#include <linux/interrupt.h>

struct jr_dev {
	struct mutex lock;
	struct regmap *map;
	int status;
};

int regmap_read(struct regmap *map, int reg, int *val);

static int jr_read(struct jr_dev *d, int reg, int *val)
{
	return regmap_read(d->map, reg, val);
}

static irqreturn_t jr_irq(int irq, void *data)
{
	struct jr_dev *d = data;
	int val, ret;

	mutex_lock(&d->lock);
	ret = jr_read(d, 1, &val);
	if (ret)
		goto reset;
	d->status = val;
	goto unlock;
reset:
	d->status = 0;
unlock:
	mutex_unlock(&d->lock);
	return IRQ_HANDLED;
}
