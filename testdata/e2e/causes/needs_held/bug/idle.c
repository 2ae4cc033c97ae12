struct spinlock { int x; };
struct port { struct spinlock lock; int busy; int state; };

void cpu_relax(void);

/* Called with p->lock held: drops it while the port drains, and takes
 * it back before it returns. */
void port_wait_idle(struct port *p)
{
	while (p->busy) {
		spin_unlock(&p->lock);
		cpu_relax();
		spin_lock(&p->lock);
	}
}
