/* Fixed twin of jc42_write/bug (b744db17abf6): break to the unlock. */
struct mutex { int x; };
struct jc42_data { struct mutex update_lock; void *regmap; int config; };

int regmap_read(void *map, int reg, unsigned int *val);
int regmap_write(void *map, int reg, unsigned int val);

int jc42_write(struct jc42_data *data, int attr, long val)
{
	unsigned int regval;
	int ret;

	mutex_lock(&data->update_lock);
	switch (attr) {
	case 1:
		ret = regmap_write(data->regmap, 2, (unsigned int)val);
		break;
	case 2:
		ret = regmap_read(data->regmap, 3, &regval);
		if (ret)
			break;
		regval = regval - (unsigned int)val;
		ret = regmap_write(data->regmap, 1, regval);
		break;
	default:
		ret = -95;
		break;
	}
	mutex_unlock(&data->update_lock);
	return ret;
}
