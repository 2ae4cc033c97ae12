struct mutex { int x; };
struct dev { int id; };
struct ctl { struct mutex mutex; struct dev *dev; int count; };

int add_function(struct dev *d, const char *name);
void ctl_sync(struct ctl *c);
void stats_update(int count);

/* Bug: the call between the two releases gets the device and a name,
 * neither of which leads to c->mutex: it cannot have retaken it. */
int ctl_add(struct ctl *c, const char *name)
{
	int ret;

	mutex_lock(&c->mutex);
	mutex_unlock(&c->mutex);
	ret = add_function(c->dev, name);
	stats_update(c->count);
	if (ret < 0)
		goto unlock;
	return 0;
unlock:
	mutex_unlock(&c->mutex); /* want "lockpair/unheld-release: mutex_unlock(&c->mutex) releases c->mutex, already released at line 16" */
	return ret;
}

/* Twin: the callee is handed the object that holds the mutex and may
 * take it again for its caller; no verdict. */
int ctl_add_sync(struct ctl *c, const char *name)
{
	int ret;

	mutex_lock(&c->mutex);
	mutex_unlock(&c->mutex);
	ret = add_function(c->dev, name);
	ctl_sync(c);
	if (ret < 0)
		goto unlock;
	return 0;
unlock:
	mutex_unlock(&c->mutex);
	return ret;
}
