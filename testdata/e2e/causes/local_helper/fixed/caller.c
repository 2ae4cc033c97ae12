/* tagcheck test case: invented code. */
static void drv_exit(struct drv *d)
{
	table_drop(d->table, 1);
}

static void drv_close(struct drv *d, int id)
{
	mutex_lock(&d->table->lock);
	table_put_locked(d->table, id);
}
