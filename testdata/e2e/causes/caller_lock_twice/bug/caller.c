struct mutex { int x; };
struct session { struct mutex s_mutex; int mds; };
struct client { int n; };

int export_cap(struct client *mdsc, struct session *session, int target);

int handle_caps(struct client *mdsc, struct session *session, int target)
{
	int ret;

	mutex_lock(&session->s_mutex);
	ret = export_cap(mdsc, session, target);
	mutex_unlock(&session->s_mutex);
	return ret;
}
