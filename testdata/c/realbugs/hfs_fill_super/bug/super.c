/*
 * Source: upstream "hfs: add missing clean-up in hfs_fill_super" (syzbot
 * report; series "hfs: fix various errors"). Rebuilt: after
 * hfs_find_init() (bfind.c) took the catalog tree's lock, the bad
 * record length check jumps to the bail-out without hfs_find_exit().
 * Causes 1 and 4: the acquire function is defined in another file, and
 * its release names the lock through fd->tree.
 */
#include "hfs_fs.h"

struct super_block { struct hfs_btree *cat_tree; void *root; };
struct hfs_cat_rec { int type; char data[64]; };

int hfs_cat_find_brec(struct super_block *sb, int cnid, struct hfs_find_data *fd);
void hfs_bnode_read(void *node, void *buf, int off, int len);
void *hfs_iget(struct super_block *sb, void *key, struct hfs_cat_rec *rec);

int fill_super_root(struct super_block *sb)
{
	struct hfs_find_data fd;
	struct hfs_cat_rec rec;
	void *root_inode;
	int res;

	res = hfs_find_init(sb->cat_tree, &fd);
	if (res)
		goto bail_no_root;
	res = hfs_cat_find_brec(sb, 2, &fd);
	if (!res) {
		if (fd.entrylength > sizeof(rec) || fd.entrylength < 0) {
			res = -5;
			goto bail;
		}
		hfs_bnode_read(fd.bnode, &rec, fd.entryoffset, fd.entrylength);
	}
	if (res) {
		hfs_find_exit(&fd);
		goto bail_no_root;
	}
	res = -22;
	root_inode = hfs_iget(sb, fd.search_key, &rec);
	hfs_find_exit(&fd);
	if (!root_inode)
		goto bail_no_root;
	sb->root = root_inode;
	return 0;

bail_no_root:
bail:
	return res; /* want "lockpair/unreleased: " */
}
