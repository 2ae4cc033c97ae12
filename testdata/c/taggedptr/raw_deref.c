/* X->f->g on a tagged field (finding) vs the accessor (none). */
#define NS_TAG 1UL

struct uts_namespace { int name; };
struct net { int ifindex; };
struct nsproxy { int count; struct uts_namespace *uts_ns; struct net *net_ns; };
struct task_struct { struct nsproxy *nsproxy; };

static void set_tag(void)
{
	struct nsproxy *old = READ_ONCE(current->nsproxy);

	cmpxchg(&current->nsproxy, old, (struct nsproxy *)((unsigned long)old | NS_TAG));
}

static inline struct nsproxy *ns_of(struct task_struct *tsk)
{
	return (struct nsproxy *)((unsigned long)READ_ONCE(tsk->nsproxy) & ~NS_TAG);
}

int uts_raw(struct task_struct *tsk)
{
	return tsk->nsproxy->uts_ns->name; /* want "taggedptr/untagged-deref: tsk->nsproxy reads task_struct.nsproxy raw" */
}

int uts_ok(struct task_struct *tsk)
{
	return ns_of(tsk)->uts_ns->name;
}

int net_rcu(struct task_struct *tsk)
{
	return rcu_dereference(tsk->nsproxy)->net_ns->ifindex; /* want "taggedptr/untagged-deref: rcu_dereference(tsk->nsproxy) reads task_struct.nsproxy raw" */
}

int count_star(void)
{
	return (*current->nsproxy).count; /* want "taggedptr/untagged-deref: current->nsproxy reads task_struct.nsproxy raw" */
}

int null_test(struct task_struct *tsk)
{
	if (tsk->nsproxy)
		return 1;
	return tsk->nsproxy == ns_of(tsk);
}

void store_into(struct task_struct *tsk, struct nsproxy *new)
{
	struct nsproxy *cur = ns_of(tsk);

	tsk->nsproxy = new;
	cmpxchg(&tsk->nsproxy, cur, new);
}
