/*
 * Source: upstream "uio: uio_dmem_genirq: Fix missing unlock in irq
 * configuration" (fixes "uio: uio_dmem_genirq: Fix deadlock between irq
 * config and handling"). Rebuilt: the disable branch releases the lock
 * only when it flips the bit; when the bit was already set it returns
 * holding priv->lock.
 * Cause 5: held and released paths meet at one return, which an
 * exit-shape guess reads as a hand-over. The callers settle it: the
 * function is file-local, only ever stored as a callback, and nothing
 * in its file that calls it releases a lock.
 */
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
		}
	}
	return 0; /* want "lockpair/unreleased: priv->lock and the interrupt state saved in flags acquired by spin_lock_irqsave(&priv->lock, flags) at line 26" */
}

void dmem_setup(struct uio_info *info, int (**ctl)(struct uio_info *, int))
{
	*ctl = dmem_irqcontrol;
}
