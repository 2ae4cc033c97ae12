/* An invented example for tagcheck's README: /proc readers of a task's context. */
#include <linux/fs_ctx.h>

static int ctx_show(struct seq_file *m, struct task_struct *task)
{
	struct fs_ctx *ctx;
	int ret = 0;

	task_lock(task);
	ctx = task->fs_ctx;
	if (!ctx) {
		task_unlock(task);
		return -ENOENT;
	}
	seq_printf(m, "%d\n", ctx->id);
	task_unlock(task);
	return ret;
}

void ctx_switch(struct task_struct *p, struct fs_ctx *new)
{
	struct fs_ctx *old;

	task_lock(p);
	old = p->fs_ctx;
	p->fs_ctx = new;
	task_unlock(p);
	if (old)
		ctx_put(old);
}

int ctx_id_of_current(void)
{
	return current->fs_ctx->id;
}
