/* struct nsset has an nsproxy field too; it is not tagged. An expression
 * whose type is not in view is not reported either. */
#define NS_TAG 1UL

struct uts_namespace { int name; };
struct nsproxy { int count; struct uts_namespace *uts_ns; };
struct task_struct { struct nsproxy *nsproxy; };
struct nsset { unsigned flags; struct nsproxy *nsproxy; };

static void set_tag(void)
{
	struct nsproxy *old = READ_ONCE(current->nsproxy);

	cmpxchg(&current->nsproxy, old, (struct nsproxy *)((unsigned long)old | NS_TAG));
}

int nsset_uts(struct nsset *nsset)
{
	struct nsproxy *nsproxy = nsset->nsproxy;

	put_nsproxy(nsset->nsproxy);
	return nsproxy->uts_ns->name + nsset->nsproxy->count;
}

int unknown_type(void)
{
	return some_global->nsproxy->count;
}
