/* An invented example for tagcheck's README: a per-task context pointer. */
#ifndef _LINUX_FS_CTX_H
#define _LINUX_FS_CTX_H

struct fs_ctx {
	atomic_t count;
	int id;
	struct list_head mounts;
};

static inline void ctx_put(struct fs_ctx *ctx)
{
	if (atomic_dec_and_test(&ctx->count))
		kfree(ctx);
}

#endif
