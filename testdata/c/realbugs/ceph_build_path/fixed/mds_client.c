/* Fixed twin of ceph_build_path/bug: unlock before the break. */
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
			spin_unlock(&temp->d_lock);
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
	return pos;
}
