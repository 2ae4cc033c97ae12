/*
 * Source: upstream "net: dsa: qca8k: fix missing unlock on error in
 * qca8k_vlan_(add|del)" (fixes 028f5f8ef44f). Rebuilt: a failed read of
 * the VLAN table returns directly, past the "out" label's unlock.
 * Cause: baseline (error path skips the release).
 */
struct mutex { int x; };
struct qca8k_priv { struct mutex reg_mutex; };

int vlan_busy_wait(struct qca8k_priv *priv, int cmd, int vid);
int qca8k_read(struct qca8k_priv *priv, int reg);
int qca8k_write(struct qca8k_priv *priv, int reg, int val);

int vlan_add(struct qca8k_priv *priv, int port, int vid, int untagged)
{
	int reg, ret;

	mutex_lock(&priv->reg_mutex);
	ret = vlan_busy_wait(priv, 1, vid);
	if (ret < 0)
		goto out;
	reg = qca8k_read(priv, 0x594);
	if (reg < 0)
		return reg; /* want "lockpair/unreleased: priv->reg_mutex" */
	reg |= 1 << 20;
	if (untagged)
		reg |= 1 << (4 + 2 * port);
	ret = qca8k_write(priv, 0x594, reg);
	if (ret)
		goto out;
	ret = vlan_busy_wait(priv, 2, vid);
out:
	mutex_unlock(&priv->reg_mutex);
	return ret;
}
