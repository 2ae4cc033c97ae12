/* A plain read-modify-write of a tag made under a lock, on a word that no
 * code exchanges, is serialized (no finding: the klist and xfs cursor
 * shape, the lock taken by the caller or dropped after the write). Under
 * the same lock, a word that other code updates with cmpxchg is still
 * racy: the cmpxchg does not take the lock. */
#define NODE_DEAD 1UL
#define OWNER_WAITERS 1UL

struct klist { int k_lock; };
struct task;
struct knode { struct klist *n_klist; };
struct rtlock { int wait_lock; struct task *owner; };

static void knode_kill(struct knode *n)
{
	*(unsigned long *)&n->n_klist |= NODE_DEAD;
}

void klist_put(struct klist *k, struct knode *n)
{
	spin_lock(&k->k_lock);
	knode_kill(n);
	spin_unlock(&k->k_lock);
}

void knode_unlink(struct klist *k, struct knode *n)
{
	*(unsigned long *)&n->n_klist &= ~NODE_DEAD;
	spin_unlock(&k->k_lock);
}

static void mark_waiters(struct rtlock *l)
{
	l->owner = (struct task *)((unsigned long)l->owner | OWNER_WAITERS); /* want "taggedptr/racy-rmw: the plain store sets OWNER_WAITERS in l->owner" */
}

void slow_lock(struct rtlock *l)
{
	spin_lock(&l->wait_lock);
	mark_waiters(l);
	spin_unlock(&l->wait_lock);
}

int fast_lock(struct rtlock *l, struct task *me)
{
	return cmpxchg(&l->owner, 0, me) == 0;
}
