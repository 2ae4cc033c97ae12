/* Fixed twin of hfs_fill_super/bug: the bad record length ends the search first. */
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
			hfs_find_exit(&fd);
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
	return res;
}
