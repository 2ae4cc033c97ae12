/* Reduced from fs/ext4/xattr.h: the xattr semaphore is taken and given back through two inline helpers that also save and restore the no-expand state. */
#include "ext4.h"

static inline void ext4_write_lock_xattr(struct inode *inode, int *save)
{
	down_write(&EXT4_I(inode)->xattr_sem);
	*save = ext4_test_inode_state(inode, 9);
	ext4_set_inode_state(inode, 9);
}

static inline void ext4_write_unlock_xattr(struct inode *inode, int *save)
{
	if (*save == 0)
		ext4_clear_inode_state(inode, 9);
	up_write(&EXT4_I(inode)->xattr_sem);
}
