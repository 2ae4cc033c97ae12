/* Tags its own pages through movable.c's setter: its raw reads of them
 * are reported. */
struct address_space { int nrpages; };
struct page { struct address_space *mapping; };

void set_page_movable(struct page *page, const void *ops);

int zpool_pages(struct page *page, const void *ops)
{
	set_page_movable(page, ops);
	return page->mapping->nrpages; /* want "taggedptr/untagged-deref: page->mapping reads page.mapping raw" */
}
