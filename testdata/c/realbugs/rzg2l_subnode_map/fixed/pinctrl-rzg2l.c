/* Fixed twin of rzg2l_subnode_map/bug: the late failure returns through a label that does not unlock. */
struct mutex { int x; };
struct pinctrl_dev { int id; };
struct rzg2l_pinctrl { struct mutex mutex; struct pinctrl_dev *pctl; };

int add_group(struct pinctrl_dev *pctldev, const char *name, unsigned int *pins, int npins);
int add_function(struct pinctrl_dev *pctldev, const char *name, const char **groups, int ngroups);
void remove_group(struct pinctrl_dev *pctldev, int sel);
int map_add(void *map, const char *group, const char *func);

int subnode_to_map(struct rzg2l_pinctrl *pctrl, struct pinctrl_dev *pctldev, const char *name, unsigned int *pins, int npins, void *map)
{
	const char **pin_fn;
	int gsel, fsel, ret;

	pin_fn = (const char **)&name;
	mutex_lock(&pctrl->mutex);
	gsel = add_group(pctldev, name, pins, npins);
	if (gsel < 0) {
		ret = gsel;
		goto unlock;
	}
	fsel = add_function(pctldev, name, pin_fn, 1);
	if (fsel < 0) {
		ret = fsel;
		goto remove_group;
	}
	mutex_unlock(&pctrl->mutex);

	ret = map_add(map, name, name);
	if (ret < 0)
		goto remove_group_unlocked;
	return 0;

remove_group_unlocked:
	remove_group(pctldev, gsel);
	return ret;

remove_group:
	remove_group(pctldev, gsel);
unlock:
	mutex_unlock(&pctrl->mutex);
	return ret;
}
