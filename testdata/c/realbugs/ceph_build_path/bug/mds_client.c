/*
 * Source: upstream 9d5a09e659f8 "ceph: add missing spin_unlock at
 * ceph_mdsc_build_path()". Rebuilt: the walk up the dentry chain takes
 * each dentry's d_lock; the stop-at-no-snapshot branch breaks out of
 * the loop with that d_lock held.
 * Cause: baseline (a per-iteration lock left held by a break).
 */
struct spinlock { int x; };
struct qstr { int len; const char *name; };
struct inode { int snap; };
struct dentry { struct spinlock d_lock; struct dentry *d_parent; struct qstr d_name; struct inode *d_inode; };

int IS_ROOT(struct dentry *d);
void copy_name(char *dst, const char *src, int len);

int build_path(struct dentry *dentry, char *path, int pos, int stop_on_nosnap)
{
	struct dentry *temp;
	struct inode *inode;

	for (temp = dentry; !IS_ROOT(temp) && pos != 0;) {
		spin_lock(&temp->d_lock);
		inode = temp->d_inode;
		if (inode && inode->snap == -2) {
			pos = pos;
		} else if (stop_on_nosnap && inode && inode->snap == -1) {
			break;
		} else {
			pos -= temp->d_name.len;
			if (pos < 0) {
				spin_unlock(&temp->d_lock);
				break;
			}
			copy_name(path + pos, temp->d_name.name, temp->d_name.len);
		}
		spin_unlock(&temp->d_lock);
		if (pos)
			path[--pos] = '/';
		temp = temp->d_parent;
	}
	return pos; /* want "lockpair/unreleased: temp->d_lock" */
}
