/* guard() and scoped_guard(): scope ends on every exit. */
int guarded(struct foo *f)
{
	guard(mutex)(&f->lock);
	if (f->bad)
		return -EINVAL;
	{
		guard(spinlock)(&f->slock);
		if (f->x)
			goto out;
		f->y = 1;
	}
	scoped_guard(spinlock_irqsave, &f->slock) {
		if (f->z)
			return 1;
		f->z = 2;
	}
out:
	return 0;
}

void loop_guard(struct foo *f, int n)
{
	while (n--) {
		guard(rcu)();
		if (f->stop)
			break;
		if (f->skip)
			continue;
		poke(f);
	}
}
