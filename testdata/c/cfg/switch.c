/* switch with fallthrough, default, break inside a loop inside a case. */
int classify(int x)
{
	int r = 0;

	switch (x) {
	case 1:
		r = 10;
		fallthrough;
	case 2:
		r++;
		break;
	case 3:
		while (r < 5) {
			if (r == 4)
				break;
			r++;
		}
		break;
	default:
		r = -1;
	}
	switch (r) {
	case 0:
		return 1;
	}
	return r;
}
