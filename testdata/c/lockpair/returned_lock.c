struct open_node { int nr; };
struct node { int flags; int nr_open; struct open_node *open; };
struct lock_table { struct mutex open_mutex[8]; };
static struct lock_table *locks;

static inline struct mutex *open_mutex_ptr(struct node *kn)
{
	int idx = hash_ptr(kn, 3);

	return &locks->open_mutex[idx];
}

/* Returns the mutex it locked. */
static inline struct mutex *open_mutex_lock(struct node *kn)
{
	struct mutex *lock;

	lock = open_mutex_ptr(kn);
	mutex_lock(lock);
	return lock;
}

/* Balanced: takes the mutex through the helper and drops it. */
static void unlink_open(struct node *kn)
{
	struct open_node *on;
	struct mutex *mutex;

	mutex = open_mutex_lock(kn);
	on = kn->open;
	if (!on) {
		mutex_unlock(mutex);
		return;
	}
	on->nr--;
	mutex_unlock(mutex);
}

/* Correct: its own section, then a balanced helper; nothing of the
 * caller's is dropped. */
static int node_release(struct node *kn)
{
	if (kn->flags & 1) {
		struct mutex *mutex;

		mutex = open_mutex_lock(kn);
		kn->flags &= ~1;
		mutex_unlock(mutex);
	}
	unlink_open(kn);
	return 0;
}

/* Bug: the mutex the helper returned is unlocked twice. */
static void node_close_bad(struct node *kn)
{
	struct mutex *mutex = open_mutex_lock(kn);

	kn->nr_open--;
	mutex_unlock(mutex);
	mutex_unlock(mutex); /* want "lockpair/unheld-release: mutex_unlock(mutex) releases mutex, already released at line 60 on this path" */
}
