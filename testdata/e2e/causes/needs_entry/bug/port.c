struct mutex { int owner; };
struct port { struct mutex lock; int polled; int queued; };

void port_drain(struct port *p);

static void port_flush(struct port *p)
{
	if (p->polled)
		mutex_lock(&p->lock);
	port_drain(p); /* want "lockpair/unheld-release: port_drain(p) drops and retakes p->lock, so its caller must hold it (learned from its body at" */
	if (p->polled)
		mutex_unlock(&p->lock);
}

static int port_wait(struct port *p)
{
	port_flush(p);
	return p->queued;
}

SYSCALL_DEFINE1(port_enter, struct port *, p)
{
	return port_wait(p);
}
