/*
 * Fixed twin of io_uring_overflow_flush/bug: io_cqring_overflow_flush
 * takes ctx->uring_lock on every ring, not only on IOPOLL ones, before
 * the flush that drops and retakes it.
 */
#include "io_uring.h"

void io_cq_unlock_post(struct ring_ctx *ctx)
{
	commit_cqring(ctx);
	spin_unlock(&ctx->completion_lock);
	cqring_ev_posted(ctx);
}

/* Moves overflowed completions into the ring; true when none is left. */
static int __io_cqring_overflow_flush(struct ring_ctx *ctx, int force)
{
	int all_flushed;

	if (!force && cq_ring_full(ctx))
		return 0;

	io_cq_lock(ctx);
	while (!list_empty(&ctx->cq_overflow_list)) {
		if (!post_one_overflow(ctx) && !force)
			break;
		if (need_resched()) {
			io_cq_unlock_post(ctx);
			mutex_unlock(&ctx->uring_lock);
			cond_resched();
			mutex_lock(&ctx->uring_lock);
			io_cq_lock(ctx);
		}
	}
	all_flushed = list_empty(&ctx->cq_overflow_list);
	if (all_flushed)
		clear_bit(CQ_OVERFLOW_BIT, &ctx->check_cq);
	io_cq_unlock_post(ctx);
	return all_flushed;
}

static int io_cqring_overflow_flush(struct ring_ctx *ctx)
{
	int ret = 1;

	if (test_bit(CQ_OVERFLOW_BIT, &ctx->check_cq)) {
		mutex_lock(&ctx->uring_lock);
		ret = __io_cqring_overflow_flush(ctx, 0);
		mutex_unlock(&ctx->uring_lock);
	}
	return ret;
}

/* Called with ctx->uring_lock held. */
static int io_iopoll_check(struct ring_ctx *ctx, long min)
{
	int found = 0;

	while (found < min) {
		if (test_bit(CQ_OVERFLOW_BIT, &ctx->check_cq))
			__io_cqring_overflow_flush(ctx, 0);
		found += reap_polled(ctx);
		if (need_resched())
			break;
	}
	return found;
}

static int io_cqring_wait(struct ring_ctx *ctx, int min_events)
{
	int ret;

	do {
		ret = run_task_work(ctx);
		if (ret < 0)
			return ret;
		io_cqring_overflow_flush(ctx);
		if (cq_events(ctx) >= min_events)
			return 0;
	} while (ret > 0);

	return wait_for_cqes(ctx, min_events);
}

SYSCALL_DEFINE2(io_uring_enter, struct ring_ctx *, ctx, int, min_complete)
{
	int ret;

	if (ctx->syscall_iopoll) {
		mutex_lock(&ctx->uring_lock);
		ret = io_iopoll_check(ctx, min_complete);
		mutex_unlock(&ctx->uring_lock);
	} else {
		ret = io_cqring_wait(ctx, min_complete);
	}
	return ret;
}

void io_ring_ctx_wait_and_kill(struct ring_ctx *ctx)
{
	mutex_lock(&ctx->uring_lock);
	if (ring_mapped(ctx))
		__io_cqring_overflow_flush(ctx, 1);
	remove_all_polls(ctx);
	mutex_unlock(&ctx->uring_lock);
}
