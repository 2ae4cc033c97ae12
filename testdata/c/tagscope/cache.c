/* Never tags the pages it handles: its raw reads are not reported. */
struct address_space { int nrpages; };
struct page { struct address_space *mapping; };

int cache_pages(struct page *page)
{
	return page->mapping->nrpages;
}
