struct dev { int id; };

int add_function(struct dev *d, const char *name)
{
	return d->id ? 0 : -22;
}
