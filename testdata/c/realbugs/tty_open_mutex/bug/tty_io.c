/*
 * Source: upstream commit 808ffa3d3022 "tty_open can return to userspace
 * holding tty_mutex". Rebuilt: the lookup of an existing tty fails and
 * the function returns the error with tty_mutex still held.
 * Cause: none of the eight (an error path that forgets the
 * release); kept as the baseline every other case builds on.
 */
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
	if (IS_ERR(tty))
		return PTR_ERR(tty); /* want "lockpair/unreleased: tty_mutex acquired by mutex_lock(&tty_mutex) at line 22" */
	ret = tty_reopen(tty);
	mutex_unlock(&tty_mutex);
	return ret;
}
