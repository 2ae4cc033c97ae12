struct rw_semaphore { int x; };
struct foo_desc { struct rw_semaphore sem; int state; };

struct foo_desc *get_foo_desc(int id);
void put_foo_desc(struct foo_desc *d);

int foo_state(int id)
{
	struct foo_desc *d = get_foo_desc(id);
	int state;

	if (!d)
		return -19;
	state = d->state;
	put_foo_desc(d);
	return state;
}
