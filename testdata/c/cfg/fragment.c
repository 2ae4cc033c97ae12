/* A patch fragment: unseen lines and a goto to a label not shown. */
static int frag(struct task_struct *task)
{
	struct nsproxy *nsp;

	set_reader_nsproxy(task);
	nsp = task_nsproxy(task);
	if (!nsp) {
		clear_reader_nsproxy(task);
		goto err_put;
	}
	__tagcheck_unseen();
	clear_reader_nsproxy(task);
	return 0;
}
