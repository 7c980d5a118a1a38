/*
 * t_swap_fork - issue 16's check: t_swap_fork [-p PERCENT] [DEV]
 *
 * swapon DEV; fill PERCENT (default 150) of MemTotal with a per-page pattern; fork.  The
 * child verifies every page and rewrites half of them (its own pattern), then verifies
 * those; the parent then verifies that its own pattern is intact everywhere.  pswpout must
 * have grown meanwhile.  After munmap no slot is left that no process holds (SwapFree back
 * to SwapTotal but for other processes' swapped pages), swapoff succeeds and SwapTotal is 0.
 * Without a swap device (or under the oracle) it says SKIP and passes.
 */
#include "swapt.h"

/* child - verify everything under seed 1, rewrite the even pages under seed 2, verify. */
static int child(char *buf, size_t pages)
{
	size_t bad = 0, bad2 = 0;

	for (size_t i = 0; i < pages; i++)
		bad += !swapt_check(buf + i * PAGE_SIZE, 1, i);
	for (size_t i = 0; i < pages; i += 2)
		swapt_fill(buf + i * PAGE_SIZE, 2, i);
	for (size_t i = 0; i < pages; i++)
		bad2 += !swapt_check(buf + i * PAGE_SIZE, i % 2 ? 1 : 2, i);
	if (bad || bad2)
		printf("FAIL: child: %zu pages differ from the parent's, %zu after its rewrite\n",
		       bad, bad2);
	return bad || bad2;
}

int main(int argc, char **argv)
{
	const char *dev;
	unsigned pct = 150;
	size_t size, pages, bad = 0;
	long out0, out1, in0, unowned;
	char *buf;
	int st;

	t_init();
	if (argc > 2 && !strcmp(argv[1], "-p"))
		pct = (unsigned)atoi(argv[2]);
	if (!(dev = swapt_device(argc, argv, "t_swap_fork")))
		return t_done("t_swap_fork");
	if (!CHECK(swapt_on(dev) == 0, "swapon %s", dev))
		return t_done("t_swap_fork");
	CHECK(meminfo_kb("SwapTotal") > 0 && meminfo_kb("SwapFree") == meminfo_kb("SwapTotal"),
	      "a fresh area: SwapTotal %ld kB, all free", meminfo_kb("SwapTotal"));
	size = swapt_ram(pct);
	pages = size / PAGE_SIZE;
	out0 = swapt_vmstat("pswpout");
	in0 = swapt_vmstat("pswpin");
	buf = swapt_map(size);
	if (!CHECK(buf, "map %zu MiB (%u%% of MemTotal)", size / MiB, pct))
		return t_done("t_swap_fork");
	for (size_t i = 0; i < pages; i++)
		swapt_fill(buf + i * PAGE_SIZE, 1, i);
	printf("t_swap_fork: %zu MiB filled; VmSwap %ld kB, SwapFree %ld of %ld kB\n", size / MiB,
	       swapt_status_kb(getpid(), "VmSwap"), meminfo_kb("SwapFree"),
	       meminfo_kb("SwapTotal"));
	pid_t pid = must_fork();

	if (pid == 0)
		_exit(child(buf, pages));
	st = wait_pid(pid);
	CHECK_EXIT(st, 0, "the child saw every page of the parent's and its own rewrite");
	for (size_t i = 0; i < pages; i++)
		bad += !swapt_check(buf + i * PAGE_SIZE, 1, i);
	CHECK(bad == 0, "the parent's %zu pages are all its own (%zu differ)", pages, bad);
	out1 = swapt_vmstat("pswpout");
	CHECK(out1 > out0, "pswpout grew: %ld -> %ld (pswpin %ld -> %ld)", out0, out1, in0,
	      swapt_vmstat("pswpin"));
	CHECK(munmap(buf, size) == 0, "munmap");
	unowned = swapt_unowned_kb();
	CHECK(unowned <= swapt_slack_kb(), "after munmap every slot in use is held by a process (%ld kB unowned;"
	      " %ld kB used, SwapCached %ld kB)", unowned, swapt_used_kb(),
	      meminfo_kb("SwapCached"));
	CHECK(swapoff(dev) == 0, "swapoff %s", dev);
	CHECK(meminfo_kb("SwapTotal") == 0 && meminfo_kb("SwapFree") == 0,
	      "after swapoff: SwapTotal %ld, SwapFree %ld kB", meminfo_kb("SwapTotal"),
	      meminfo_kb("SwapFree"));
	CHECK(swapt_status_kb(getpid(), "VmSwap") <= (on_holstein() ? 0 : 256),
	      "VmSwap 0 after swapoff (%ld kB)", swapt_status_kb(getpid(), "VmSwap"));
	return t_done("t_swap_fork");
}
