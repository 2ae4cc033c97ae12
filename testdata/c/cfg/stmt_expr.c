/* GNU statement expressions: their calls stay visible. */
int stmt_expr(struct foo *f)
{
	int v = ({ int t = get(f); t + 1; });

	if (({ bool ok = try_lock(f); ok; }))
		unlock(f);
	v += ({ int a = one(); ({ int b = two(a); b; }); });
	return v;
}
