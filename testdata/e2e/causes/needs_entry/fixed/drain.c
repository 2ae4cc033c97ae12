struct mutex { int owner; };
struct port { struct mutex lock; int polled; int queued; };

void cond_resched(void);
int port_post_one(struct port *p);

/* Called with p->lock held: drops it when it must reschedule, and takes
 * it back before it returns. */
void port_drain(struct port *p)
{
	while (port_post_one(p)) {
		mutex_unlock(&p->lock);
		cond_resched();
		mutex_lock(&p->lock);
	}
}
