/* Reduced from include/linux/maple_tree.h: mas_lock()/mas_unlock() take the tree's spinlock (macros upstream; inline functions here). */
struct spinlock { int x; };
struct maple_tree { struct spinlock ma_lock; };
struct ma_state { struct maple_tree *tree; unsigned long index; unsigned long last; };

static inline void mas_lock(struct ma_state *mas)
{
	spin_lock(&mas->tree->ma_lock);
}

static inline void mas_unlock(struct ma_state *mas)
{
	spin_unlock(&mas->tree->ma_lock);
}

void *mas_find(struct ma_state *mas, unsigned long max);
void mas_erase(struct ma_state *mas);
