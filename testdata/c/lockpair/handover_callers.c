struct spinlock { int x; };
struct port { struct spinlock lock; unsigned long flags; int irq; };

int test_and_set_bit(int nr, unsigned long *addr);
int test_bit(int nr, unsigned long *addr);
void disable_irq(int irq);

#define __acquires(x) __attribute__((context(x, 0, 1)))

/* Bug: when the bit was already set the lock stays held, and both paths
 * return 0. The function is file-local and only stored as a callback:
 * no caller can tell the paths apart or release the lock. */
static int port_irq_off(struct port *p)
{
	spin_lock(&p->lock);
	if (!test_and_set_bit(0, &p->flags)) {
		spin_unlock(&p->lock);
		disable_irq(p->irq);
	}
	return 0; /* want "lockpair/unreleased: p->lock acquired by spin_lock(&p->lock) at line 15 is still held when port_irq_off returns" */
}

void port_setup(struct port *p, int (**ctl)(struct port *))
{
	*ctl = port_irq_off;
}

/* Twin: the same shape, but its one caller releases the lock when the
 * bit says it is still held: the skipped release is handed over. */
static int port_quiesce(struct port *p)
{
	spin_lock(&p->lock);
	if (!test_and_set_bit(1, &p->flags)) {
		spin_unlock(&p->lock);
		disable_irq(p->irq);
	}
	return 0;
}

void port_stop(struct port *p)
{
	port_quiesce(p);
	if (test_bit(1, &p->flags))
		spin_unlock(&p->lock);
}

/* Twin: the annotation says the lock goes to the caller. */
static int port_claim(struct port *p) __acquires(&p->lock)
{
	spin_lock(&p->lock);
	if (!test_and_set_bit(2, &p->flags)) {
		spin_unlock(&p->lock);
		disable_irq(p->irq);
	}
	return 0;
}

void port_claim_setup(struct port *p, int (**ctl)(struct port *))
{
	*ctl = port_claim;
}

/* Twin: not file-local; its callers are not all in view, so the guard
 * gets no verdict. */
int port_mask(struct port *p)
{
	spin_lock(&p->lock);
	if (!test_and_set_bit(3, &p->flags)) {
		spin_unlock(&p->lock);
		disable_irq(p->irq);
	}
	return 0;
}
