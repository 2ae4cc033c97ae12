/* Reads guarded by a test of the tag bit: on the side where the bit is
 * clear the value is an address and may be followed (no finding); on the
 * side where it is set, or after the branches meet again, it may not. */
#define REAL_FOPS 1UL
#define DESC_BIT 1UL

struct fsdata { int users; };
struct dentry { void *d_fsdata; };
struct head { unsigned long val; };

void drop_spte(unsigned long *sptep);
void kfree(const void *p);

static void set_real_fops(struct dentry *d, const void *fops)
{
	d->d_fsdata = (void *)((unsigned long)fops | REAL_FOPS);
}

static void add_desc(struct head *h, unsigned long *spte)
{
	h->val = (unsigned long)spte | DESC_BIT;
}

void release_ok(struct dentry *d)
{
	struct fsdata *fsd = d->d_fsdata;

	if ((unsigned long)fsd & REAL_FOPS)
		return;
	kfree(fsd);
}

void release_bad(struct dentry *d)
{
	struct fsdata *fsd = d->d_fsdata; /* want "taggedptr/untagged-deref: d->d_fsdata reads dentry.d_fsdata raw into fsd" */

	if ((unsigned long)fsd & REAL_FOPS)
		kfree(fsd);
}

int users_after_join(struct dentry *d)
{
	struct fsdata *fsd = d->d_fsdata; /* want "taggedptr/untagged-deref: d->d_fsdata reads dentry.d_fsdata raw into fsd" */

	if (!((unsigned long)fsd & REAL_FOPS))
		kfree(0);
	return fsd->users;
}

void zap_ok(struct head *h)
{
	if (!(h->val & DESC_BIT))
		drop_spte((unsigned long *)h->val);
}

void zap_bad(struct head *h)
{
	if (h->val & DESC_BIT)
		drop_spte((unsigned long *)h->val); /* want "taggedptr/untagged-deref: h->val reads head.val raw, without clearing its tag bits (DESC_BIT, set by add_desc), and (unsigned long *)h->val is passed on unmasked to drop_spte()" */
}

void zap_reloaded(struct head *h, struct head *other)
{
	if (!(h->val & DESC_BIT)) {
		h = other;
		drop_spte((unsigned long *)h->val); /* want "taggedptr/untagged-deref: h->val reads head.val raw" */
	}
}
