/* Reduced from fs/ext4/ext4.h: the in-core inode and its accessor. */
struct rw_semaphore { int x; };
struct inode { unsigned long i_state; void *i_sb; };
struct ext4_inode_info { struct rw_semaphore xattr_sem; unsigned long i_state_flags; struct inode vfs_inode; };
struct buffer_head { int b_count; };
struct ext4_iloc { struct buffer_head *bh; };
typedef struct journal_handle handle_t;

struct ext4_inode_info *ext4_inode_of(struct inode *inode);

static inline struct ext4_inode_info *EXT4_I(struct inode *inode)
{
	return ext4_inode_of(inode);
}

int ext4_test_inode_state(struct inode *inode, int bit);
void ext4_set_inode_state(struct inode *inode, int bit);
void ext4_clear_inode_state(struct inode *inode, int bit);
