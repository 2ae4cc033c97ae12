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
	if (!ts) {
		mutex_unlock(&session->s_mutex); /* want "lockpair/unheld-release: mutex_unlock(&session->s_mutex) releases session->s_mutex, already released at line 12" */
		return -12;
	}
	mutex_lock(&session->s_mutex);
	return 0;
}
