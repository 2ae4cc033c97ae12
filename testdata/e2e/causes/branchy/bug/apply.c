#include "cfg.h"

/* Applies each attribute the caller set, then marks each one dirty: every
 * test is made twice, so a walk that keeps what it learned splits on
 * each, 2^14 paths under one lock. */
int cfg_apply(struct cfg *c, struct attr *a)
{
	int err = 0;

	cfg_lock(c);
	if (a->f0)
		c->v0 = a->f0;
	if (a->f1)
		c->v1 = a->f1;
	if (a->f2)
		c->v2 = a->f2;
	if (a->f3)
		c->v3 = a->f3;
	if (a->f4)
		c->v4 = a->f4;
	if (a->f5)
		c->v5 = a->f5;
	if (a->f6)
		c->v6 = a->f6;
	if (a->f7)
		c->v7 = a->f7;
	if (a->f8)
		c->v8 = a->f8;
	if (a->f9)
		c->v9 = a->f9;
	if (a->f10)
		c->v10 = a->f10;
	if (a->f11)
		c->v11 = a->f11;
	if (a->f12)
		c->v12 = a->f12;
	if (a->f13)
		c->v13 = a->f13;
	if (a->bad) {
		err = -22;
		return err; /* want "lockpair/unreleased: c->lock acquired by cfg_lock(c) at line 10 is still held when cfg_apply returns" */
	}
	if (a->f0)
		c->dirty |= 1UL << 0;
	if (a->f1)
		c->dirty |= 1UL << 1;
	if (a->f2)
		c->dirty |= 1UL << 2;
	if (a->f3)
		c->dirty |= 1UL << 3;
	if (a->f4)
		c->dirty |= 1UL << 4;
	if (a->f5)
		c->dirty |= 1UL << 5;
	if (a->f6)
		c->dirty |= 1UL << 6;
	if (a->f7)
		c->dirty |= 1UL << 7;
	if (a->f8)
		c->dirty |= 1UL << 8;
	if (a->f9)
		c->dirty |= 1UL << 9;
	if (a->f10)
		c->dirty |= 1UL << 10;
	if (a->f11)
		c->dirty |= 1UL << 11;
	if (a->f12)
		c->dirty |= 1UL << 12;
	if (a->f13)
		c->dirty |= 1UL << 13;
	cfg_unlock(c);
	return err;
}
