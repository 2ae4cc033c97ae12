struct mutex { int x; };
struct region { struct mutex lock; int id; int size; };

void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);

/* Twin: two regions locked in id order and unlocked in the reverse,
 * the tests written the other way round (b->id > a->id is
 * a->id < b->id): every path releases what it took. */
int region_swap(struct region *a, struct region *b)
{
	int r = 0;

	if (a->id < b->id) {
		mutex_lock(&a->lock);
		mutex_lock(&b->lock);
	} else if (b->id < a->id) {
		mutex_lock(&b->lock);
		mutex_lock(&a->lock);
	} else
		mutex_lock(&a->lock);

	if (!b->size)
		r = -22;
	a->size = b->size;

	if (a->id > b->id) {
		mutex_unlock(&a->lock);
		mutex_unlock(&b->lock);
	} else if (b->id > a->id) {
		mutex_unlock(&b->lock);
		mutex_unlock(&a->lock);
	} else
		mutex_unlock(&a->lock);
	return r;
}

/* Bug: when a->id < b->id both are taken, and the branch for it
 * (b->id > a->id) releases only b. */
int region_swap_bad(struct region *a, struct region *b)
{
	if (a->id < b->id) {
		mutex_lock(&a->lock);
		mutex_lock(&b->lock);
	} else if (b->id < a->id) {
		mutex_lock(&b->lock);
		mutex_lock(&a->lock);
	} else
		mutex_lock(&a->lock);

	a->size = b->size;

	if (a->id > b->id) {
		mutex_unlock(&a->lock);
		mutex_unlock(&b->lock);
	} else if (b->id > a->id) {
		mutex_unlock(&b->lock);
	} else
		mutex_unlock(&a->lock);
	return 0; /* want "lockpair/unreleased: a->lock acquired by mutex_lock(&a->lock) at line 43 is still held when region_swap_bad returns" */
}
