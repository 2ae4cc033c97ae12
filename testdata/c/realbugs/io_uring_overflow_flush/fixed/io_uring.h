/*
 * Fixed twin of io_uring_overflow_flush/bug: the ring's header, as there.
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
