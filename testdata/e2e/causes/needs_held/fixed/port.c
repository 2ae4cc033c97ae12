struct spinlock { int x; };
struct port { struct spinlock lock; int busy; int state; };

void port_wait_idle(struct port *p);

void port_stop(struct port *p)
{
	spin_lock(&p->lock);
	p->state = 0;
	port_wait_idle(p);
	spin_unlock(&p->lock);
}
