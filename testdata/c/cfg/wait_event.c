/* wait_event sleeps until its condition holds: a loop on the condition,
 * left on its true side. */
void take(struct sem *s)
{
	wait_event(s->wq, down_read_trylock(&s->rw));
	s->n++;
}

/* The interruptible form may return with the condition false: a call. */
int take_killable(struct sem *s)
{
	int ret;

	ret = wait_event_interruptible(s->wq, s->ready);
	wait_event_killable(s->wq, down_read_trylock(&s->rw));
	return ret;
}

/* A wait with the wrong number of arguments stays a call. */
void odd(struct sem *s)
{
	wait_event(s->wq);
}
