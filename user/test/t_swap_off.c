/*
 * t_swap_off - swapoff brings every page back, or refuses: t_swap_off [DEV]
 *
 *  1. 40% of MemTotal, filled and pushed out to swap by a hog (and shared with a child, so
 *     that both must get the same frame back): swapoff succeeds, nothing of ours is left
 *     in swap (VmSwap 0, SwapTotal 0), and parent and child read their pattern intact;
 *  2. swapon again; 140% of MemTotal filled: it cannot all be in RAM, so swapoff fails with
 *     ENOMEM, the area stays on (/proc/swaps, SwapTotal) and usable, and every page still
 *     reads back intact; after munmap swapoff succeeds.
 */
#include "swapt.h"

/* intact - pages of @p (@pages of them) that lost @seed's pattern. */
static size_t intact(const char *p, size_t pages, uint64_t seed)
{
	size_t bad = 0;

	for (size_t i = 0; i < pages; i++)
		bad += !swapt_check(p + i * PAGE_SIZE, seed, i);
	return bad;
}

/* listed - does /proc/swaps name @dev? */
static int listed(const char *dev)
{
	char buf[4096];

	return read_small_file("/proc/swaps", buf, sizeof(buf)) > 0 && strstr(buf, dev);
}

/* step1 - a shared, swapped-out region all comes back at swapoff. */
static void step1(const char *dev)
{
	size_t size = swapt_ram(40), pages = size / PAGE_SIZE, bad;
	char *p = swapt_map(size), c = 0;
	int go[2], ready[2];
	pid_t pid;

	if (!CHECK(p, "map %zu MiB", size / MiB))
		return;
	for (size_t i = 0; i < pages; i++)
		swapt_fill(p + i * PAGE_SIZE, 7, i);
	xpipe(go);
	xpipe(ready);
	if ((pid = must_fork()) == 0) {
		write(ready[1], &c, 1);
		read(go[0], &c, 1);
		_exit(intact(p, pages, 7) ? 1 : 0);
	}
	read(ready[0], &c, 1);
	CHECK_EXIT(swapt_hog(swapt_ram(100)), 0, "a hog touched all of MemTotal");
	CHECK(swapt_status_kb(getpid(), "VmSwap") > 0 && swapt_status_kb(pid, "VmSwap") > 0,
	      "the shared region went to swap (VmSwap %ld kB, the child's %ld kB)",
	      swapt_status_kb(getpid(), "VmSwap"), swapt_status_kb(pid, "VmSwap"));
	CHECK(swapoff(dev) == 0, "swapoff with %zu MiB shared and swapped out", size / MiB);
	CHECK(meminfo_kb("SwapTotal") == 0 && !listed(dev), "the area is off (SwapTotal %ld kB)",
	      meminfo_kb("SwapTotal"));
	CHECK(swapt_status_kb(getpid(), "VmSwap") == 0 && swapt_status_kb(pid, "VmSwap") == 0,
	      "nothing of parent or child left in swap");
	write(go[1], &c, 1);
	CHECK_EXIT(wait_pid(pid), 0, "the child reads its pattern back");
	bad = intact(p, pages, 7);
	CHECK(bad == 0, "the parent reads its pattern back (%zu differ)",
	      bad);
	munmap(p, size);
	close(go[0]);
	close(go[1]);
	close(ready[0]);
	close(ready[1]);
}

/* step2 - more than RAM in swap: swapoff refuses and changes nothing. */
static void step2(const char *dev)
{
	size_t size = swapt_ram(140), pages = size / PAGE_SIZE, bad;
	long total = meminfo_kb("SwapTotal");
	char *p = swapt_map(size);

	if (!CHECK(p, "map %zu MiB", size / MiB))
		return;
	for (size_t i = 0; i < pages; i++)
		swapt_fill(p + i * PAGE_SIZE, 8, i);
	CHECK_ERR(swapoff(dev), ENOMEM, "swapoff with 140%% of MemTotal in use: ENOMEM");
	CHECK(listed(dev) && meminfo_kb("SwapTotal") == total, "the area stays on"
	      " (SwapTotal %ld kB)", meminfo_kb("SwapTotal"));
	bad = intact(p, pages, 8);
	CHECK(bad == 0, "every page reads back intact (%zu differ)", bad);
	for (size_t i = 0; i < pages; i += 2)
		swapt_fill(p + i * PAGE_SIZE, 9, i);
	bad = 0;
	for (size_t i = 0; i < pages; i++)
		bad += !swapt_check(p + i * PAGE_SIZE, i % 2 ? 8 : 9, i);
	CHECK(bad == 0, "and the area is used again: half rewritten, all read back (%zu differ)",
	      bad);
	munmap(p, size);
	CHECK(swapt_unowned_kb() <= swapt_slack_kb(), "after munmap no slot is unowned (%ld kB)",
	      swapt_unowned_kb());
	CHECK(swapoff(dev) == 0, "then swapoff succeeds");
}

int main(int argc, char **argv)
{
	const char *dev;

	t_init();
	if (!(dev = swapt_device(argc, argv, "t_swap_off")))
		return t_done("t_swap_off");
	if (!CHECK(swapt_on(dev) == 0, "swapon %s", dev))
		return t_done("t_swap_off");
	step1(dev);
	if (!CHECK(swapt_on(dev) == 0, "swapon %s again", dev))
		return t_done("t_swap_off");
	step2(dev);
	return t_done("t_swap_off");
}
