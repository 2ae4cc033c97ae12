/* A patch checked against its pre-image: the text of the whole function,
 * with each release the patch deletes written where it stood, renamed
 * (flow.RemovedRelease), as patch.PostImage.Units writes it. */
struct mutex { int x; };
struct task { int id; };
struct ud { struct mutex sysfs_lock; int status; };
struct udc { struct ud ud; int connected; };

struct task *kthread_create(int (*fn)(void *), void *data, const char *name);
int IS_ERR(const void *p);
int rx_loop(void *data);
int valid(int mode);
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);

/* Bug: the patch deletes the unlock of an error return. The lock is held
 * there, so the call handed its object before (which, read alone, may
 * have dropped it) did not: the deleted release says so. */
int udc_attach(struct udc *udc)
{
	struct task *rx;

	mutex_lock(&udc->ud.sysfs_lock);
	rx = kthread_create(rx_loop, &udc->ud, "rx");
	if (IS_ERR(rx)) {
		udc->connected = 0; __tagcheck_removed__mutex_unlock(&udc->ud.sysfs_lock);
		return -22; /* want "lockpair/unreleased: udc->ud.sysfs_lock, released by mutex_unlock(&udc->ud.sysfs_lock) after line 26 before this change, is still held when udc_attach returns" */
	}
	udc->connected = 1;
	mutex_unlock(&udc->ud.sysfs_lock);
	return 0;
}

/* Twin: the lock is now taken after the check (the acquire moved in a
 * rewrite, so no deleted acquire says so): the whole function shows the
 * path does not hold it where the release stood. */
int udc_set(struct udc *udc, int mode)
{
	if (!valid(mode)) {
		udc->connected = 0; __tagcheck_removed__mutex_unlock(&udc->ud.sysfs_lock);
		return -22;
	}
	mutex_lock(&udc->ud.sysfs_lock);
	udc->ud.status = mode;
	mutex_unlock(&udc->ud.sysfs_lock);
	return 0;
}

/* Twin: the patch deletes the acquire too (the locking moved below). */
int udc_reset(struct udc *udc, int mode)
{
	__tagcheck_removed__mutex_lock(&udc->ud.sysfs_lock);
	if (!valid(mode)) {
		udc->connected = 0; __tagcheck_removed__mutex_unlock(&udc->ud.sysfs_lock);
		return -22;
	}
	mutex_lock(&udc->ud.sysfs_lock);
	udc->ud.status = 0;
	mutex_unlock(&udc->ud.sysfs_lock);
	return 0;
}
