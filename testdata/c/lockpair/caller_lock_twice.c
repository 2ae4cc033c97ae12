struct mutex { int x; };
struct session { struct mutex s_mutex; int mds; };
struct client { int n; };

struct session *open_target(struct client *mdsc, int target);
int lookup(int mds);
void session_kick(struct session *s);

/* Bug: the caller's s_mutex is dropped to open a session, and the
 * failure path drops it again; open_target() gets the client and a
 * number, nothing that leads to s_mutex. */
int export_cap(struct client *mdsc, struct session *session, int target)
{
	struct session *ts;

	if (lookup(session->mds) < 0)
		return -2;
	mutex_unlock(&session->s_mutex);
	ts = open_target(mdsc, target);
	if (!ts) {
		mutex_unlock(&session->s_mutex); /* want "lockpair/unheld-release: mutex_unlock(&session->s_mutex) releases session->s_mutex, already released at line 18 on this path" */
		return -12;
	}
	mutex_lock(&session->s_mutex);
	return 0;
}

/* Twin: retaken before the second release. */
int export_cap_retake(struct client *mdsc, struct session *session, int target)
{
	struct session *ts;

	mutex_unlock(&session->s_mutex);
	ts = open_target(mdsc, target);
	mutex_lock(&session->s_mutex);
	if (!ts) {
		mutex_unlock(&session->s_mutex);
		return -12;
	}
	return 0;
}

/* Twin: the call between is handed the session and may retake it. */
int export_cap_kick(struct client *mdsc, struct session *session, int target)
{
	mutex_unlock(&session->s_mutex);
	session_kick(session);
	if (target < 0) {
		mutex_unlock(&session->s_mutex);
		return -12;
	}
	return 0;
}
