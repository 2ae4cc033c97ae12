/*
 * Source: upstream "usbip: vudc: fix missing unlock on error in
 * usbip_sockfd_store()" (fixes bd8b82042269, "usbip: vudc synchronize
 * sysfs code paths"). Rebuilt: the thread creation that follows the
 * dropped spinlocks fails and returns with ud.sysfs_lock still held.
 * Cause: baseline (error path skips the release), in a function that
 * drops and retakes its spinlocks.
 */
struct spinlock { int x; };
struct mutex { int x; };
struct usbip_device { struct spinlock lock; struct mutex sysfs_lock; int status; };
struct vudc { struct spinlock lock; struct usbip_device ud; int connected; };
struct task;

struct task *kthread_create(int (*fn)(void *), void *data, const char *name);
void kthread_stop(struct task *t);
void wake_up_process(struct task *t);
int v_rx_loop(void *data);
int v_tx_loop(void *data);
int IS_ERR(const void *p);

int vudc_attach(struct vudc *udc)
{
	unsigned long flags;
	struct task *tcp_rx, *tcp_tx;
	int ret;

	mutex_lock(&udc->ud.sysfs_lock);
	spin_lock_irqsave(&udc->lock, flags);
	if (udc->connected) {
		ret = -16;
		goto unlock;
	}
	spin_lock(&udc->ud.lock);
	if (udc->ud.status != 1) {
		ret = -22;
		goto unlock_ud;
	}
	spin_unlock(&udc->ud.lock);
	spin_unlock_irqrestore(&udc->lock, flags);

	tcp_rx = kthread_create(v_rx_loop, &udc->ud, "vudc_rx");
	if (IS_ERR(tcp_rx))
		return -22; /* want "lockpair/unreleased: udc->ud.sysfs_lock acquired by" */
	tcp_tx = kthread_create(v_tx_loop, &udc->ud, "vudc_tx");
	if (IS_ERR(tcp_tx)) {
		kthread_stop(tcp_rx);
		return -22; /* want(check) "lockpair/unreleased: udc->ud.sysfs_lock, released by mutex_unlock(&udc->ud.sysfs_lock) after line 47 before this change" */
	}
	spin_lock_irqsave(&udc->lock, flags);
	spin_lock(&udc->ud.lock);
	udc->ud.status = 2;
	spin_unlock(&udc->ud.lock);
	udc->connected = 1;
	spin_unlock_irqrestore(&udc->lock, flags);
	wake_up_process(tcp_rx);
	wake_up_process(tcp_tx);
	mutex_unlock(&udc->ud.sysfs_lock);
	return 0;

unlock_ud:
	spin_unlock(&udc->ud.lock);
unlock:
	spin_unlock_irqrestore(&udc->lock, flags);
	mutex_unlock(&udc->ud.sysfs_lock);
	return ret;
}
