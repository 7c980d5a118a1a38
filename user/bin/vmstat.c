/*
 * vmstat - Holstein's memory counters: the copy-on-write and page-fault lines of
 * /proc/vmstat, then MemFree from /proc/meminfo. One "name value" line each; a counter
 * the kernel does not provide prints as "n/a".
 */
#include "ulib.h"

static const char *const counters[] = {"cow_fault", "cow_copy", "cow_reuse", "zero_fill",
				       "pgfault"};

/* main - print the counters; exit 1 if /proc/vmstat is unreadable. */
int main(void)
{
	static char buf[32768];
	long v;

	if (read_small_file("/proc/vmstat", buf, sizeof(buf)) < 0) {
		perror("vmstat: /proc/vmstat");
		return 1;
	}
	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		v = field_value(buf, counters[i]);
		if (v < 0)
			printf("%s n/a\n", counters[i]);
		else
			printf("%s %ld\n", counters[i], v);
	}
	v = meminfo_kb("MemFree");
	if (v < 0)
		printf("MemFree n/a\n");
	else
		printf("MemFree %ld kB\n", v);
	return 0;
}
