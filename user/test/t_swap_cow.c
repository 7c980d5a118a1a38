/*
 * t_swap_cow - copy-on-write pages through swap: t_swap_cow [DEV]
 *
 * The parent fills 30% of MemTotal with a pattern and forks 4 children, which share it.
 * A hog touching all of MemTotal pushes the shared pages out to swap.  Then:
 *  1. everyone (parent and children) reads every page: each sees the parent's pattern, and
 *     the disk was read at most once per page (pswpin grows by at most the region's pages
 *     and a little: a slot comes back once and its frame is shared again, not copied);
 *  2. child k writes its own pattern into the pages i with i % 4 == k; another hog pushes
 *     everything out again; every child finds its own pages its own and all others the
 *     parent's, and the parent finds its pattern everywhere: nobody sees another's writes;
 *  3. all exit: no slot is left that no process holds, swapoff succeeds.
 */
#include "swapt.h"

#define NKIDS 4

static char *buf;
static size_t pages;

/* verify - pages of @buf that differ from what child @k (-1: the parent) should see. */
static size_t verify(int k, int written)
{
	size_t bad = 0;

	for (size_t i = 0; i < pages; i++) {
		int own = written && k >= 0 && (int)(i % NKIDS) == k;

		bad += !swapt_check(buf + i * PAGE_SIZE, own ? 10 + k : 1, i);
	}
	return bad;
}

/* kid - child k's part of steps 1 and 2, each after the parent's go. */
static void kid(struct swapt_bar *b, int k)
{
	size_t bad;
	int fail = 0;

	if (swapt_bar_wait(b) < 0)	/* step 1: read everything */
		_exit(2);
	if ((bad = verify(k, 0))) {
		printf("FAIL: child %d: %zu pages are not the parent's after swap-in\n", k, bad);
		fail = 1;
	}
	swapt_bar_done(b);
	if (swapt_bar_wait(b) < 0)	/* step 2a: write own pages */
		_exit(2);
	for (size_t i = k; i < pages; i += NKIDS)
		swapt_fill(buf + i * PAGE_SIZE, 10 + k, i);
	swapt_bar_done(b);
	if (swapt_bar_wait(b) < 0)	/* step 2b: after the second hog, check */
		_exit(2);
	if ((bad = verify(k, 1))) {
		printf("FAIL: child %d: %zu pages are not what it should see\n", k, bad);
		fail = 1;
	}
	swapt_bar_done(b);
	_exit(fail);
}

int main(int argc, char **argv)
{
	const char *dev;
	struct swapt_bar b;
	pid_t kids[NKIDS];
	size_t size, bad;
	long in0, in1, unowned;
	int st, ok = 1;

	t_init();
	if (!(dev = swapt_device(argc, argv, "t_swap_cow")))
		return t_done("t_swap_cow");
	if (!CHECK(swapt_on(dev) == 0, "swapon %s", dev))
		return t_done("t_swap_cow");
	size = swapt_ram(30);
	pages = size / PAGE_SIZE;
	if (!CHECK((buf = swapt_map(size)), "map %zu MiB", size / MiB))
		return t_done("t_swap_cow");
	for (size_t i = 0; i < pages; i++)
		swapt_fill(buf + i * PAGE_SIZE, 1, i);
	swapt_bar_init(&b);
	for (int k = 0; k < NKIDS; k++)
		if ((kids[k] = must_fork()) == 0)
			kid(&b, k);
	close(b.go[0]);
	close(b.done[1]);

	CHECK_EXIT(swapt_hog(swapt_ram(100)), 0, "a hog touched all of MemTotal");
	CHECK(swapt_status_kb(getpid(), "VmSwap") > 0, "the shared pages went to swap (parent's"
	      " VmSwap %ld kB, child 0's %ld kB)", swapt_status_kb(getpid(), "VmSwap"),
	      swapt_status_kb(kids[0], "VmSwap"));
	in0 = swapt_vmstat("pswpin");
	bad = verify(-1, 0);
	CHECK(bad == 0, "step 1: the parent reads its pattern back (%zu differ)",
	      bad);
	CHECK(swapt_bar_step(&b, NKIDS) == NKIDS, "step 1: %d children read every page", NKIDS);
	in1 = swapt_vmstat("pswpin");
	CHECK(in1 - in0 <= (long)(pages + pages / 8 + 64),
	      "step 1: %d processes read %zu shared pages with %ld reads from swap (once each)",
	      NKIDS + 1, pages, in1 - in0);
	CHECK(swapt_bar_step(&b, NKIDS) == NKIDS, "step 2: each child wrote its own pages");
	CHECK_EXIT(swapt_hog(swapt_ram(100)), 0, "a second hog touched all of MemTotal");
	CHECK(swapt_bar_step(&b, NKIDS) == NKIDS, "step 2: every child checked what it sees");
	for (int k = 0; k < NKIDS; k++) {
		st = wait_pid(kids[k]);
		ok &= WIFEXITED(st) && WEXITSTATUS(st) == 0;
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			printf("child %d: %s\n", k, status_str(st));
	}
	CHECK(ok, "no child saw another's writes, each saw its own");
	bad = verify(-1, 0);
	CHECK(bad == 0, "the parent's pattern is intact (%zu differ)", bad);
	CHECK(munmap(buf, size) == 0, "munmap");
	unowned = swapt_unowned_kb();
	CHECK(unowned <= swapt_slack_kb(), "no slot is left that no process holds (%ld kB)", unowned);
	CHECK(swapoff(dev) == 0, "swapoff %s", dev);
	return t_done("t_swap_cow");
}
