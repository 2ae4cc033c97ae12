struct mutex { int x; };
struct tree { struct mutex lock; int depth; };
struct finder { struct tree *tree; void *key; };

void *kmalloc(unsigned long n, int gfp);
void kfree(const void *p);

int find_init(struct tree *tree, struct finder *fd)
{
	fd->key = kmalloc(16, 0);
	if (!fd->key)
		return -12;
	fd->tree = tree;
	mutex_lock(&tree->lock);
	return 0;
}

void find_exit(struct finder *fd)
{
	kfree(fd->key);
	mutex_unlock(&fd->tree->lock);
}
