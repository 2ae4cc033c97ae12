/* Reduced from fs/hfs/bfind.c: a B-tree search takes the tree's lock and remembers the tree. */
#include "hfs_fs.h"

void *kmalloc(unsigned long size, int flags);
void kfree(const void *p);
void hfs_bnode_put(void *node);

int hfs_find_init(struct hfs_btree *tree, struct hfs_find_data *fd)
{
	void *ptr;

	ptr = kmalloc(tree->max_key_len * 2 + 4, 0);
	if (!ptr)
		return -12;
	fd->search_key = ptr;
	fd->tree = tree;
	fd->bnode = 0;
	switch (tree->cnid) {
	case 4:
		mutex_lock_nested(&tree->tree_lock, 0);
		break;
	case 3:
		mutex_lock_nested(&tree->tree_lock, 1);
		break;
	default:
		return -22;
	}
	return 0;
}

void hfs_find_exit(struct hfs_find_data *fd)
{
	hfs_bnode_put(fd->bnode);
	kfree(fd->search_key);
	mutex_unlock(&fd->tree->tree_lock);
	fd->tree = 0;
}
