struct mutex { int x; };
struct session { struct mutex s_mutex; int mds; };
struct client { int n; };

struct session *open_target(struct client *mdsc, int target);

/* Called with session->s_mutex held; drops it to open the target. */
int export_cap(struct client *mdsc, struct session *session, int target)
{
	struct session *ts;

	mutex_unlock(&session->s_mutex);
	ts = open_target(mdsc, target);
	mutex_lock(&session->s_mutex);
	if (!ts)
		return -12;
	return 0;
}
