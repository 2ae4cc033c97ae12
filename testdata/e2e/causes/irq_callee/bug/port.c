struct spinlock { int x; };
struct port { struct spinlock lock; struct spinlock tx_lock; int busy; };

void port_tx_flush(struct port *p);

void port_reset(struct port *p)
{
	unsigned long flags;

	spin_lock_irqsave(&p->lock, flags);
	port_tx_flush(p); /* want "lockpair/irq-reenabled: port_tx_flush(p) enables interrupts" */
	p->busy = 0;
	spin_unlock_irqrestore(&p->lock, flags);
}
