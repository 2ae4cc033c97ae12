/* v = X->f then v->g (finding, reported at the read) vs v only tested,
 * v overwritten with the accessor before use, and a path that keeps it. */
#define NS_TAG 1UL

struct uts_namespace { int name; };
struct nsproxy { int count; struct uts_namespace *uts_ns; };
struct task_struct { struct nsproxy *nsproxy; };

static void set_tag(void)
{
	struct nsproxy *old = READ_ONCE(current->nsproxy);

	cmpxchg(&current->nsproxy, old, (struct nsproxy *)((unsigned long)old | NS_TAG));
}

static inline struct nsproxy *ns_of(struct task_struct *tsk)
{
	struct nsproxy *ns = READ_ONCE(tsk->nsproxy);

	return (struct nsproxy *)((unsigned long)ns & ~NS_TAG);
}

int stored_then_deref(struct task_struct *tsk)
{
	struct nsproxy *ns;
	int v = 0;

	ns = tsk->nsproxy; /* want "taggedptr/untagged-deref: tsk->nsproxy reads task_struct.nsproxy raw into ns" */
	if (ns)
		v = ns->uts_ns->name;
	return v;
}

int only_tested(struct task_struct *tsk)
{
	struct nsproxy *ns = tsk->nsproxy;

	if (!ns)
		return 0;
	return 1;
}

int overwritten(struct task_struct *tsk)
{
	struct nsproxy *ns = tsk->nsproxy;

	ns = ns_of(tsk);
	return ns->uts_ns->name;
}

int one_path_keeps_it(struct task_struct *tsk, int fast)
{
	struct nsproxy *ns = tsk->nsproxy; /* want "taggedptr/untagged-deref: tsk->nsproxy reads task_struct.nsproxy raw into ns, without clearing its tag bits (NS_TAG, set by set_tag), and ns->count dereferences it" */

	if (fast)
		ns = ns_of(tsk);
	return ns->count;
}
