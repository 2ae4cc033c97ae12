/* BUG() ends the path. */
void must(struct page *p)
{
	if (!p)
		BUG();
	if (p->flags < 0) {
		pr_err("bad\n");
		panic("bad page %p", p);
	}
	put_page(p);
}
