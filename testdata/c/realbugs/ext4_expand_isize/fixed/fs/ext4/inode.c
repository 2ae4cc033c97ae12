/* Fixed twin of ext4_expand_isize/bug: the failed write access jumps to the label that releases the xattr semaphore. */
#include "xattr.h"

handle_t *ext4_journal_start(struct inode *inode, int type, int credits);
int ext4_journal_stop(handle_t *handle);
int ext4_journal_get_write_access(handle_t *handle, void *sb, struct buffer_head *bh);
int ext4_mark_iloc_dirty(handle_t *handle, struct inode *inode, struct ext4_iloc *iloc);
int expand_isize_locked(struct inode *inode, unsigned int want, struct ext4_iloc *iloc, handle_t *handle, int *no_expand);
void brelse(struct buffer_head *bh);
int IS_ERR(const void *p);
long PTR_ERR(const void *p);

int ext4_expand_extra_isize(struct inode *inode, unsigned int want, struct ext4_iloc *iloc)
{
	handle_t *handle;
	int no_expand;
	int error, rc;

	if (ext4_test_inode_state(inode, 9)) {
		brelse(iloc->bh);
		return -75;
	}
	handle = ext4_journal_start(inode, 3, 8);
	if (IS_ERR(handle)) {
		error = PTR_ERR(handle);
		brelse(iloc->bh);
		return error;
	}
	ext4_write_lock_xattr(inode, &no_expand);
	error = ext4_journal_get_write_access(handle, inode->i_sb, iloc->bh);
	if (error) {
		brelse(iloc->bh);
		goto out_unlock;
	}
	error = expand_isize_locked(inode, want, iloc, handle, &no_expand);
	rc = ext4_mark_iloc_dirty(handle, inode, iloc);
	if (!error)
		error = rc;
out_unlock:
	ext4_write_unlock_xattr(inode, &no_expand);
	ext4_journal_stop(handle);
	return error;
}
