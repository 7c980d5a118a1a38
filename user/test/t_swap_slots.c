/*
 * t_swap_slots - swap slots are copied by fork and come back: t_swap_slots [DEV]
 *
 *  1. fork of a process with swapped-out pages reads nothing from disk: the parent holds
 *     120% of MemTotal, partly in swap; a child that touches nothing is forked, looked at
 *     (its VmSwap is the parent's: the swap entries were copied) and let exit, and pswpin
 *     and SwapFree are what they were before the fork;
 *  2. munmap, MADV_DONTNEED (after which the pages read as zeros), exit and exec each
 *     give every slot back: no slot is left that no process holds (SwapFree is back to
 *     its baseline but for what other processes have in swap: VmSwap and SwapCached).
 * Then swapoff succeeds.
 */
#include "swapt.h"

static size_t size;

/* fill - a fresh region of size bytes, all written (so part of it goes to swap). */
static char *fill(uint64_t seed)
{
	char *p = swapt_map(size);

	if (!p)
		die("mmap %zu: %s", size, strerror(errno));
	for (size_t i = 0; i < size / PAGE_SIZE; i++)
		swapt_fill(p + i * PAGE_SIZE, seed, i);
	return p;
}

/* fork_idle - fork a child that waits on a pipe, then exits; 1 if nothing was read. */
static int fork_idle(int report)
{
	long in0 = swapt_vmstat("pswpin"), free0 = meminfo_kb("SwapFree"), mine, its, in1;
	int p[2], ready[2], st;
	char c = 0;
	pid_t pid;

	xpipe(p);
	xpipe(ready);
	pid = must_fork();
	if (pid == 0) {
		write(ready[1], &c, 1);
		read(p[0], &c, 1);
		_exit(0);
	}
	read(ready[0], &c, 1);
	close(ready[0]);
	close(ready[1]);
	mine = swapt_status_kb(getpid(), "VmSwap");
	its = swapt_status_kb(pid, "VmSwap");
	write(p[1], &c, 1);
	st = wait_pid(pid);
	close(p[0]);
	close(p[1]);
	in1 = swapt_vmstat("pswpin");
	if (!report)
		return 1;
	CHECK_EXIT(st, 0, "the idle child exits");
	/* (Linux 6.1's own count of a task lags by up to 64 pages: allow that there.) */
	CHECK(mine > 0 && labs(its - mine) <= (on_holstein() ? 0 : 256),
	      "the child's VmSwap is the parent's (%ld, %ld kB)", its, mine);
	CHECK(in1 == in0, "fork + exit + wait read nothing from swap (pswpin %ld -> %ld)", in0,
	      in1);
	CHECK(meminfo_kb("SwapFree") == free0, "and took no slot (SwapFree %ld -> %ld kB)", free0,
	      meminfo_kb("SwapFree"));
	return in1 == in0;
}

/* released - after a release: report that no slot is left unowned. */
static void released(const char *how, long base)
{
	long u = swapt_unowned_kb();

	CHECK(u <= base + swapt_slack_kb(), "%s gives every slot back (%ld kB unowned, baseline %ld; SwapFree %ld"
	      " of %ld kB)", how, u, base, meminfo_kb("SwapFree"), meminfo_kb("SwapTotal"));
}

int main(int argc, char **argv)
{
	const char *dev;
	long base;
	char *p;
	int st;

	t_init();
	if (argc == 2 && !strcmp(argv[1], "--exec-wait")) {
		char c = 0;	/* the exec'd image: tell the parent (fd 3), wait for it (fd 0) */

		write(3, &c, 1);
		read(0, &c, 1);
		return 0;
	}
	if (!(dev = swapt_device(argc, argv, "t_swap_slots")))
		return t_done("t_swap_slots");
	if (!CHECK(swapt_on(dev) == 0, "swapon %s", dev))
		return t_done("t_swap_slots");
	size = swapt_ram(120);
	base = swapt_unowned_kb();
	CHECK(base <= swapt_slack_kb(), "baseline: every slot in use is held (%ld kB unowned)", base);

	p = fill(1);
	fork_idle(0);	/* warm up: the code and stack of what is measured come back first */
	fork_idle(1);
	CHECK(munmap(p, size) == 0, "munmap");
	released("munmap", base);

	p = fill(2);
	CHECK(swapt_status_kb(getpid(), "VmSwap") > 0, "part of a new region is in swap");
	CHECK(madvise(p, size, MADV_DONTNEED) == 0, "madvise MADV_DONTNEED");
	released("MADV_DONTNEED", base);
	CHECK(p[0] == 0 && p[size / 2] == 0 && p[size - 1] == 0, "and the pages read as zeros");
	munmap(p, size);

	pid_t pid = must_fork();

	if (pid == 0) {
		fill(3);
		_exit(0);
	}
	CHECK_EXIT(wait_pid(pid), 0, "a child filled 120%% of MemTotal and exited");
	released("exit", base);

	int in[2], ready[2];
	char c;

	xpipe(in);
	xpipe(ready);
	pid = must_fork();
	if (pid == 0) {
		fill(4);
		dup2(in[0], 0);
		dup2(ready[1], 3);
		execl(argv[0], argv[0], "--exec-wait", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(ready[1]);
	CHECK(read(ready[0], &c, 1) == 1, "the child filled its region and exec'd");
	close(ready[0]);
	CHECK(swapt_status_kb(pid, "VmSwap") == 0, "after exec the child has nothing in swap");
	released("exec", base);
	write(in[1], "x", 1);
	close(in[1]);
	st = wait_pid(pid);
	CHECK_EXIT(st, 0, "the exec'd child exits");
	CHECK(swapoff(dev) == 0, "swapoff %s", dev);
	return t_done("t_swap_slots");
}
