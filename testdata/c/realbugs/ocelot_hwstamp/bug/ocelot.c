/*
 * Source: upstream 1a59c9c55585 "net: mscc: ocelot: fix missing unlock on
 * error in ocelot_hwstamp_set()" (fixes 96ca08c05838). Rebuilt: with
 * ptp_lock held, the PTP trap set-up fails and the error is returned
 * without the unlock.
 * Cause: baseline (error path skips the release) after a switch whose
 * own error case does release.
 */
struct mutex { int x; };
struct hwtstamp_config { int tx_type; int rx_filter; };
struct ocelot { struct mutex ptp_lock; struct hwtstamp_config cfg[8]; };

int setup_ptp_traps(struct ocelot *ocelot, int port, int l2, int l4);

int hwstamp_set(struct ocelot *ocelot, int port, struct hwtstamp_config *cfg)
{
	int l2 = 0, l4 = 0;
	int err;

	mutex_lock(&ocelot->ptp_lock);
	switch (cfg->rx_filter) {
	case 0:
		break;
	case 1:
		l4 = 1;
		break;
	case 2:
		l2 = 1;
		break;
	default:
		mutex_unlock(&ocelot->ptp_lock);
		return -34;
	}
	err = setup_ptp_traps(ocelot, port, l2, l4);
	if (err)
		return err; /* want "lockpair/unreleased: ocelot->ptp_lock acquired by" */
	ocelot->cfg[port & 7] = *cfg;
	mutex_unlock(&ocelot->ptp_lock);
	return 0;
}
