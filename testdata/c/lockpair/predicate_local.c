struct sock { int mtu; int filter; };

/* A predicate of its argument: true for the two filter options only. */
static bool opt_needs_rtnl(int optname)
{
	switch (optname) {
	case OPT_MSFILTER:
	case OPT_MCAST_MSFILTER:
		return true;
	}
	return false;
}

/* Correct: rtnl is taken only when needs_rtnl, which is false for
 * OPT_MTU, so the early return of that case holds nothing. */
static int get_opt(struct sock *sk, int optname)
{
	bool needs_rtnl = opt_needs_rtnl(optname);
	int val;

	if (needs_rtnl)
		rtnl_lock();
	switch (optname) {
	case OPT_MTU:
		val = sk->mtu;
		if (!val)
			return -ENOTCONN;
		break;
	case OPT_MSFILTER:
	case OPT_MCAST_MSFILTER:
		val = sk->filter;
		break;
	default:
		return -ENOPROTOOPT; /* every option needing rtnl has its case */
	}
	if (needs_rtnl)
		rtnl_unlock();
	return val;
}

/* Bug: an option that needs rtnl has no case, and its default returns. */
static int get_msfilter(struct sock *sk, int optname)
{
	bool needs_rtnl = opt_needs_rtnl(optname);

	if (needs_rtnl)
		rtnl_lock();
	switch (optname) {
	case OPT_MSFILTER:
		break;
	default:
		return -ENOPROTOOPT; /* want "lockpair/unreleased: rtnl_mutex acquired by rtnl_lock() at line 47 is still held when get_msfilter returns" */
	}
	if (needs_rtnl)
		rtnl_unlock();
	return sk->filter;
}

/* Bug: the early return is for an option the predicate is true for. */
static int get_filter(struct sock *sk, int optname)
{
	bool needs_rtnl = opt_needs_rtnl(optname);

	if (needs_rtnl)
		rtnl_lock();
	if (optname == OPT_MCAST_MSFILTER && !sk->filter)
		return -EINVAL; /* want "lockpair/unreleased: rtnl_mutex acquired by rtnl_lock() at line 65 is still held when get_filter returns" */
	if (needs_rtnl)
		rtnl_unlock();
	return sk->filter;
}

/* Bug: the argument changes after the predicate was asked, so the case
 * says nothing of needs_rtnl. */
static int get_mapped(struct sock *sk, int optname)
{
	bool needs_rtnl = opt_needs_rtnl(optname);

	if (needs_rtnl)
		rtnl_lock();
	optname = map_opt(optname);
	switch (optname) {
	case OPT_MTU:
		if (!sk->mtu)
			return -ENOTCONN; /* want "lockpair/unreleased: rtnl_mutex acquired by rtnl_lock() at line 80 is still held when get_mapped returns" */
		break;
	}
	if (needs_rtnl)
		rtnl_unlock();
	return 0;
}
