struct spinlock { int x; };
struct port { struct spinlock lock; struct spinlock tx_lock; int busy; };

void port_tx_flush(struct port *p);

void port_reset(struct port *p)
{
	unsigned long flags;

	port_tx_flush(p);
	spin_lock_irqsave(&p->lock, flags);
	p->busy = 0;
	spin_unlock_irqrestore(&p->lock, flags);
}
