struct spinlock { int x; };
struct port { struct spinlock lock; int busy; int state; };

void port_wait_idle(struct port *p);

void port_stop(struct port *p)
{
	spin_lock(&p->lock);
	p->state = 0;
	spin_unlock(&p->lock);
	port_wait_idle(p); /* want "lockpair/unheld-release: port_wait_idle(p) drops and retakes p->lock, so its caller must hold it (learned from its body at" */
}
