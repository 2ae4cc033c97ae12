struct mutex { int x; };
struct dev { int id; };
struct ctl { struct mutex mutex; struct dev *dev; };

int add_function(struct dev *d, const char *name);

int ctl_add(struct ctl *c, const char *name)
{
	int ret;

	mutex_lock(&c->mutex);
	mutex_unlock(&c->mutex);
	ret = add_function(c->dev, name);
	if (ret < 0)
		return ret;
	return 0;
}
