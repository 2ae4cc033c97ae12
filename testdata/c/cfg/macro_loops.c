/* Iterator macros used as loops. */
void walk(struct list_head *head, struct hlist_head *hh)
{
	struct item *pos;
	int cpu;

	list_for_each_entry(pos, head, list) {
		if (pos->skip)
			continue;
		if (pos->last)
			break;
		use(pos);
	}
	for_each_possible_cpu(cpu)
		per_cpu_work(cpu);
	rcu_read_lock();
	hlist_for_each_entry_rcu(pos, hh, node)
		if (pos->key == 1)
			found(pos);
	rcu_read_unlock();
	idr_for_each(&idr, callback, NULL);
}
