/* A subsystem's acquire function in another directory: returns the
 * descriptor with its semaphore read-held, or NULL. */
struct rw_semaphore { int x; };
struct foo_desc { struct rw_semaphore sem; int state; };

struct foo_desc *foo_lookup(int id);

struct foo_desc *get_foo_desc(int id)
{
	struct foo_desc *d = foo_lookup(id);

	if (!d)
		return 0;
	down_read(&d->sem);
	return d;
}

void put_foo_desc(struct foo_desc *d)
{
	up_read(&d->sem);
}
