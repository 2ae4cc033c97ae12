struct c { struct mutex lock; int n; };

/* Correct: guard() releases at every exit of its scope. */
static int c_inc(struct c *c)
{
	guard(mutex)(&c->lock);
	if (c->n > 10)
		return -ERANGE;
	c->n++;
	return 0;
}

/* Correct: scoped_guard releases when its block ends. */
static void c_dec(struct c *c)
{
	scoped_guard(mutex, &c->lock) {
		if (!c->n)
			return;
		c->n--;
	}
}

/* Bug: a guard and an explicit unlock release twice. */
static void c_reset(struct c *c)
{
	guard(mutex)(&c->lock);
	c->n = 0;
	mutex_unlock(&c->lock); /* want "lockpair/mismatched-release: mutex_unlock(&c->lock) does not pair with guard(mutex)(&c->lock) at line 26" */
}
