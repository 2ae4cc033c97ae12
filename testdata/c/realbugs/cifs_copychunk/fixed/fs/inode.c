/* Reduced from fs/inode.c: the two-inode lock helpers (order by address, skip directories). */
#include <linux/fs.h>

int S_ISDIR(int mode);

void lock_two_nondirectories(struct inode *inode1, struct inode *inode2)
{
	inode_lock(inode1);
	inode_lock_nested(inode2, 1);
}

void unlock_two_nondirectories(struct inode *inode1, struct inode *inode2)
{
	inode_unlock(inode1);
	inode_unlock(inode2);
}
