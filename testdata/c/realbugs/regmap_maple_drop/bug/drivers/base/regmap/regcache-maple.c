/*
 * Source: upstream 451941ac1ee2 "regmap: Fix double unlock in the maple
 * cache". Rebuilt: the drop loop releases the maple lock before
 * allocating; when kmemdup() fails it jumps to "out", which releases
 * the lock again.
 * Causes 2 and 1: kmemdup() cannot reach the tree's lock, and the lock
 * API (mas_lock/mas_unlock) lives in a header of another directory.
 */
#include <linux/maple_tree.h>

struct regmap { struct maple_tree *cache; int alloc_flags; };

void *kmemdup(const void *src, unsigned long len, int gfp);
void kfree(const void *p);

int maple_drop(struct regmap *map, unsigned long min, unsigned long max)
{
	struct ma_state mas;
	unsigned long *entry, *lower;
	int ret = 0;

	mas.tree = map->cache;
	mas.index = min;
	mas.last = max;
	lower = 0;
	mas_lock(&mas);
	while ((entry = mas_find(&mas, max)) != 0) {
		mas_unlock(&mas);
		if (mas.index < min) {
			lower = kmemdup(entry, (min - mas.index) * sizeof(unsigned long), map->alloc_flags);
			if (!lower) {
				ret = -12;
				goto out;
			}
		}
		kfree(entry);
		mas_lock(&mas);
		mas_erase(&mas);
	}
out:
	mas_unlock(&mas); /* want "lockpair/unheld-release: mas_unlock(&mas) releases" */
	kfree(lower);
	return ret;
}
