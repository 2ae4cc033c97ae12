struct spinlock { int x; };
struct uio_info { void *priv; int irq; int (*irqcontrol)(struct uio_info *info, int on); };
struct drv { struct spinlock lock; unsigned long flags; };

int test_and_set_bit(int nr, unsigned long *addr);
int test_and_clear_bit(int nr, unsigned long *addr);
void enable_irq(int irq);
void disable_irq_nosync(int irq);

static int drv_irqcontrol(struct uio_info *info, int on)
{
	struct drv *d = info->priv;
	unsigned long flags;

	spin_lock_irqsave(&d->lock, flags);
	if (on) {
		if (test_and_clear_bit(0, &d->flags))
			enable_irq(info->irq);
	} else {
		if (!test_and_set_bit(0, &d->flags))
			disable_irq_nosync(info->irq);
	}
	spin_unlock_irqrestore(&d->lock, flags);
	return 0;
}

void drv_probe(struct uio_info *info, struct drv *d)
{
	info->priv = d;
	info->irqcontrol = drv_irqcontrol;
}
