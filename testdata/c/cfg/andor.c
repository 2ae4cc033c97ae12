/* && and || split into one test per edge. */
static int check(struct nsproxy *nsp, struct task_struct *task)
{
	if (!nsp || !nsp->mnt_ns) {
		task_unlock(task);
		return -EINVAL;
	}
	if (a(task) && b(task) && c(task))
		return 1;
	if (!(x(task) && y(task)))
		return 2;
	while (p(task) || q(task))
		step(task);
	return task->flags & PF_EXITING ? 3 : 4;
}
