/* Reduced from fs/hfs/hfs_fs.h and btree.h. */
struct mutex { int x; };
struct hfs_btree { struct mutex tree_lock; int cnid; int max_key_len; };
struct super_block { struct hfs_btree *ext_tree; struct mutex alloc_mutex; unsigned long *bitmap; };
struct hfs_find_data { void *search_key; void *key; struct hfs_btree *tree; void *bnode; int entryoffset; int entrylength; };

int hfs_find_init(struct hfs_btree *tree, struct hfs_find_data *fd);
void hfs_find_exit(struct hfs_find_data *fd);
int block_free(struct super_block *sb, unsigned int offset, unsigned int count);
