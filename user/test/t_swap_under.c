/*
 * t_swap_under - other programs under memory pressure with swap on:
 *     t_swap_under [-p PERCENT] PROGRAM [ARG...]
 *
 * swapon the swap disk; a holder process takes PERCENT (default 85) of MemTotal and keeps
 * going over it, page after page, writing a pass number and checking the last one, so
 * that whatever PROGRAM uses competes with it for frames and goes to swap and back.  Then
 * PROGRAM runs; it must exit 0.  The holder must have found every page as it left it,
 * pages must have gone to swap meanwhile (pswpout grew), no slot is left unowned after,
 * and swapoff succeeds.  Without a swap device (or under the oracle) it says SKIP.
 */
#include "swapt.h"

static volatile sig_atomic_t stop;

/* on_term - the holder is told to finish its pass and report. */
static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* holder - pass after pass over @bytes: check word 0 of each page, write the next pass. */
static void holder(size_t bytes, int ready)
{
	uint64_t *p = (uint64_t *)swapt_map(bytes), pass = 1, bad = 0;
	size_t n = bytes / PAGE_SIZE, stride = PAGE_SIZE / 8;

	signal(SIGTERM, on_term);
	if (!p)
		_exit(3);
	for (size_t i = 0; i < n; i++)
		p[i * stride] = (pass << 32) | i;
	write(ready, "r", 1);
	while (!stop) {
		for (size_t i = 0; i < n; i++) {
			bad += p[i * stride] != ((pass << 32) | i);
			p[i * stride] = ((pass + 1) << 32) | i;
		}
		pass++;
	}
	if (bad)
		printf("FAIL: holder: %llu pages were not as it left them\n", (unsigned long long)bad);
	_exit(bad ? 1 : 0);
}

int main(int argc, char **argv)
{
	const char *dev;
	unsigned pct = 85;
	int a = 1, ready[2], st;
	long out0;
	char c;
	pid_t h, pid;

	t_init();
	if (argc > 3 && !strcmp(argv[1], "-p")) {
		pct = (unsigned)atoi(argv[2]);
		a = 3;
	}
	if (a >= argc) {	/* as testrun runs every test: nothing to run */
		t_skip("t_swap_under: usage: t_swap_under [-p PERCENT] PROGRAM [ARG...]");
		return t_done("t_swap_under");
	}
	if (!(dev = swapt_device(1, argv, "t_swap_under")))
		return t_done("t_swap_under");
	if (!CHECK(swapt_on(dev) == 0, "swapon %s", dev))
		return t_done("t_swap_under");
	out0 = swapt_vmstat("pswpout");
	xpipe(ready);
	if ((h = must_fork()) == 0)
		holder(swapt_ram(pct), ready[1]);
	CHECK(read(ready[0], &c, 1) == 1, "a holder keeps going over %u%% of MemTotal", pct);
	if ((pid = must_fork()) == 0) {
		execv(argv[a], argv + a);
		_exit(127);
	}
	st = wait_pid(pid);
	CHECK_EXIT(st, 0, "%s passes under pressure", argv[a]);
	kill(h, SIGTERM);
	CHECK_EXIT(wait_pid(h), 0, "the holder found every page as it left it");
	CHECK(swapt_vmstat("pswpout") > out0, "pages went to swap meanwhile (pswpout +%ld, pswpin"
	      " %ld)", swapt_vmstat("pswpout") - out0, swapt_vmstat("pswpin"));
	CHECK(swapt_unowned_kb() <= swapt_slack_kb(), "no slot is left unowned (%ld kB)", swapt_unowned_kb());
	CHECK(swapoff(dev) == 0, "swapoff %s", dev);
	return t_done("t_swap_under");
}
