/*
 * df - file-system usage, laid out like coreutils' df: one line per mount
 * in /proc/mounts, sizes in 1K blocks (statfs), or -h for human units.
 */
#include "ulib.h"
#include <sys/statfs.h>

/* human - @kb as df -h prints it: 4.0K, 12M, 1.5G. */
static const char *human(unsigned long long kb, char *buf, size_t n)
{
	const char *units = "KMGT";
	double v = (double)kb;
	int u = 0;

	while (v >= 1024 && u < 3) {
		v /= 1024;
		u++;
	}
	snprintf(buf, n, v < 10 && u ? "%.1f%c" : "%.0f%c", v, units[u]);
	return buf;
}

/* main - every mount, or exit 1 when /proc/mounts cannot be read. */
int main(int argc, char **argv)
{
	int h = argc > 1 && !strcmp(argv[1], "-h");
	char dev[256], dir[256], type[64], line[1024];
	FILE *m = fopen("/proc/mounts", "r");

	if (!m) {
		perror("df: /proc/mounts");
		return 1;
	}
	printf("%-16s %10s %10s %10s %4s %s\n", "Filesystem", h ? "Size" : "1K-blocks", "Used",
	       "Available", "Use%", "Mounted on");
	while (fgets(line, sizeof(line), m)) {
		struct statfs s;
		char b1[16], b2[16], b3[16];

		if (sscanf(line, "%255s %255s %63s", dev, dir, type) != 3 || statfs(dir, &s) < 0)
			continue;
		unsigned long long k = (unsigned long long)s.f_bsize / 1024;
		unsigned long long size = s.f_blocks * k, avail = s.f_bavail * k;
		unsigned long long used = (s.f_blocks - s.f_bfree) * k;
		int pct = size ? (int)((used * 100 + size - 1) / size) : 0;
		if (h)
			printf("%-16s %10s %10s %10s %3d%% %s\n", dev, human(size, b1, sizeof(b1)),
			       human(used, b2, sizeof(b2)), human(avail, b3, sizeof(b3)), pct, dir);
		else if (size)
			printf("%-16s %10llu %10llu %10llu %3d%% %s\n", dev, size, used, avail, pct, dir);
		else
			printf("%-16s %10d %10d %10d %4s %s\n", dev, 0, 0, 0, "-", dir);
	}
	fclose(m);
	return 0;
}
