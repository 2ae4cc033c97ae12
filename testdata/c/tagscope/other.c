/* Another user of the generic list: its links are never tagged. */
struct list_head { struct list_head *next, *prev; };

int other_first(struct list_head *head)
{
	struct list_head *first = head->next;

	return first->prev != 0;
}
