/*
 * t_swap_oom - the OOM killer still runs when swap is full: t_swap_oom [DEV]
 *
 * A hog child takes memory 1 MiB at a time, touching every page and telling the parent
 * how far it got, without end: bigger than RAM and swap together.  It must die of SIGKILL,
 * and only once swap is (nearly) full: it got past SwapTotal before it died.  The test
 * itself survives, its own pattern intact; afterwards no slot is left unowned and
 * swapoff succeeds.
 */
#include "swapt.h"

int main(int argc, char **argv)
{
	const char *dev;
	size_t mine = swapt_ram(10), bad = 0;
	long total, got = 0, mib;
	int p[2], st;
	char *buf;

	t_init();
	if (!(dev = swapt_device(argc, argv, "t_swap_oom")))
		return t_done("t_swap_oom");
	if (!CHECK(swapt_on(dev) == 0, "swapon %s", dev))
		return t_done("t_swap_oom");
	total = meminfo_kb("SwapTotal");
	if (!CHECK((buf = swapt_map(mine)), "map 10%% of MemTotal"))
		return t_done("t_swap_oom");
	for (size_t i = 0; i < mine / PAGE_SIZE; i++)
		swapt_fill(buf + i * PAGE_SIZE, 5, i);
	xpipe(p);
	pid_t pid = must_fork();

	if (pid == 0) {
		close(p[0]);
		for (long n = 1;; n++) {
			char *q = swapt_map(MiB);

			if (!q)
				_exit(3);
			for (size_t off = 0; off < MiB; off += PAGE_SIZE)
				q[off] = 1;
			if (write(p[1], &n, sizeof(n)) != sizeof(n))
				_exit(4);
		}
	}
	close(p[1]);
	while (read(p[0], &mib, sizeof(mib)) == sizeof(mib))
		got = mib;
	close(p[0]);
	st = wait_pid(pid);
	CHECK_SIG(st, SIGKILL, "the hog is killed (after %ld MiB)", got);
	CHECK(got * 1024 > total, "not before it had filled swap: %ld MiB touched, SwapTotal %ld"
	      " MiB", got, total / 1024);
	for (size_t i = 0; i < mine / PAGE_SIZE; i++)
		bad += !swapt_check(buf + i * PAGE_SIZE, 5, i);
	CHECK(bad == 0, "the test survives with its pages intact (%zu differ)", bad);
	munmap(buf, mine);
	CHECK(swapt_unowned_kb() <= swapt_slack_kb(), "no slot is left unowned (%ld kB; SwapFree %ld of %ld kB)",
	      swapt_unowned_kb(), meminfo_kb("SwapFree"), total);
	CHECK(swapoff(dev) == 0, "swapoff %s", dev);
	return t_done("t_swap_oom");
}
