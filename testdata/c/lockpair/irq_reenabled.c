struct spinlock { int x; };
struct port { struct spinlock lock; struct spinlock tx_lock; int busy; };

/* Bug: the inner unlock turns interrupts on inside the irqsave section. */
void port_kick(struct port *p)
{
	unsigned long flags;

	spin_lock_irqsave(&p->lock, flags);
	spin_lock_irq(&p->tx_lock);
	p->busy = 1;
	spin_unlock_irq(&p->tx_lock); /* want "lockpair/irq-reenabled: spin_unlock_irq(&p->tx_lock) enables interrupts while spin_lock_irqsave(&p->lock, flags) at line 9 keeps them off" */
	spin_unlock_irqrestore(&p->lock, flags);
}

/* Twin: the plain forms inside, irqrestore puts back the caller's state. */
void port_kick_ok(struct port *p)
{
	unsigned long flags;

	spin_lock_irqsave(&p->lock, flags);
	spin_lock(&p->tx_lock);
	p->busy = 1;
	spin_unlock(&p->tx_lock);
	spin_unlock_irqrestore(&p->lock, flags);
}

/* Twin: the section is closed before the _irq pair runs. */
void port_kick_after(struct port *p)
{
	unsigned long flags;

	spin_lock_irqsave(&p->lock, flags);
	p->busy = 0;
	spin_unlock_irqrestore(&p->lock, flags);
	spin_lock_irq(&p->tx_lock);
	p->busy = 1;
	spin_unlock_irq(&p->tx_lock);
}

/* A helper that turns interrupts on when it returns. */
static void port_tx_flush(struct port *p)
{
	spin_lock_irq(&p->tx_lock);
	p->busy = 0;
	spin_unlock_irq(&p->tx_lock);
}

/* Bug: the helper is called inside an irqsave section. */
void port_reset(struct port *p)
{
	unsigned long flags;

	spin_lock_irqsave(&p->lock, flags);
	port_tx_flush(p); /* want "lockpair/irq-reenabled: port_tx_flush(p) enables interrupts (its body turns them on" */
	spin_unlock_irqrestore(&p->lock, flags);
}

/* Twin: the same helper called with interrupts on. */
void port_reset_ok(struct port *p)
{
	unsigned long flags;

	port_tx_flush(p);
	spin_lock_irqsave(&p->lock, flags);
	p->busy = 0;
	spin_unlock_irqrestore(&p->lock, flags);
}
