/* Fixed twin of fgraph_register/bug: unlock before the error return. */
struct mutex { int x; };
struct fgraph_ops { int idx; };
static struct mutex ftrace_lock;
static int fgraph_initialized;

int cpuhp_setup_state(int state, const char *name, int (*up)(unsigned int), int (*down)(unsigned int));
int fgraph_cpu_init(unsigned int cpu);
void pr_warn(const char *fmt);
int ftrace_graph_start(struct fgraph_ops *gops);

int register_graph(struct fgraph_ops *gops)
{
	int ret = 0;

	mutex_lock(&ftrace_lock);
	if (!fgraph_initialized) {
		ret = cpuhp_setup_state(0, "fgraph_idle_init", fgraph_cpu_init, 0);
		if (ret < 0) {
			pr_warn("fgraph: Error to init cpu hotplug support\n");
			mutex_unlock(&ftrace_lock);
			return ret;
		}
		fgraph_initialized = 1;
		ret = 0;
	}
	ret = ftrace_graph_start(gops);
	mutex_unlock(&ftrace_lock);
	return ret;
}
