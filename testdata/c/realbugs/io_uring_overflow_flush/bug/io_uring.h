/*
 * Source: "io_uring: always lock __io_cqring_overflow_flush" (upstream
 * 8d09a88ef9d3; its 6.1.y backport is in 6.1.116, Debian #1087602), the
 * fix of a hang reported on io-uring@vger.kernel.org ("PROBLEM: io_uring
 * hang causing uninterruptible sleep state on 6.6.59", Nov 2024).
 * Rebuilt: the ring's header, with the completion lock helper.
 */
struct mutex { int owner; };
struct spinlock { int raw; };
struct list_head { struct list_head *next, *prev; };

struct ring_ctx {
	struct mutex uring_lock;
	struct spinlock completion_lock;
	unsigned int flags;
	int syscall_iopoll;
	unsigned long check_cq;
	struct list_head cq_overflow_list;
};

#define SETUP_IOPOLL 1
#define CQ_OVERFLOW_BIT 0

static inline void io_cq_lock(struct ring_ctx *ctx)
{
	spin_lock(&ctx->completion_lock);
}

void io_cq_unlock_post(struct ring_ctx *ctx);
