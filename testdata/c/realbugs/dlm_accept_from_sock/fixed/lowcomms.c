/* Fixed twin of dlm_accept_from_sock/bug: unlock before the jump. */
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
			mutex_unlock(&newcon->sock_mutex);
			goto accept_err;
		}
		newcon->othercon = othercon;
	}
	add_sock(newcon);
	mutex_unlock(&newcon->sock_mutex);
	return 0;

accept_err:
	return result;
}
