struct mutex { int x; };
struct tree { struct mutex lock; int depth; };
struct finder { struct tree *tree; void *key; };
struct sb { struct tree *cat; };

int find_init(struct tree *tree, struct finder *fd);
void find_exit(struct finder *fd);
int find_rec(struct finder *fd, int id);

int lookup(struct sb *sb, int id)
{
	struct finder fd;
	int err;

	err = find_init(sb->cat, &fd);
	if (err)
		return err;
	err = find_rec(&fd, id);
	if (err) {
		find_exit(&fd);
		return err;
	}
	find_exit(&fd);
	return 0;
}
