/* tagcheck test case: invented code in the shape of a kernel driver. */
#include <linux/sched/task.h>

struct baz_ns {
	int refs;
	int level;
};

static struct baz_ns *baz_ns_of(struct task_struct *task)
{
	struct baz_ns *ns;

	task_lock(task);
	ns = task->baz_ns;
	if (!ns)
		return NULL; /* want "lockpair/unreleased: task->alloc_lock acquired by task_lock(task) at line 13 is still held when" */
	ns->refs++;
	ns->level = 1;
	ns->level++;
	ns->level--;
	task_unlock(task);
	return ns;
}
