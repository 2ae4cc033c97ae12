/* Stores shaped like tag writes that do not tag a pointer: a bitmap bit
 * by number, a register word built from two halves, a high bit of a
 * control word, a high bit on a pointer. Their readers are not reported.
 * Beside them, the real tags (a low constant bit on a pointer and on an
 * integer word that holds one) keep their raw readers reported. */
#define DESC_BIT 1UL
#define NODE_MARK 0x4UL

struct ctrl { unsigned int intercepts[4]; unsigned long sar; unsigned long long ctl; };
struct desc { unsigned long *sptes[4]; struct desc *more; };
struct head { unsigned long val; };
struct node { struct node *next; long key; };
struct hnode { struct hnode *next; long key; };

void use_word(unsigned long *w);
void print_word(const char *fmt, unsigned long v);

static void set_intercept(struct ctrl *c, int bit)
{
	__set_bit(bit, (unsigned long *)&c->intercepts);
}

static void set_sar(struct ctrl *c, unsigned int hi, unsigned int lo)
{
	c->sar = ((unsigned long long)hi << 32) | (unsigned long long)lo;
}

static void quirk(struct ctrl *c)
{
	clear_bit(10, (unsigned long *)&c->ctl);
}

static void mark_high(struct hnode *n)
{
	n->next = (struct hnode *)((unsigned long)n->next | 0x100UL);
}

int read_ctrl(struct ctrl *c)
{
	use_word((unsigned long *)c->sar);
	print_word("%llx", c->ctl);
	return c->intercepts[1];
}

long walk_high(struct hnode *n)
{
	return n->next->key;
}

/* the real tags */

static void add_desc(struct head *h, struct desc *d)
{
	h->val = (unsigned long)d | DESC_BIT;
}

static void mark_node(struct node *n)
{
	n->next = (struct node *)((unsigned long)n->next | NODE_MARK); /* want "taggedptr/racy-rmw: the plain store sets NODE_MARK in n->next" */
}

void first_raw(struct head *h)
{
	use_word((unsigned long *)h->val); /* want "taggedptr/untagged-deref: h->val reads head.val raw, without clearing its tag bits (DESC_BIT, set by add_desc), and (unsigned long *)h->val is passed on unmasked to use_word()" */
}

void print_ok(struct head *h)
{
	print_word("%lx", h->val);
}

long walk_raw(struct node *n)
{
	return n->next->key; /* want "taggedptr/untagged-deref: n->next reads node.next raw" */
}

long walk_checked(struct node *n)
{
	VM_BUG_ON(n->next);
	return n->key;
}

/* struct aux_data is declared out of view: the store of a plain integer
 * says its field is an integer word. */
#define UNPRIV 1UL

static void store_map(struct aux_data *aux, struct desc *map)
{
	aux->state = (unsigned long)map | UNPRIV;
}

void print_aux(struct aux_data *aux)
{
	print_word("%lx", aux->state);
}

void use_aux(struct aux_data *aux)
{
	use_word((unsigned long *)aux->state); /* want "taggedptr/untagged-deref: aux->state reads aux_data.state raw" */
}
