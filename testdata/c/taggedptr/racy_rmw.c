/* Tag set with a plain read outside the exchange (racy) vs a try_cmpxchg
 * loop and an atomic bit op. All on current, so no write is foreign. */
#define NS_TAG 1UL

struct nsproxy { int count; };
struct task_struct { struct nsproxy *nsproxy; };

static void tag_racy(void)
{
	(void)xchg(&current->nsproxy, /* want "taggedptr/racy-rmw: xchg() sets NS_TAG in current->nsproxy with a value computed from a separate plain read of current->nsproxy" */
		   (struct nsproxy *)((unsigned long)current->nsproxy | NS_TAG));
}

static void untag_racy(void)
{
	struct task_struct *me = current;

	me->nsproxy = (struct nsproxy *)((unsigned long)me->nsproxy & ~NS_TAG); /* want "taggedptr/racy-rmw: the plain store clears NS_TAG in me->nsproxy" */
}

static void tag_loop(void)
{
	struct nsproxy *old = READ_ONCE(current->nsproxy);
	struct nsproxy *new;

	do {
		new = (struct nsproxy *)((unsigned long)old | NS_TAG);
	} while (!try_cmpxchg(&current->nsproxy, &old, new));
}

static void tag_bitop(void)
{
	set_bit(0, (unsigned long *)&current->nsproxy);
}
