/*
 * swapbench - what swap costs, in retired instructions (rdinstret under QEMU icount, -smp 1;
 * ns where that traps or off Holstein): swapbench [DEV]
 *
 *   bench swapout_page N     a page written out by reclaim: a hog touching all of RAM
 *                            (its cost less what touching as many pages costs without
 *                            pressure) per page pswpout counts
 *   bench swapin_page N      a page read back by a read fault, per page pswpin counts (less
 *                            a read of a present page)
 *   bench swapout_reqs N     block write requests per page written out (x1000), and
 *   bench swapin_reqs N      read requests per page read (x1000), if /proc/diskstats has DEV
 *   bench fork_64m_half N    fork + exit + wait of a process of 64 MiB, about half of it in
 *                            swap (the share is printed), median of 3
 *   bench fork_64m_half_reads N   pages those forks read from swap (pswpin): must be 0
 *
 * Needs a swap disk (scripts/run-qemu --swap); turns it on and off itself.
 */
#include "swapt.h"

static int use_instret;

/* counter - retired instructions on this hart, or ns. */
static inline uint64_t counter(void)
{
	uint64_t v;

	if (!use_instret)
		return now_ns();
	asm volatile("rdinstret %0" : "=r"(v));
	return v;
}

/* probe - does rdinstret work here (tried in a child: it may trap)? */
static int probe(void)
{
	pid_t pid = xfork();

	if (pid == 0) {
		use_instret = 1;
		counter();
		_exit(0);
	}
	return wait_pid(pid) == 0;
}

/* disk_reqs - reads and writes completed on @dev (/proc/diskstats, fields 4 and 8), or 0. */
static int disk_reqs(const char *dev, long *rd, long *wr)
{
	char buf[8192], name[32];
	const char *base = strrchr(dev, '/') ? strrchr(dev, '/') + 1 : dev;

	if (read_small_file("/proc/diskstats", buf, sizeof(buf)) <= 0)
		return 0;
	for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n")) {
		unsigned maj, min;
		long r, rm, rs, rt, w;

		if (sscanf(l, "%u %u %31s %ld %ld %ld %ld %ld", &maj, &min, name, &r, &rm, &rs, &rt,
			   &w) == 8 && !strcmp(name, base)) {
			*rd = r;
			*wr = w;
			return 1;
		}
	}
	return 0;
}

/* touch - write one word of each of @pages pages of @p; the counter's cost. */
static uint64_t touch(char *p, size_t pages)
{
	uint64_t t0 = counter();

	for (size_t i = 0; i < pages; i++)
		((volatile char *)p)[i * PAGE_SIZE] = 1;
	return counter() - t0;
}

/* readall - read one word of each of @pages pages; the counter's cost. */
static uint64_t readall(const char *p, size_t pages)
{
	uint64_t t0 = counter();

	for (size_t i = 0; i < pages; i++)
		(void)((const volatile char *)p)[i * PAGE_SIZE];
	return counter() - t0;
}

/* hog_cost - in a child, touch all of RAM; its counter cost per page through a pipe. */
static uint64_t hog_cost(size_t pages)
{
	int p[2];
	uint64_t c = 0;
	pid_t pid;

	xpipe(p);
	if ((pid = must_fork()) == 0) {
		char *m = swapt_map(pages * PAGE_SIZE);

		c = m ? touch(m, pages) : 0;
		write(p[1], &c, sizeof(c));
		_exit(0);
	}
	read(p[0], &c, sizeof(c));
	wait_pid(pid);
	close(p[0]);
	close(p[1]);
	return c;
}

int main(int argc, char **argv)
{
	const char *dev;
	size_t small = 16 * MiB / PAGE_SIZE, ram = swapt_ram(100) / PAGE_SIZE;
	size_t xp = swapt_ram(30) / PAGE_SIZE, fp = 64 * MiB / PAGE_SIZE;
	long r0 = 0, w0 = 0, r1 = 0, w1 = 0, out0, in0;
	uint64_t base_touch, base_read, hog, in, v[3];
	int reqs;
	char *m, *x;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!(dev = swapt_device(argc, argv, "swapbench")))
		return 0;
	use_instret = on_holstein() && probe();
	printf("bench_unit %s\n", use_instret ? "instret" : "ns");
	if (swapt_on(dev) < 0)
		die("swapbench: swapon %s: %s", dev, strerror(errno));
	/* Without pressure: first touches and reads of present pages. */
	m = swapt_map(small * PAGE_SIZE);
	base_touch = touch(m, small);
	base_read = readall(m, small);
	munmap(m, small * PAGE_SIZE);

	/* Out: a region of 30% of RAM, then a hog of all of RAM pushes it out. */
	x = swapt_map(xp * PAGE_SIZE);
	touch(x, xp);
	out0 = swapt_vmstat("pswpout");
	reqs = disk_reqs(dev, &r0, &w0);
	hog = hog_cost(ram);
	long nout = swapt_vmstat("pswpout") - out0;

	reqs = reqs && disk_reqs(dev, &r1, &w1);
	if (nout > 0)
		printf("bench swapout_page %llu\n", (unsigned long long)((hog - base_touch * ram /
		       small) / nout));
	if (reqs && nout > 0)
		printf("bench swapout_reqs %ld\n", (w1 - w0) * 1000 / nout);

	/* In: read the region back. */
	in0 = swapt_vmstat("pswpin");
	reqs = disk_reqs(dev, &r0, &w0);
	in = readall(x, xp);
	long nin = swapt_vmstat("pswpin") - in0;

	reqs = reqs && disk_reqs(dev, &r1, &w1);
	if (nin > 0)
		printf("bench swapin_page %llu\n", (unsigned long long)((in - base_read * xp / small) /
		       nin));
	if (reqs && nin > 0)
		printf("bench swapin_reqs %ld\n", (r1 - r0) * 1000 / nin);
	munmap(x, xp * PAGE_SIZE);

	/* fork of 64 MiB, half of it in swap: out with a hog, the first half read back. */
	m = swapt_map(fp * PAGE_SIZE);
	touch(m, fp);
	hog_cost(ram);
	readall(m, fp / 2);
	printf("# fork_64m_half: VmSwap %ld kB of 65536\n", swapt_status_kb(getpid(), "VmSwap"));
	in0 = swapt_vmstat("pswpin");
	for (int i = 0; i < 3; i++) {
		uint64_t t0 = counter();
		pid_t pid = xfork();

		if (pid == 0)
			_exit(0);
		wait_pid(pid);
		v[i] = counter() - t0;
	}
	printf("bench fork_64m_half_reads %ld\n", swapt_vmstat("pswpin") - in0);
	if (v[0] > v[1]) { uint64_t t = v[0]; v[0] = v[1]; v[1] = t; }
	if (v[1] > v[2]) { uint64_t t = v[1]; v[1] = v[2]; v[2] = t; }
	if (v[0] > v[1]) { uint64_t t = v[0]; v[0] = v[1]; v[1] = t; }
	printf("bench fork_64m_half %llu\n", (unsigned long long)v[1]);
	munmap(m, fp * PAGE_SIZE);
	if (swapoff(dev) < 0)
		die("swapbench: swapoff: %s", strerror(errno));
	return 0;
}
