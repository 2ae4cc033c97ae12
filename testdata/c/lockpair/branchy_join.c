struct mutex { int x; };
struct attr { int bad; int locked; int f0; int f1; int f2; int f3; int f4; int f5; int f6; int f7; int f8; int f9; int f10; int f11; int f12; };
struct obj { struct mutex lock; unsigned long dirty; int v; };

/* Bug: 2^13 paths, past the path bound unless the paths that hold the
 * same locks are joined; the error return keeps the lock. */
int obj_apply(struct obj *o, struct attr *a)
{
	mutex_lock(&o->lock);
	if (a->f0)
		o->dirty |= 1UL << 0;
	if (a->f1)
		o->dirty |= 1UL << 1;
	if (a->f2)
		o->dirty |= 1UL << 2;
	if (a->f3)
		o->dirty |= 1UL << 3;
	if (a->f4)
		o->dirty |= 1UL << 4;
	if (a->f5)
		o->dirty |= 1UL << 5;
	if (a->f6)
		o->dirty |= 1UL << 6;
	if (a->f7)
		o->dirty |= 1UL << 7;
	if (a->f8)
		o->dirty |= 1UL << 8;
	if (a->f9)
		o->dirty |= 1UL << 9;
	if (a->f10)
		o->dirty |= 1UL << 10;
	if (a->f11)
		o->dirty |= 1UL << 11;
	if (a->f12)
		o->dirty |= 1UL << 12;
	if (a->bad)
		return -22; /* want "lockpair/unreleased: o->lock acquired by mutex_lock(&o->lock) at line 9 is still held when obj_apply returns" */
	if (a->f0)
		o->dirty |= 1UL << 0;
	if (a->f1)
		o->dirty |= 1UL << 1;
	if (a->f2)
		o->dirty |= 1UL << 2;
	if (a->f3)
		o->dirty |= 1UL << 3;
	if (a->f4)
		o->dirty |= 1UL << 4;
	if (a->f5)
		o->dirty |= 1UL << 5;
	if (a->f6)
		o->dirty |= 1UL << 6;
	if (a->f7)
		o->dirty |= 1UL << 7;
	if (a->f8)
		o->dirty |= 1UL << 8;
	if (a->f9)
		o->dirty |= 1UL << 9;
	if (a->f10)
		o->dirty |= 1UL << 10;
	if (a->f11)
		o->dirty |= 1UL << 11;
	if (a->f12)
		o->dirty |= 1UL << 12;
	mutex_unlock(&o->lock);
	return 0;
}

/* Twin: the lock is taken only when a->locked says so, and released
 * under the same test after the same branches: joined paths never mix
 * a path that holds it with one that does not. */
int obj_apply_maybe(struct obj *o, struct attr *a)
{
	if (a->locked)
		mutex_lock(&o->lock);
	if (a->f0)
		o->dirty |= 1UL << 0;
	if (a->f1)
		o->dirty |= 1UL << 1;
	if (a->f2)
		o->dirty |= 1UL << 2;
	if (a->f3)
		o->dirty |= 1UL << 3;
	if (a->f4)
		o->dirty |= 1UL << 4;
	if (a->f5)
		o->dirty |= 1UL << 5;
	if (a->f6)
		o->dirty |= 1UL << 6;
	if (a->f7)
		o->dirty |= 1UL << 7;
	if (a->f8)
		o->dirty |= 1UL << 8;
	if (a->f9)
		o->dirty |= 1UL << 9;
	if (a->f10)
		o->dirty |= 1UL << 10;
	if (a->f11)
		o->dirty |= 1UL << 11;
	if (a->f12)
		o->dirty |= 1UL << 12;
	if (a->f0)
		o->dirty |= 1UL << 0;
	if (a->f1)
		o->dirty |= 1UL << 1;
	if (a->f2)
		o->dirty |= 1UL << 2;
	if (a->f3)
		o->dirty |= 1UL << 3;
	if (a->f4)
		o->dirty |= 1UL << 4;
	if (a->f5)
		o->dirty |= 1UL << 5;
	if (a->f6)
		o->dirty |= 1UL << 6;
	if (a->f7)
		o->dirty |= 1UL << 7;
	if (a->f8)
		o->dirty |= 1UL << 8;
	if (a->f9)
		o->dirty |= 1UL << 9;
	if (a->f10)
		o->dirty |= 1UL << 10;
	if (a->f11)
		o->dirty |= 1UL << 11;
	if (a->f12)
		o->dirty |= 1UL << 12;
	if (a->locked)
		mutex_unlock(&o->lock);
	return 0;
}
