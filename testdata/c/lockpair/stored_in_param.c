struct mutex { int x; };
struct node { struct mutex lock; int level; };
struct path { struct node *nodes[8]; int locks[8]; };
struct scratch { struct node *nodes[8]; };

struct node *read_node(int level);

/* Twin: the locked node is stored into the caller's path, whose owner
 * releases it later (btrfs_search_slot, btrfs_release_path). */
int search(struct path *p, int level)
{
	struct node *b = read_node(level);

	if (!b)
		return -5;
	mutex_lock(&b->lock);
	p->nodes[level] = b;
	p->locks[level] = 1;
	if (b->level != level)
		return -22;
	mutex_unlock(&b->lock);
	p->locks[level] = 0;
	return 0;
}

/* Bug: stored only into a local scratch array, which dies with the
 * function: the lock is leaked. */
int search_scratch(int level)
{
	struct scratch sc;
	struct node *b = read_node(level);

	if (!b)
		return -5;
	mutex_lock(&b->lock);
	sc.nodes[level] = b;
	if (b->level != level)
		return -22; /* want "lockpair/unreleased: b->lock acquired by mutex_lock(&b->lock) at line 35 is still held when search_scratch returns" */
	mutex_unlock(&b->lock);
	return 0;
}
