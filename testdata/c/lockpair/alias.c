struct ctx { spinlock_t lock; int n; };
struct req { struct ctx *ctx; struct req *next; };
struct node { spinlock_t lock; struct node *parent; struct node *child; };

/* Deliberate: ctx is a copy of req->ctx, so this unlocks what was locked. */
void req_done(struct req *req)
{
	struct ctx *ctx;

	spin_lock(&req->ctx->lock);
	if (!req->ctx->n) {
		spin_unlock(&req->ctx->lock);
		return;
	}
	ctx = req->ctx;
	ctx->n--;
	spin_unlock(&ctx->lock);
}

/* Twin: ctx names another object by the time of the unlock. */
void req_done_bad(struct req *req)
{
	struct ctx *ctx;

	spin_lock(&req->ctx->lock);
	if (!req->ctx->n) {
		spin_unlock(&req->ctx->lock);
		return;
	}
	ctx = req->next->ctx;
	ctx->n--;
	spin_unlock(&ctx->lock);
} /* want "lockpair/unreleased: req->ctx->lock acquired by spin_lock(&req->ctx->lock) at line 25 is still held when req_done_bad returns" */

/* Deliberate: n's lock is handed to cur before n is cleared. */
void walk_down(struct node *root)
{
	struct node *cur = root;
	struct node *n;

	spin_lock(&root->lock);
	n = cur->child;
	if (n) {
		spin_lock(&n->lock);
		spin_unlock(&cur->lock);
		cur = n;
		n = NULL;
	}
	spin_unlock(&cur->lock);
}

/* Twin: one way out after the hand-over keeps the new node's lock. */
void walk_down_bad(struct node *root)
{
	struct node *cur = root;
	struct node *n;

	spin_lock(&root->lock);
	n = cur->child;
	if (n) {
		spin_lock(&n->lock);
		spin_unlock(&cur->lock);
		cur = n;
		n = NULL;
		if (cur->parent != root)
			return; /* want "lockpair/unreleased: n->lock acquired by spin_lock(&n->lock) at line 61 is still held when walk_down_bad returns (by then reached as cur->lock)" */
	}
	spin_unlock(&cur->lock);
}

/* Deliberate: when a == b only a is locked, and unlocking b releases it. */
void pair_unlock(struct node *a, struct node *b)
{
	spin_lock(&a->lock);
	if (a != b)
		spin_lock(&b->lock);
	a->parent = b;
	spin_unlock(&b->lock);
	if (a != b)
		spin_unlock(&a->lock);
}

struct job { struct node *n; int err; };

/* Deliberate: job->n is a copy of n, stored before the unlock through it. */
void job_run(struct job *job, struct node *n)
{
	spin_lock(&n->lock);
	job->n = n;
	if (job->err) {
		spin_unlock(&n->lock);
		return;
	}
	spin_unlock(&job->n->lock);
}

/* Twin: job->n is changed before the unlock through it. */
void job_run_bad(struct job *job, struct node *n)
{
	spin_lock(&n->lock);
	job->n = n;
	if (job->err) {
		spin_unlock(&n->lock);
		return;
	}
	job->n = n->child;
	spin_unlock(&job->n->lock);
} /* want "lockpair/unreleased: n->lock acquired by spin_lock(&n->lock) at line 100 is still held when job_run_bad returns" */
