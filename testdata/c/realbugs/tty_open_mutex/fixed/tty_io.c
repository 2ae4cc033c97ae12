/* Fixed twin of tty_open_mutex/bug (808ffa3d3022): unlock before the error return. */
struct mutex { int x; };
struct tty { int count; };
static struct mutex tty_mutex;

struct tty *tty_lookup(int index);
int tty_reopen(struct tty *tty);
int IS_ERR(const void *p);
long PTR_ERR(const void *p);

int tty_open_one(int index)
{
	struct tty *tty;
	int ret;

	mutex_lock(&tty_mutex);
	tty = tty_lookup(index);
	if (IS_ERR(tty)) {
		mutex_unlock(&tty_mutex);
		return PTR_ERR(tty);
	}
	ret = tty_reopen(tty);
	mutex_unlock(&tty_mutex);
	return ret;
}
