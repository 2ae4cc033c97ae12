struct mutex { int x; };
struct super { struct mutex rename_mutex; };
struct node { struct mutex lock; struct super *sb; };

struct node *node_ancestor(struct node *a, struct node *b);
int node_move(struct node *a, struct node *b);

static struct node *lock_both(struct node *p1, struct node *p2)
{
	struct node *p = node_ancestor(p1, p2);

	mutex_lock(&p1->lock);
	mutex_lock(&p2->lock);
	return p;
}

/* Keeps p1 locked when it returns NULL because p1 == p2, and all three
 * locks otherwise, whatever it returns: the result never means "not
 * locked". */
struct node *lock_pair(struct node *p1, struct node *p2)
{
	if (p1 == p2) {
		mutex_lock(&p1->lock);
		return NULL;
	}
	mutex_lock(&p1->sb->rename_mutex);
	return lock_both(p1, p2);
}

void unlock_pair(struct node *p1, struct node *p2)
{
	mutex_unlock(&p1->lock);
	if (p1 != p2) {
		mutex_unlock(&p2->lock);
		mutex_unlock(&p1->sb->rename_mutex);
	}
}

/* Twin: a non-NULL result (an ancestor) is refused, and the locks it
 * holds are released on the way out. */
int move_checked(struct node *a, struct node *b)
{
	int err = -5;

	if (lock_pair(a, b) != NULL)
		goto out;
	err = node_move(a, b);
out:
	unlock_pair(a, b);
	return err;
}

/* Bug: the same refusal returns with the locks held. */
int move_leaky(struct node *a, struct node *b)
{
	int err;

	if (lock_pair(a, b) != NULL)
		return -5; /* want "lockpair/unreleased: a->lock, a->sb->rename_mutex and b->lock acquired by lock_pair(a, b) at line 58 is still held when move_leaky returns" */
	err = node_move(a, b);
	unlock_pair(a, b);
	return err;
}
