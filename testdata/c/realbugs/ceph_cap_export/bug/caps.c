/*
 * Source: upstream "ceph: fix double unlock in handle_cap_export()"
 * (Wu Bo, 2020). Rebuilt: the caller's session->s_mutex is dropped to
 * open the export target's session; when that fails the function loops
 * back without retaking it and later releases it again on its way out.
 * Causes 2 and 3: the call between the releases gets mdsc and the target
 * number, not the session; and the first release drops the caller's
 * lock, which callers do hold (one release is right, two are not).
 */
struct spinlock { int x; };
struct mutex { int x; };
struct session { struct mutex s_mutex; int mds; };
struct mds_client { int n; };
struct cap { unsigned long cap_id; int mds; };
struct ceph_inode_info { struct spinlock i_ceph_lock; };

struct cap *get_cap_for_mds(struct ceph_inode_info *ci, int mds);
struct session *open_export_target_session(struct mds_client *mdsc, int target);
int IS_ERR(const void *p);
void move_cap(struct ceph_inode_info *ci, struct cap *cap, struct session *ts);

static void handle_cap_export(struct ceph_inode_info *ci, struct mds_client *mdsc, struct session *session, unsigned long cap_id, int target)
{
	struct session *tsession = 0;
	struct cap *cap;

retry:
	spin_lock(&ci->i_ceph_lock);
	cap = get_cap_for_mds(ci, session->mds);
	if (!cap || cap->cap_id != cap_id)
		goto out_unlock;
	if (target < 0)
		goto out_unlock;
	if (tsession) {
		move_cap(ci, cap, tsession);
		goto out_unlock;
	}
	spin_unlock(&ci->i_ceph_lock);
	mutex_unlock(&session->s_mutex);
	tsession = open_export_target_session(mdsc, target);
	if (!IS_ERR(tsession)) {
		mutex_lock(&session->s_mutex);
	} else {
		tsession = 0;
		target = -1;
	}
	goto retry;

out_unlock:
	spin_unlock(&ci->i_ceph_lock);
	mutex_unlock(&session->s_mutex); /* want "lockpair/unheld-release: mutex_unlock(&session->s_mutex) releases session->s_mutex" */
}

void handle_caps(struct ceph_inode_info *ci, struct mds_client *mdsc, struct session *session, unsigned long id, int target)
{
	mutex_lock(&session->s_mutex);
	handle_cap_export(ci, mdsc, session, id, target);
}
