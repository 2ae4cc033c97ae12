struct spinlock { int x; };
struct node { struct spinlock list_lock; int nr; };

enum { M_NONE, M_PARTIAL, M_FREE };

int try_swap(int *word, int old, int new);
int read_state(int *word);

/* Twin (deactivate_slab): the retry re-decides the mode, and only the
 * mode that took the lock releases it; a retry that picked M_FREE does
 * not release again. */
void deactivate(struct node *n, int *word, int empty)
{
	unsigned long flags;
	int mode, old;

redo:
	old = read_state(word);
	if (empty) {
		mode = M_FREE;
	} else {
		mode = M_PARTIAL;
		spin_lock_irqsave(&n->list_lock, flags);
	}
	if (!try_swap(word, old, 0)) {
		if (mode == M_PARTIAL)
			spin_unlock_irqrestore(&n->list_lock, flags);
		goto redo;
	}
	if (mode == M_PARTIAL) {
		n->nr++;
		spin_unlock_irqrestore(&n->list_lock, flags);
	}
}

/* Bug: the failed swap releases the lock and falls through to the
 * M_PARTIAL release: the mode is still M_PARTIAL, released twice. */
void deactivate_bad(struct node *n, int *word)
{
	unsigned long flags;
	int mode = M_NONE;

	mode = M_PARTIAL;
	spin_lock_irqsave(&n->list_lock, flags);
	if (!try_swap(word, 0, 1)) {
		if (mode == M_PARTIAL)
			spin_unlock_irqrestore(&n->list_lock, flags);
	}
	if (mode == M_PARTIAL)
		spin_unlock_irqrestore(&n->list_lock, flags); /* want "lockpair/unheld-release: spin_unlock_irqrestore(&n->list_lock, flags) releases n->list_lock, already released at line 47" */
}
