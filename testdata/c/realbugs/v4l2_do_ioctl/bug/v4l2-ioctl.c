/*
 * Source: upstream "media: v4l2-ioctl.c: fix missing unlock in
 * __video_do_ioctl()" (2018, after the request API added
 * req_queue_mutex). Rebuilt: STREAMON/STREAMOFF take the request queue
 * mutex first; when taking the ioctl lock is then interrupted, the
 * function returns without releasing the request queue mutex.
 * Cause 8: the function forks on many flags that never touch either
 * lock (ioctl table checks, debug printing), which multiplies paths.
 */
struct mutex { int x; };
struct media_device { struct mutex req_queue_mutex; };
struct v4l2_device { struct media_device *mdev; };
struct v4l2_fh { int prio; void *ctrl_handler; };
struct video_device { struct v4l2_device *v4l2_dev; unsigned long flags; int dev_debug; int prio; unsigned long valid; const char *name; };
struct ioctl_info { int flags; long (*func)(void *fh, void *arg); void (*debug)(const void *arg, int write_only); };
struct file { void *private_data; struct video_device *vdev; };

int supports_requests(struct v4l2_device *d);
struct mutex *get_ioctl_lock(struct video_device *vfd, struct v4l2_fh *vfh, unsigned int cmd, void *arg);
int video_is_registered(struct video_device *vfd);
int known_ioctl(unsigned int cmd);
const struct ioctl_info *ioctl_info_of(unsigned int cmd);
int prio_check(int a, int b);
int test_bit(int nr, const unsigned long *addr);
void print_ioctl(const char *name, unsigned int cmd);
void pr_cont(const char *fmt, long ret);

long video_do_ioctl(struct file *file, unsigned int cmd, void *arg)
{
	struct video_device *vfd = file->vdev;
	struct mutex *req_queue_lock = 0;
	struct mutex *lock;
	const struct ioctl_info *info = 0;
	struct v4l2_fh *vfh = 0;
	int dev_debug = vfd->dev_debug;
	int write_only = 0;
	long ret = -25;

	if (test_bit(1, &vfd->flags))
		vfh = file->private_data;
	if (supports_requests(vfd->v4l2_dev) && (cmd == 18 || cmd == 19)) {
		req_queue_lock = &vfd->v4l2_dev->mdev->req_queue_mutex;
		if (mutex_lock_interruptible(req_queue_lock))
			return -512;
	}
	lock = get_ioctl_lock(vfd, vfh, cmd, arg);
	if (lock && mutex_lock_interruptible(lock))
		return -512; /* want "lockpair/unreleased: " */
	if (!video_is_registered(vfd)) {
		ret = -19;
		goto unlock;
	}
	if (known_ioctl(cmd)) {
		info = ioctl_info_of(cmd);
		if (!test_bit(cmd & 0xff, &vfd->valid) && !((info->flags & 2) && vfh && vfh->ctrl_handler))
			goto done;
		if (vfh && (info->flags & 1)) {
			ret = prio_check(vfd->prio, vfh->prio);
			if (ret)
				goto done;
		}
	}
	write_only = (cmd >> 30) == 1;
	if (info)
		ret = info->func(vfh, arg);
	else if (vfh)
		ret = prio_check(vfd->prio, vfh->prio) >= 0 ? -25 : -16;
done:
	if (dev_debug & 3) {
		if (!(dev_debug & 8) && (cmd == 15 || cmd == 17))
			goto unlock;
		print_ioctl(vfd->name, cmd);
		if (ret < 0)
			pr_cont(": error %ld", ret);
		if (!(dev_debug & 2))
			pr_cont("\n", 0);
		else if (info && (cmd >> 30) == 0)
			info->debug(arg, write_only);
		else if (info && write_only)
			pr_cont(" (write)", 0);
		if (dev_debug & 4)
			pr_cont(" (streaming)", 0);
		if (dev_debug & 16)
			pr_cont(" (poll)", 0);
		if (ret == -25)
			pr_cont(" (unknown)", 0);
		if (ret == -512)
			pr_cont(" (restart)", 0);
	}
unlock:
	if (lock)
		mutex_unlock(lock);
	if (req_queue_lock)
		mutex_unlock(req_queue_lock);
	return ret;
}
