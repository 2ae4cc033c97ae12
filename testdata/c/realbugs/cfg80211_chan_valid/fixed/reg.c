#include "cfg80211.h"

/* Fixed twin of cfg80211_chan_valid/bug: the caller holds the wiphy mutex; the check does not take it again. */

/*
 * Is every link of this interface still on a channel the regulatory
 * domain allows? The interface mutex guards the link state; it is let
 * go around the checks, made under the caller's wiphy mutex.
 */
static int reg_wdev_chan_valid(struct wiphy *wiphy, struct wireless_dev *wdev)
{
	struct cfg80211_chan_def chandef = {};
	struct cfg80211_registered_device *rdev = wiphy_to_rdev(wiphy);
	enum nl80211_iftype iftype;
	unsigned int link;
	int ret;

	wdev_lock(wdev);
	iftype = wdev->iftype;

	if (!wdev->netdev || !netif_running(wdev->netdev))
		goto inactive;

	for (link = 0; link < 15; link++) {
		struct ieee80211_channel *chan;

		if (!wdev->valid_links && link > 0)
			break;
		if (wdev->valid_links && !(wdev->valid_links & (1U << link)))
			continue;
		switch (iftype) {
		case NL80211_IFTYPE_AP:
		case NL80211_IFTYPE_P2P_GO:
			if (!wdev->links[link].beacon_interval)
				continue;
			chandef = wdev->links[link].ap_chandef;
			break;
		case NL80211_IFTYPE_MESH_POINT:
			if (!wdev->mesh_beacon_interval)
				continue;
			chandef = wdev->mesh_chandef;
			break;
		case NL80211_IFTYPE_ADHOC:
			if (!wdev->ibss_ssid_len)
				continue;
			chandef = wdev->ibss_chandef;
			break;
		case NL80211_IFTYPE_STATION:
		case NL80211_IFTYPE_P2P_CLIENT:
			if (!wdev->links[link].current_bss)
				continue;
			chan = wdev->links[link].current_bss->channel;
			if (!chan)
				continue;
			if (!rdev->ops->get_channel ||
			    rdev->ops->get_channel(wdev, link, &chandef))
				cfg80211_chandef_create(&chandef, chan, 0);
			break;
		case NL80211_IFTYPE_MONITOR:
		case NL80211_IFTYPE_AP_VLAN:
		case NL80211_IFTYPE_P2P_DEVICE:
			break;
		case NL80211_IFTYPE_OCB:
			if (!wdev->ocb_chandef.chan)
				continue;
			chandef = wdev->ocb_chandef;
			break;
		case NL80211_IFTYPE_NAN:
			continue;
		default:
			break;
		}

		wdev_unlock(wdev);

		switch (iftype) {
		case NL80211_IFTYPE_AP:
		case NL80211_IFTYPE_P2P_GO:
		case NL80211_IFTYPE_ADHOC:
		case NL80211_IFTYPE_MESH_POINT:
			ret = cfg80211_reg_can_beacon_relax(wiphy, &chandef, iftype);
			if (!ret)
				return ret;
			break;
		case NL80211_IFTYPE_STATION:
		case NL80211_IFTYPE_P2P_CLIENT:
			ret = cfg80211_chandef_usable(wiphy, &chandef, 1);
			if (!ret)
				return ret;
			break;
		default:
			break;
		}

		wdev_lock(wdev);
	}

	wdev_unlock(wdev);
	return 1;

inactive:
	wdev_unlock(wdev);
	return 1;
}

/* Disconnects every interface whose channel the new rules forbid; the
 * wiphy mutex is held across the walk of the interface list. */
static void reg_leave_invalid_chans(struct wiphy *wiphy)
{
	struct cfg80211_registered_device *rdev = wiphy_to_rdev(wiphy);
	struct wireless_dev *wdev;

	wiphy_lock(wiphy);
	for (wdev = wdev_first(&wiphy->wdev_list); wdev; wdev = wdev_next(wdev, &wiphy->wdev_list))
		if (!reg_wdev_chan_valid(wiphy, wdev))
			cfg80211_leave(rdev, wdev);
	wiphy_unlock(wiphy);
}

void reg_check_chans(struct wiphy *wiphy)
{
	reg_leave_invalid_chans(wiphy);
}
