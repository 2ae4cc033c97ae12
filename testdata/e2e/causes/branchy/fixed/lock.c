#include "cfg.h"

/* The configuration lock, taken and dropped by helpers of their own. */
void cfg_lock(struct cfg *c)
{
	mutex_lock(&c->lock);
}

void cfg_unlock(struct cfg *c)
{
	mutex_unlock(&c->lock);
}
