/*
 * Source: upstream "ext4: unlock on error in
 * ext4_expand_extra_isize()" (Dan Carpenter, 2018). Rebuilt: when
 * getting write access to the inode's buffer fails, the error path
 * jumps to the journal stop, past ext4_write_unlock_xattr(), and the
 * function returns holding the inode's xattr_sem.
 * Cause 1: the acquire and release are inline helpers defined in a
 * header (xattr.h), reaching the lock through an accessor defined in
 * another header (ext4.h).
 */
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
		goto out_stop;
	}
	error = expand_isize_locked(inode, want, iloc, handle, &no_expand);
	rc = ext4_mark_iloc_dirty(handle, inode, iloc);
	if (!error)
		error = rc;
	ext4_write_unlock_xattr(inode, &no_expand);
out_stop:
	ext4_journal_stop(handle);
	return error; /* want "lockpair/unreleased: " */
}
