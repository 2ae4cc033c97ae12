/*
 * Source: upstream "usb: gadget: f_fs: Fix unbalanced spinlock in
 * __ffs_ep0_queue_wait" (in 6.1.y). Rebuilt: the ep0 queue-and-wait
 * helper is entered with the event queue's lock held and is annotated
 * __releases of it; every exit drops it but the one for a missing
 * request, which returns -EINVAL with the lock still held.
 * Cause 5: the exits alone read as a helper that may drop its caller's
 * lock (dropped on some exits, kept on one); the __releases annotation
 * says it drops it on every exit, so the kept exit is a leak.
 */
#define __releases(x) __attribute__((context(x, 1, 0)))

struct spinlock { int raw; };
struct waitq { struct spinlock lock; };
struct mutex { int owner; };
struct completion { int done; };
struct request { void *buf; unsigned int length; int zero; int status; unsigned int actual; };
struct setup { unsigned short length; };
struct events { struct waitq waitq; struct setup setup; };
struct endpoint;
struct gadget { struct endpoint *ep0; };

struct fdata {
	struct mutex mutex;
	struct events ev;
	struct request *ep0req;
	struct completion ep0done;
	struct gadget *gadget;
	int setup_state;
	int state;
};

int ep_queue(struct endpoint *ep, struct request *req);
void ep_dequeue(struct endpoint *ep, struct request *req);
void completion_reset(struct completion *c);
int completion_wait(struct completion *c);
int pending_setup(struct fdata *fd);
void *copy_in(const char *ubuf, unsigned long len);
void mem_free(void *p);

/* Queue a control transfer on ep0 and wait for it. The caller holds the
 * event queue's lock; this function drops it, as its annotation says. */
static int ep0_queue_wait(struct fdata *fd, char *data, unsigned long len)
	__releases(&fd->ev.waitq.lock)
{
	struct request *req = fd->ep0req;
	int ret;

	if (!req)
		return -22; /* want "lockpair/unreleased: fd->ev.waitq.lock" */

	req->zero = len < fd->ev.setup.length;

	spin_unlock_irq(&fd->ev.waitq.lock);

	req->buf = data ? data : (void *)0xDEADBABE;
	req->length = len;

	completion_reset(&fd->ep0done);

	ret = ep_queue(fd->gadget->ep0, req);
	if (ret < 0)
		return ret;

	ret = completion_wait(&fd->ep0done);
	if (ret) {
		ep_dequeue(fd->gadget->ep0, req);
		return -4;
	}

	fd->setup_state = 0;
	return req->status ? req->status : req->actual;
}

long ep0_write(struct fdata *fd, const char *ubuf, unsigned long len)
{
	void *data;
	long ret;

	mutex_lock(&fd->mutex);
	spin_lock_irq(&fd->ev.waitq.lock);
	if (!pending_setup(fd)) {
		spin_unlock_irq(&fd->ev.waitq.lock);
		ret = -43;
		goto out;
	}
	spin_unlock_irq(&fd->ev.waitq.lock);

	data = copy_in(ubuf, len);
	if (!data) {
		ret = -12;
		goto out;
	}

	spin_lock_irq(&fd->ev.waitq.lock);
	if (fd->state != 2) {
		spin_unlock_irq(&fd->ev.waitq.lock);
		ret = -77;
	} else {
		ret = ep0_queue_wait(fd, data, len);
	}
	mem_free(data);
out:
	mutex_unlock(&fd->mutex);
	return ret;
}
