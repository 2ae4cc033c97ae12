struct mutex { int x; };
struct list_head { struct list_head *next, *prev; };
struct net_device { int running; };
struct ieee80211_channel { int center_freq; unsigned int flags; };
struct cfg80211_chan_def { struct ieee80211_channel *chan; int width; int center_freq1; };
struct cfg80211_bss { struct ieee80211_channel *channel; };

enum nl80211_iftype {
	NL80211_IFTYPE_UNSPECIFIED, NL80211_IFTYPE_ADHOC, NL80211_IFTYPE_STATION,
	NL80211_IFTYPE_AP, NL80211_IFTYPE_AP_VLAN, NL80211_IFTYPE_WDS,
	NL80211_IFTYPE_MONITOR, NL80211_IFTYPE_MESH_POINT, NL80211_IFTYPE_P2P_CLIENT,
	NL80211_IFTYPE_P2P_GO, NL80211_IFTYPE_P2P_DEVICE, NL80211_IFTYPE_OCB,
	NL80211_IFTYPE_NAN,
};

struct wiphy { struct mutex mtx; struct list_head wdev_list; int fully_held; };

struct wdev_link {
	unsigned int beacon_interval;
	struct cfg80211_chan_def ap_chandef;
	struct cfg80211_bss *current_bss;
};

struct wireless_dev {
	struct mutex mtx;
	struct list_head list;
	struct net_device *netdev;
	enum nl80211_iftype iftype;
	unsigned short valid_links;
	struct wdev_link links[15];
	unsigned int mesh_beacon_interval;
	struct cfg80211_chan_def mesh_chandef;
	unsigned int ibss_ssid_len;
	struct cfg80211_chan_def ibss_chandef;
	struct cfg80211_chan_def ocb_chandef;
};

struct rdev_ops { int (*get_channel)(struct wireless_dev *wdev, unsigned int link, struct cfg80211_chan_def *c); };
struct cfg80211_registered_device { struct wiphy wiphy; const struct rdev_ops *ops; };

/* The wiphy and interface mutexes, taken through helpers of their own. */
static inline void wiphy_lock(struct wiphy *wiphy)
{
	mutex_lock(&wiphy->mtx);
	wiphy->fully_held = 1;
}

static inline void wiphy_unlock(struct wiphy *wiphy)
{
	wiphy->fully_held = 0;
	mutex_unlock(&wiphy->mtx);
}

static inline void wdev_lock(struct wireless_dev *wdev)
{
	mutex_lock(&wdev->mtx);
}

static inline void wdev_unlock(struct wireless_dev *wdev)
{
	mutex_unlock(&wdev->mtx);
}

struct cfg80211_registered_device *wiphy_to_rdev(struct wiphy *wiphy);
int netif_running(const struct net_device *dev);
int cfg80211_reg_can_beacon_relax(struct wiphy *wiphy, struct cfg80211_chan_def *chandef, enum nl80211_iftype iftype);
int cfg80211_chandef_usable(struct wiphy *wiphy, const struct cfg80211_chan_def *chandef, unsigned int prohibited);
void cfg80211_chandef_create(struct cfg80211_chan_def *chandef, struct ieee80211_channel *chan, int type);
void cfg80211_leave(struct cfg80211_registered_device *rdev, struct wireless_dev *wdev);
struct wireless_dev *wdev_first(struct list_head *head);
struct wireless_dev *wdev_next(struct wireless_dev *wdev, struct list_head *head);
