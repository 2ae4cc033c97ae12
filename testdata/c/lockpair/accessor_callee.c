struct fs_info { struct rw_semaphore op_rwsem; spinlock_t stat_lock; int n; };
struct super_block { struct fs_info *s_fs_info; };
struct inode { struct super_block *i_sb; int i_ino; };

#define FS_I(inode) ((inode)->i_sb->s_fs_info)

static inline void fs_lock_op(struct fs_info *fsi)
{
	down_read(&fsi->op_rwsem);
}

static inline void fs_unlock_op(struct fs_info *fsi)
{
	up_read(&fsi->op_rwsem);
}

/* Drops the op lock its caller took, reaching it through the inode. */
static void fs_failed_inode(struct inode *inode)
{
	struct fs_info *fsi = FS_I(inode);

	inode->i_ino = 0;
	fs_unlock_op(fsi);
}

/* Correct: the caller took it through the directory; the accessor gives
 * the same file system's lock for both. */
static int fs_create(struct inode *dir, struct inode *inode, int err)
{
	struct fs_info *fsi = FS_I(dir);

	fs_lock_op(fsi);
	if (err)
		goto out;
	fs_unlock_op(fsi);
	return 0;
out:
	fs_failed_inode(inode);
	return err;
}

static void fs_failed_stat(struct inode *inode)
{
	spin_unlock(&FS_I(inode)->stat_lock);
}

/* Bug: the failure path calls a helper that drops another lock of the
 * file system, not the op lock. */
static int fs_create_bad(struct inode *dir, struct inode *inode, int err)
{
	struct fs_info *fsi = FS_I(dir);

	fs_lock_op(fsi);
	if (!err) {
		fs_unlock_op(fsi);
		return 0;
	}
	fs_failed_stat(inode);
	return err; /* want "lockpair/unreleased: fsi->op_rwsem acquired by fs_lock_op(fsi) at line 53 is still held when fs_create_bad returns" */
}

/* Two op locks held, of two file systems: which one the helper drops is
 * not guessed, so the failure path is judged as holding both. */
static int fs_link_bad(struct inode *a, struct inode *b, struct inode *inode, int err)
{
	struct fs_info *fa = FS_I(a);
	struct fs_info *fb = FS_I(b);

	fs_lock_op(fa);
	fs_lock_op(fb);
	if (err) {
		fs_failed_inode(inode);
		return err; /* want "lockpair/unreleased: fa->op_rwsem acquired by fs_lock_op(fa) at line 69 is still held when fs_link_bad returns" "lockpair/unreleased: fb->op_rwsem acquired by fs_lock_op(fb) at line 70 is still held when fs_link_bad returns" */
	}
	fs_unlock_op(fb);
	fs_unlock_op(fa);
	return 0;
}
