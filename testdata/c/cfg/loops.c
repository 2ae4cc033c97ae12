/* while, for and do loops with break and continue. */
int loops(int n)
{
	int i, s = 0;

	for (i = 0; i < n; i++) {
		if (i == 3)
			continue;
		if (i == 7)
			break;
		s += i;
	}
	while (s > 100)
		s /= 2;
	do {
		s--;
		if (s == 5)
			continue;
	} while (s > 0);
	for (;;) {
		if (done())
			break;
	}
	do { cleanup(); } while (0);
	return s;
}
