/*
 * Source: upstream "fs: dlm: fix missing unlock on error in
 * accept_from_sock()" (fixes 6cde210a9758). Rebuilt: the other-connection
 * set-up fails after the new connection's sock_mutex was taken, and the
 * error path jumps past its unlock.
 * Cause: baseline (error path skips the release).
 */
struct mutex { int x; };
struct connection { struct mutex sock_mutex; struct connection *othercon; int nodeid; };

struct connection *nodeid2con(int nodeid);
void *kzalloc(unsigned long size, int flags);
void kfree(const void *p);
int dlm_con_init(struct connection *con, int nodeid);
void add_sock(struct connection *con);

int accept_one(int nodeid)
{
	struct connection *newcon, *othercon;
	int result;

	newcon = nodeid2con(nodeid);
	if (!newcon)
		return -12;
	mutex_lock(&newcon->sock_mutex);
	if (newcon->othercon == 0) {
		othercon = kzalloc(sizeof(*othercon), 0);
		if (!othercon) {
			mutex_unlock(&newcon->sock_mutex);
			result = -12;
			goto accept_err;
		}
		result = dlm_con_init(othercon, nodeid);
		if (result < 0) {
			kfree(othercon);
			goto accept_err;
		}
		newcon->othercon = othercon;
	}
	add_sock(newcon);
	mutex_unlock(&newcon->sock_mutex);
	return 0;

accept_err:
	return result; /* want "lockpair/unreleased: newcon->sock_mutex" */
}
