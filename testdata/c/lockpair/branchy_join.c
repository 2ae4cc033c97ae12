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

/* Twin the join must excuse, after gfs2's punch_hole (fs/gfs2/bmap.c, 6.1).
 * The sweep of a metadata height opens the transaction when it finds
 * blocks to free and takes ip->rw for it; both stay open for this
 * function, which closes them at the end of the freeing (opening them
 * itself if no sweep did) or, on an error, at out:. Closing the
 * transaction clears current->journal_info, so the release at out: never
 * follows the one above it; the walk does not know that, and reads the
 * second release as the caller's lock released twice
 * (lockpair/unheld-release; a9fdc8e, which did not join, reported it
 * here as on punch_hole). The state machine brings more than joinAfter
 * states to its blocks, so the walk joins paths, and a walk that joined
 * paths judges only a lock still held at a failure return: the excuse
 * of 7c5b98d, which this twin fails without. */
struct rw_semaphore { int x; };
struct task_struct { void *journal_info; };
struct hole_sb { int log; };
struct hole_inode { struct hole_sb *sb; struct rw_semaphore rw; int height; unsigned long blocks; };

extern struct task_struct *current;

enum { HOLE_FULL, HOLE_LOWER, HOLE_FILL, HOLE_DONE };

int hole_trans_begin(struct hole_sb *sb);
void hole_log_flush(struct hole_sb *sb);
int hole_sweep(struct hole_inode *ip, int h, unsigned int *freed);
int hole_fill(struct hole_inode *ip, int h);
int hole_nonnull(struct hole_inode *ip, int h);

void hole_trans_end(struct hole_sb *sb)
{
	current->journal_info = 0;
	hole_log_flush(sb);
}

int hole_punch(struct hole_inode *ip)
{
	unsigned int freed = 0;
	int state = ip->height ? HOLE_FULL : HOLE_FILL;
	int h = ip->height - 1;
	int ret = 0;

	while (state != HOLE_DONE) {
		switch (state) {
		case HOLE_FULL:
			ret = hole_sweep(ip, h, &freed);
			if (ret || !h) {
				state = HOLE_DONE;
				break;
			}
			state = HOLE_LOWER;
			break;
		case HOLE_LOWER:
			if (h == 0) {
				state = HOLE_FILL;
				break;
			}
			h--;
			if (hole_nonnull(ip, h)) {
				state = HOLE_FILL;
				h++;
			}
			break;
		case HOLE_FILL:
			ret = hole_fill(ip, h);
			if (ret < 0)
				goto out;
			if (ret == h) {
				state = HOLE_FULL;
				break;
			}
			if (hole_nonnull(ip, h))
				h++;
			else
				state = HOLE_LOWER;
			break;
		}
	}

	if (freed) {
		if (current->journal_info == 0) {
			ret = hole_trans_begin(ip->sb);
			if (ret)
				goto out;
			down_write(&ip->rw);
		}
		ip->blocks -= freed;
		up_write(&ip->rw);
		hole_trans_end(ip->sb);
	}
out:
	if (current->journal_info) {
		up_write(&ip->rw);
		hole_trans_end(ip->sb);
	}
	return ret;
}
