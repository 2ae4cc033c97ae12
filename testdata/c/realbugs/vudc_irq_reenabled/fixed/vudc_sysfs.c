/* Fixed twin of vudc_irq_reenabled/bug (62e4efe3375e): plain spin_lock/spin_unlock inside the irqsave section. */
struct spinlock { int x; };
struct usbip_device { struct spinlock lock; int status; void *tcp_socket; };
struct vudc { struct spinlock lock; struct usbip_device ud; int connected; int driver; };

void *sockfd_lookup(int fd, int *err);
void v_start_timer(struct vudc *udc);

int vudc_sockfd_store(struct vudc *udc, int sockfd)
{
	unsigned long flags;
	void *socket;
	int err, ret;

	spin_lock_irqsave(&udc->lock, flags);
	if (!udc->driver) {
		ret = -19;
		goto unlock;
	}
	if (udc->connected) {
		ret = -16;
		goto unlock;
	}
	spin_lock(&udc->ud.lock);
	if (udc->ud.status != 1) {
		ret = -22;
		goto unlock_ud;
	}
	socket = sockfd_lookup(sockfd, &err);
	if (!socket) {
		ret = -22;
		goto unlock_ud;
	}
	udc->ud.tcp_socket = socket;
	udc->ud.status = 2;
	spin_unlock(&udc->ud.lock);
	v_start_timer(udc);
	udc->connected = 1;
	spin_unlock_irqrestore(&udc->lock, flags);
	return 0;

unlock_ud:
	spin_unlock(&udc->ud.lock);
unlock:
	spin_unlock_irqrestore(&udc->lock, flags);
	return ret;
}
