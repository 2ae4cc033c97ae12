/*
 * Source: upstream 502487847743 "cifs: fix missing unlock in
 * cifs_file_copychunk_range()". Rebuilt: after
 * lock_two_nondirectories() (fs/inode.c) the write-back failure jumps to
 * "out", past unlock_two_nondirectories().
 * Cause 1: a lock API defined in another directory of the tree.
 */
#include <linux/fs.h>

struct tcon { void *ses; int can_copy; };

int filemap_write_and_wait_range(void *mapping, long start, long end);
int copychunk(struct tcon *t, struct file *src, struct file *dst, long off, long len);

long copychunk_range(struct tcon *src_tcon, struct tcon *target_tcon, struct file *src_file, long off, struct file *dst_file, long len)
{
	struct inode *src_inode = src_file->f_inode;
	struct inode *target_inode = dst_file->f_inode;
	long rc;

	rc = -18;
	if (src_tcon->ses != target_tcon->ses)
		goto out;
	rc = -95;
	if (!target_tcon->can_copy)
		goto out;
	lock_two_nondirectories(target_inode, src_inode);
	rc = filemap_write_and_wait_range(src_inode->i_mapping, off, off + len - 1);
	if (rc)
		goto out;
	rc = copychunk(target_tcon, src_file, dst_file, off, len);
	unlock_two_nondirectories(src_inode, target_inode);
out:
	return rc; /* want "lockpair/unreleased: " */
}
