/* Fixed twin of regmap_maple_drop/bug: the allocation failure jumps past the unlock. */
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
				goto out_unlocked;
			}
		}
		kfree(entry);
		mas_lock(&mas);
		mas_erase(&mas);
	}
out:
	mas_unlock(&mas);
out_unlocked:
	kfree(lower);
	return ret;
}
