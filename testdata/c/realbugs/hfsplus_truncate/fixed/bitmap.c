/* Reduced from fs/hfsplus/bitmap.c: freeing blocks takes only the allocation mutex. */
#include "hfs_fs.h"

int block_free(struct super_block *sb, unsigned int offset, unsigned int count)
{
	unsigned long *map;

	if (!count)
		return 0;
	mutex_lock(&sb->alloc_mutex);
	map = sb->bitmap;
	while (count--) {
		map[offset / 64] &= ~(1UL << (offset % 64));
		offset++;
	}
	mutex_unlock(&sb->alloc_mutex);
	return 0;
}
