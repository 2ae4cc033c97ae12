/* Fixed twin of omap3isp_notifier/bug: unlock before the first error return. */
struct mutex { int x; };
struct list_head { struct list_head *next; };
struct media_device { struct mutex graph_mutex; };
struct subdev { struct list_head list; void *notifier; int entity; int iface; };
struct isp_device { struct media_device media_dev; int crashed; struct list_head subdevs; int notifier; };

int entity_enum_init(int *e, struct media_device *mdev);
int isp_link_entity(struct isp_device *isp, int *entity, int iface);
int register_subdev_nodes(struct isp_device *isp);
struct subdev *first_subdev(struct list_head *h);
struct subdev *next_subdev(struct subdev *sd);

int isp_notifier_complete(struct isp_device *isp)
{
	struct subdev *sd;
	int ret;

	mutex_lock(&isp->media_dev.graph_mutex);
	ret = entity_enum_init(&isp->crashed, &isp->media_dev);
	if (ret) {
		mutex_unlock(&isp->media_dev.graph_mutex);
		return ret;
	}
	for (sd = first_subdev(&isp->subdevs); sd; sd = next_subdev(sd)) {
		if (sd->notifier != &isp->notifier)
			continue;
		ret = isp_link_entity(isp, &sd->entity, sd->iface);
		if (ret < 0) {
			mutex_unlock(&isp->media_dev.graph_mutex);
			return ret;
		}
	}
	mutex_unlock(&isp->media_dev.graph_mutex);
	return register_subdev_nodes(isp);
}
