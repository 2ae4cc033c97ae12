struct dlm { spinlock_t spinlock; int state; };

/* Deliberate: stage is 1 or 2, and both cases unlock; no other value. */
int finalize(struct dlm *dlm, int second)
{
	int stage = 1;

	if (second)
		stage = 2;
	spin_lock(&dlm->spinlock);
	switch (stage) {
	case 1:
		dlm->state = 1;
		spin_unlock(&dlm->spinlock);
		break;
	case 2:
		dlm->state = 2;
		spin_unlock(&dlm->spinlock);
		break;
	}
	return 0;
}

/* Twin: stage may be 3, which no case handles, and the lock stays held. */
int finalize_bad(struct dlm *dlm, int second)
{
	int stage = 1;

	if (second)
		stage = 3;
	spin_lock(&dlm->spinlock);
	switch (stage) {
	case 1:
		dlm->state = 1;
		spin_unlock(&dlm->spinlock);
		break;
	case 2:
		dlm->state = 2;
		spin_unlock(&dlm->spinlock);
		break;
	}
	return 0; /* want "lockpair/unreleased: dlm->spinlock acquired by spin_lock(&dlm->spinlock) at line 31 is still held when finalize_bad returns" */
}
