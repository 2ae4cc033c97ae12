/* The ring tags its own pages' list links with a head bit: only its
 * static helpers set it, so only its own readers see tagged values. */
struct list_head { struct list_head *next, *prev; };
struct rpage { struct list_head list; int n; };

#define HEAD_BIT 1UL

static void ring_mark_head(struct list_head *head)
{
	head->next = (struct list_head *)((unsigned long)head->next | HEAD_BIT); /* want "taggedptr/racy-rmw: the plain store sets HEAD_BIT in head->next" */
}

int ring_first(struct list_head *pages)
{
	struct list_head *first = pages->next; /* want "taggedptr/untagged-deref: pages->next reads list_head.next raw into first" */

	return first->prev != 0;
}
