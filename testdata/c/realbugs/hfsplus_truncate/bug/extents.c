/*
 * Source: upstream "hfsplus: prevent corruption in shrinking truncate"
 * (Jouni Roivas, 2021; fixes 31651c607151). Rebuilt: the loop drops
 * fd.tree->tree_lock around freeing extents and breaks out on
 * "blk_cnt > start" before retaking it; hfs_find_exit() (bfind.c) then
 * unlocks it a second time.
 * Causes 4 and 2: acquire through hfs_find_init(tree, &fd), release
 * through fd.tree->tree_lock and hfs_find_exit(&fd). free_extents(sb,
 * ...) between the two releases is given sb, which leads to the tree
 * lock: only its learned summary (it and block_free take and give back
 * sb->alloc_mutex, nothing else) says it cannot have retaken it.
 */
#include "hfs_fs.h"

struct hfsplus_inode_info { struct mutex extents_lock; unsigned int cached_start; unsigned int first_blocks; int extent_state; unsigned int *cached_extents; };

int cache_extent(struct hfs_find_data *fd, struct hfsplus_inode_info *hip, unsigned int block);
void hfs_brec_remove(struct hfs_find_data *fd);
void dump_extent(unsigned int *extents);

/* Gives each block back to the allocation bitmap (block_free, bitmap.c). */
static void free_extents(struct super_block *sb, unsigned int *extents, unsigned int offset, unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		block_free(sb, extents[i] + offset, 1);
}

void file_truncate(struct super_block *sb, struct hfsplus_inode_info *hip, unsigned int alloc_cnt, unsigned int blk_cnt)
{
	struct hfs_find_data fd;
	unsigned int start;
	int res;

	mutex_lock(&hip->extents_lock);
	res = hfs_find_init(sb->ext_tree, &fd);
	if (res) {
		mutex_unlock(&hip->extents_lock);
		return;
	}
	while (1) {
		if (alloc_cnt == hip->first_blocks)
			break;
		res = cache_extent(&fd, hip, alloc_cnt);
		if (res)
			break;
		hfs_brec_remove(&fd);
		mutex_unlock(&fd.tree->tree_lock);
		start = hip->cached_start;
		free_extents(sb, hip->cached_extents, alloc_cnt - start, alloc_cnt - blk_cnt);
		dump_extent(hip->cached_extents);
		if (blk_cnt > start) {
			hip->extent_state |= 1;
			break;
		}
		alloc_cnt = start;
		hip->cached_start = 0;
		mutex_lock(&fd.tree->tree_lock);
	}
	hfs_find_exit(&fd); /* want "lockpair/unheld-release: hfs_find_exit(&fd) releases" */
	mutex_unlock(&hip->extents_lock);
}
