struct spinlock { int x; };
struct port { struct spinlock lock; struct spinlock tx_lock; int busy; };

void port_tx_flush(struct port *p)
{
	spin_lock_irq(&p->tx_lock);
	p->busy = 0;
	spin_unlock_irq(&p->tx_lock);
}
