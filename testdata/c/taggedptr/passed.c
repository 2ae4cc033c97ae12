/* The raw word passed to a function whose body dereferences it, or to an
 * unknown function (findings), vs the accessor's result passed on and a
 * callee in view that only compares. */
#define NS_TAG 1UL

struct nsproxy { int count; };
struct task_struct { struct nsproxy *nsproxy; };

void stash(struct nsproxy *ns);

static void set_tag(void)
{
	struct nsproxy *old = READ_ONCE(current->nsproxy);

	cmpxchg(&current->nsproxy, old, (struct nsproxy *)((unsigned long)old | NS_TAG));
}

static inline struct nsproxy *ns_of(struct task_struct *tsk)
{
	return (struct nsproxy *)((unsigned long)READ_ONCE(tsk->nsproxy) & ~NS_TAG);
}

static void drop_ns(struct nsproxy *ns)
{
	if (--ns->count == 0)
		stash(ns);
}

static int same_ns(struct nsproxy *a, struct nsproxy *b)
{
	return a == b;
}

void drop_raw(struct task_struct *tsk)
{
	drop_ns(tsk->nsproxy); /* want "taggedptr/untagged-deref: tsk->nsproxy reads task_struct.nsproxy raw, without clearing its tag bits (NS_TAG, set by set_tag), and tsk->nsproxy is passed unmasked to drop_ns(), which dereferences it" */
}

void drop_ok(struct task_struct *tsk)
{
	drop_ns(ns_of(tsk));
}

void stash_raw(struct task_struct *tsk)
{
	stash(tsk->nsproxy); /* want "taggedptr/untagged-deref: tsk->nsproxy reads task_struct.nsproxy raw, without clearing its tag bits (NS_TAG, set by set_tag), and tsk->nsproxy is passed on unmasked to stash()" */
}

int compare_ok(struct task_struct *tsk, struct nsproxy *ns)
{
	return same_ns(tsk->nsproxy, ns);
}

void put_raw(struct task_struct *p)
{
	struct nsproxy *old = p->nsproxy; /* want "taggedptr/untagged-deref: p->nsproxy reads task_struct.nsproxy raw into old, without clearing its tag bits (NS_TAG, set by set_tag), and old is passed unmasked to put_nsproxy(), which dereferences it" */

	if (old)
		put_nsproxy(old);
}
