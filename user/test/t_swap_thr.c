/*
 * t_swap_thr - threads and swap: t_swap_thr [DEV]
 *
 * 4 threads of one process, on every hart, each fill their own region (together 120% of
 * MemTotal) with a pattern, then read it back and rewrite it under a new seed, three
 * rounds, all at once.  Pages go out to swap while other threads of the same mm run on
 * other harts: a page whose frame was reused while a stale TLB entry still maps it would
 * show another thread's bytes.  Every page must read back as its thread last wrote it.
 * Then the main thread reads everything once more, munmaps, and swapoff succeeds.
 */
#include "swapt.h"
#include <pthread.h>

#define NTHR 4
#define ROUNDS 3

static size_t per;	/* pages per thread */
static char *region[NTHR];
static size_t bad[NTHR];

/* worker - thread t's rounds: check the last seed's pattern, write the next one. */
static void *worker(void *arg)
{
	long t = (long)arg;
	char *r = region[t];

	for (size_t i = 0; i < per; i++)
		swapt_fill(r + i * PAGE_SIZE, 100 * t, i);
	for (int round = 1; round <= ROUNDS; round++)
		for (size_t i = 0; i < per; i++) {
			char *p = r + i * PAGE_SIZE;

			bad[t] += !swapt_check(p, 100 * t + round - 1, i);
			swapt_fill(p, 100 * t + round, i);
		}
	return NULL;
}

int main(int argc, char **argv)
{
	const char *dev;
	pthread_t th[NTHR];
	size_t total = 0, last = 0;

	t_init();
	if (!(dev = swapt_device(argc, argv, "t_swap_thr")))
		return t_done("t_swap_thr");
	if (!CHECK(swapt_on(dev) == 0, "swapon %s", dev))
		return t_done("t_swap_thr");
	per = swapt_ram(120) / NTHR / PAGE_SIZE;
	for (int t = 0; t < NTHR; t++)
		if (!CHECK((region[t] = swapt_map(per * PAGE_SIZE)), "map thread %d's region", t))
			return t_done("t_swap_thr");
	long out0 = swapt_vmstat("pswpout");

	for (long t = 0; t < NTHR; t++)
		if (!CHECK(pthread_create(&th[t], NULL, worker, (void *)t) == 0, "thread %ld", t))
			return t_done("t_swap_thr");
	for (int t = 0; t < NTHR; t++) {
		pthread_join(th[t], NULL);
		total += bad[t];
	}
	CHECK(total == 0, "%d threads x %zu MiB, %d rounds: every page as its thread wrote it"
	      " (%zu differ)", NTHR, per * PAGE_SIZE / MiB, ROUNDS, total);
	CHECK(swapt_vmstat("pswpout") > out0, "pages went to swap (pswpout +%ld)",
	      swapt_vmstat("pswpout") - out0);
	for (int t = 0; t < NTHR; t++)
		for (size_t i = 0; i < per; i++)
			last += !swapt_check(region[t] + i * PAGE_SIZE, 100 * t + ROUNDS, i);
	CHECK(last == 0, "the main thread reads every thread's last pattern (%zu differ)", last);
	for (int t = 0; t < NTHR; t++)
		munmap(region[t], per * PAGE_SIZE);
	CHECK(swapt_unowned_kb() <= swapt_slack_kb(), "no slot is left that no process holds (%ld kB)",
	      swapt_unowned_kb());
	CHECK(swapoff(dev) == 0, "swapoff %s", dev);
	return t_done("t_swap_thr");
}
