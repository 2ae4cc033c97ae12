struct uio_info { void *priv; int irq; int (*irqcontrol)(struct uio_info *info, int on); };

/* The core calls the driver's callback; it knows nothing of the
 * driver's locks. */
int uio_irqcontrol(struct uio_info *info, int on)
{
	if (!info->irqcontrol)
		return -5;
	return info->irqcontrol(info, on);
}
