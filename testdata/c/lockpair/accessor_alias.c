struct rt_mutex { raw_spinlock_t wait_lock; };
struct rwbase { struct rt_mutex rtmutex; int readers; };
struct sb_info { spinlock_t s_lock; int n; };
struct super { struct sb_info *s_fs_info; };

#define SB_I(sb) ((sb)->s_fs_info)

/* Deliberate: rtm is &rwb->rtmutex, so the unlock is of the same lock. */
void rwbase_drop(struct rwbase *rwb)
{
	struct rt_mutex *rtm = &rwb->rtmutex;

	raw_spin_lock(&rwb->rtmutex.wait_lock);
	if (!rwb->readers) {
		raw_spin_unlock(&rwb->rtmutex.wait_lock);
		return;
	}
	rwb->readers--;
	raw_spin_unlock(&rtm->wait_lock);
}

/* Deliberate: sbi is what the accessor gives for sb, each time. */
void sb_count(struct super *sb)
{
	struct sb_info *sbi = SB_I(sb);

	spin_lock(&SB_I(sb)->s_lock);
	if (!sbi->n) {
		spin_unlock(&SB_I(sb)->s_lock);
		return;
	}
	sbi->n--;
	spin_unlock(&sbi->s_lock);
}

/* Twin: an allocator gives a new object, not the locked one. */
struct sb_info *sb_info_alloc(struct super *sb);

void sb_count_bad(struct super *sb)
{
	struct sb_info *sbi = sb_info_alloc(sb);

	spin_lock(&SB_I(sb)->s_lock);
	if (!sbi->n) {
		spin_unlock(&SB_I(sb)->s_lock);
		return;
	}
	sbi->n--;
	spin_unlock(&sbi->s_lock);
} /* want "lockpair/unreleased: SB_I(sb)->s_lock acquired by spin_lock(&SB_I(sb)->s_lock) at line 43 is still held when sb_count_bad returns" */
