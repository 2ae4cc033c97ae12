/* A setter called from other files tags the field of the object its
 * callers pass: the tagged instances are the callers' (zpool.c), not
 * every page's (cache.c). */
struct address_space { int nrpages; };
struct page { struct address_space *mapping; };

#define MAPPING_MOVABLE 0x2UL

void set_page_movable(struct page *page, const void *ops)
{
	page->mapping = (void *)((unsigned long)ops | MAPPING_MOVABLE);
}
