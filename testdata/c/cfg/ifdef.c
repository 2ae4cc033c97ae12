/* #ifdef inside a body with unbalanced braces: the first branch is kept. */
int cfg(struct foo *f)
{
	int r = 0;

#ifdef CONFIG_FOO
	if (f->a) {
		r = 1;
#else
	if (f->b) {
		r = 2;
#endif
		f->c = r;
	}
#if 0
	this is not C at all {
#endif
#ifndef CONFIG_BAR
	r++;
#elif defined(CONFIG_BAZ)
	r--;
#endif
	return r;
}

#ifdef CONFIG_FOO
int stub(void) { return 1; }
#else
int stub(void) { return 0; }
#endif

#ifdef CONFIG_X
static int proto(int a)
#else
static int proto(void)
#endif
{
	return 0;
}
