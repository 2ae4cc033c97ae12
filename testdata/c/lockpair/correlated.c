struct s { struct mutex m; int v; };

/* Correct: the same unmodified condition guards the lock and the unlock. */
static void maybe_locked(struct s *s, bool need)
{
	if (need)
		mutex_lock(&s->m);
	s->v++;
	if (need)
		mutex_unlock(&s->m);
}

/* Bug: the condition changes in between. */
static void maybe_locked_bad(struct s *s, bool need)
{
	if (need)
		mutex_lock(&s->m);
	need = s->v > 3;
	s->v++;
	if (need)
		mutex_unlock(&s->m);
} /* want "lockpair/unreleased: s->m acquired by mutex_lock(&s->m) at line 17 is still held when maybe_locked_bad returns" */
