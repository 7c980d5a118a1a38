/*
 * free - memory usage from /proc/meminfo in kB, laid out like Linux's free(1):
 * total, used, free, shared, buff/cache, available; then swap.
 */
#include "ulib.h"

/* field - a meminfo value in kB, 0 when the kernel does not report it. */
static long field(const char *text, const char *key)
{
	long v = field_value(text, key);

	return v < 0 ? 0 : v;
}

/* main - print the table; exit 1 if /proc/meminfo is unreadable. */
int main(void)
{
	char buf[8192];
	long total, mfree, cache, avail, used;

	if (read_small_file("/proc/meminfo", buf, sizeof(buf)) < 0) {
		perror("free: /proc/meminfo");
		return 1;
	}
	total = field(buf, "MemTotal");
	mfree = field(buf, "MemFree");
	cache = field(buf, "Buffers") + field(buf, "Cached") + field(buf, "SReclaimable");
	avail = field_value(buf, "MemAvailable");
	if (avail < 0)
		avail = mfree + cache;
	used = total - mfree - cache;
	printf("%19s %11s %11s %11s %11s %11s\n", "total", "used", "free", "shared", "buff/cache",
	       "available");
	printf("Mem:    %11ld %11ld %11ld %11ld %11ld %11ld\n", total, used, mfree,
	       field(buf, "Shmem"), cache, avail);
	printf("Swap:   %11ld %11ld %11ld\n", field(buf, "SwapTotal"),
	       field(buf, "SwapTotal") - field(buf, "SwapFree"), field(buf, "SwapFree"));
	return 0;
}
