/* SYSCALL_DEFINE3, attribute macros and file-scope macros. */
static DEFINE_MUTEX(big_lock);
static DEFINE_SPINLOCK(small_lock);
LIST_HEAD(all_things);

struct thing {
	struct nsproxy __rcu *nsproxy;
	unsigned long flags;
	char name[16];
	struct {
		int a, *b;
	};
	int (*cb)(struct thing *);
} __randomize_layout;

static int __init __must_check setup_thing(struct thing *t) __acquires(big_lock)
{
	mutex_lock(&big_lock);
	return 0;
}

static noinline void __cold __printf(2, 3) note(struct thing *t, const char *fmt, ...)
{
}

SYSCALL_DEFINE3(thing, int, fd, const char __user *, name, unsigned long, flags)
{
	struct thing *t = lookup(fd);

	if (IS_ERR(t))
		return PTR_ERR(t);
	return 0;
}

SYSCALL_DEFINE0(nothing)
{
	return -ENOSYS;
}

asmlinkage __visible void notrace __weak arch_hook(void)
{
}
EXPORT_SYMBOL(arch_hook);
