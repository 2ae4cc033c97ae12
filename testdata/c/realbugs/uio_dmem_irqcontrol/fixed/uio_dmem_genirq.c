/* Fixed twin of uio_dmem_irqcontrol/bug: the bit-already-set branch unlocks too. */
struct spinlock { int x; };
struct dmem_priv { struct spinlock lock; unsigned long flags; };
struct uio_info { struct dmem_priv *priv; int irq; };

int test_and_clear_bit(int nr, unsigned long *addr);
int test_and_set_bit(int nr, unsigned long *addr);
void enable_irq(int irq);
void disable_irq(int irq);

static int dmem_irqcontrol(struct uio_info *dev_info, int irq_on)
{
	struct dmem_priv *priv = dev_info->priv;
	unsigned long flags;

	spin_lock_irqsave(&priv->lock, flags);
	if (irq_on) {
		if (test_and_clear_bit(0, &priv->flags))
			enable_irq(dev_info->irq);
		spin_unlock_irqrestore(&priv->lock, flags);
	} else {
		if (!test_and_set_bit(0, &priv->flags)) {
			spin_unlock_irqrestore(&priv->lock, flags);
			disable_irq(dev_info->irq);
		} else {
			spin_unlock_irqrestore(&priv->lock, flags);
		}
	}
	return 0;
}

void dmem_setup(struct uio_info *info, int (**ctl)(struct uio_info *, int))
{
	*ctl = dmem_irqcontrol;
}
