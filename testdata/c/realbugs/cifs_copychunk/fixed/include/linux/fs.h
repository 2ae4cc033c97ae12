/* Reduced from include/linux/fs.h: inode locks and the two-inode helpers. */
struct rw_semaphore { int x; };
struct inode { struct rw_semaphore i_rwsem; int i_mode; void *i_mapping; };
struct file { struct inode *f_inode; };

static inline void inode_lock(struct inode *inode)
{
	down_write(&inode->i_rwsem);
}

static inline void inode_unlock(struct inode *inode)
{
	up_write(&inode->i_rwsem);
}

void lock_two_nondirectories(struct inode *a, struct inode *b);
void unlock_two_nondirectories(struct inode *a, struct inode *b);
