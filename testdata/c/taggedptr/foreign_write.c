/* Tag bits written into another task's pointer (foreign) vs into
 * current's own (owned). */
#define NS_TAG 1UL

struct nsproxy { int count; };
struct task_struct { struct nsproxy *nsproxy; };

static void mark_task(struct task_struct *tsk)
{
	struct nsproxy *old = READ_ONCE(tsk->nsproxy);

	cmpxchg(&tsk->nsproxy, old, (struct nsproxy *)((unsigned long)old | NS_TAG)); /* want "taggedptr/foreign-write: cmpxchg() sets tag bits (NS_TAG) in tsk->nsproxy of a task_struct that is not current" */
}

static void mark_self(struct task_struct *tsk)
{
	struct nsproxy *old = READ_ONCE(tsk->nsproxy);

	cmpxchg(&tsk->nsproxy, old, (struct nsproxy *)((unsigned long)old | NS_TAG));
}

void peek(struct task_struct *task)
{
	mark_task(task);
}

void own(void)
{
	struct task_struct *me = current;

	mark_task(current);
	mark_self(me);
	mark_self(current);
}

void own_direct(void)
{
	struct nsproxy *old = READ_ONCE(current->nsproxy);

	cmpxchg(&current->nsproxy, old, (struct nsproxy *)((unsigned long)old & ~NS_TAG));
}
