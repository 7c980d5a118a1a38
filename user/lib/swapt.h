/*
 * swapt.h - what the swap tests (user/test/t_swap*.c) share: finding the swap device,
 * swapon/swapoff, the counters (/proc/meminfo, /proc/vmstat, VmSwap), per-page patterns,
 * a pipe barrier and the slot leak measure.
 *
 * The swap device is the one named as the test's last argument, or else the last /dev/vdX
 * whose first page says "SWAPSPACE2" (scripts/run-qemu --swap attaches such a disk after
 * every other).  Without one (as the plain testrun suite and the oracle run them) a test
 * says SKIP and passes.
 */
#ifndef HOLSTEIN_SWAPT_H
#define HOLSTEIN_SWAPT_H

#include "ulib.h"
#include <dirent.h>
#include <sys/mman.h>
#include <sys/swap.h>

/* swapt_is_swap - does @path start with a SWAPSPACE2 header (the signature at 4086)? */
static inline int swapt_is_swap(const char *path)
{
	char sig[10];
	int fd = open(path, O_RDONLY | O_CLOEXEC), ok;

	if (fd < 0)
		return 0;
	ok = pread(fd, sig, sizeof(sig), 4096 - 10) == (ssize_t)sizeof(sig) &&
	     memcmp(sig, "SWAPSPACE2", 10) == 0;
	close(fd);
	return ok;
}

/*
 * swapt_device - the swap device: argv's last argument if it is a path under /dev, else
 * the last /dev/vdX with a swap signature; NULL (after a SKIP line) if there is none or
 * this is not Holstein (under qemu-riscv64 swapon would be the host's).
 */
static inline const char *swapt_device(int argc, char **argv, const char *name)
{
	static char path[32];

	if (!on_holstein() && !getenv("SWAPT_ANY_KERNEL")) {	/* set to try them on Linux */
		t_skip("%s: swap tests run only on Holstein (the oracle's swapon is the host's)", name);
		return NULL;
	}
	if (argc > 1 && !strncmp(argv[argc - 1], "/dev/", 5))
		return argv[argc - 1];
	for (char c = 'z'; c >= 'a'; c--) {
		snprintf(path, sizeof(path), "/dev/vd%c", c);
		if (swapt_is_swap(path))
			return path;
	}
	t_skip("%s: no swap device (scripts/run-qemu --swap SIZE attaches one)", name);
	return NULL;
}

/* swapt_ram - @percent of MemTotal in bytes, page aligned (uncapped: only in a guest). */
static inline size_t swapt_ram(unsigned percent)
{
	long kb = meminfo_kb("MemTotal");

	return kb > 0 ? ((size_t)kb * 1024 / 100 * percent) & ~(PAGE_SIZE - 1) : 0;
}

/* swapt_on - swapon(@dev); one left on by an earlier failed test is turned off first. */
static inline int swapt_on(const char *dev)
{
	if (swapon(dev, 0) == 0)
		return 0;
	if (errno != EBUSY)
		return -1;
	if (swapoff(dev) < 0)
		return -1;
	return swapon(dev, 0);
}

/* swapt_vmstat - a /proc/vmstat counter ("pswpout"), or -1. */
static inline long swapt_vmstat(const char *key)
{
	char buf[8192];

	if (read_small_file("/proc/vmstat", buf, sizeof(buf)) < 0)
		return -1;
	return field_value(buf, key);
}

/* swapt_status_kb - a kB field of /proc/PID/status ("VmSwap"), or -1. */
static inline long swapt_status_kb(pid_t pid, const char *key)
{
	char path[64], buf[4096];

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (read_small_file(path, buf, sizeof(buf)) < 0)
		return -1;
	return field_value(buf, key);
}

/* swapt_used_kb - swap in use: SwapTotal - SwapFree (kB). */
static inline long swapt_used_kb(void)
{
	return meminfo_kb("SwapTotal") - meminfo_kb("SwapFree");
}

/*
 * swapt_unowned_once - slots in use that nobody holds: SwapTotal - SwapFree, less the swap
 * cache (a page read back keeps its slot there, on Linux too) and the VmSwap of every
 * process (each of its PTEs holding a slot).  At most 0 when nothing leaked; exactly 0 when
 * no process shares a swapped page with another and the cache is empty.  (Linux 6.1 gives
 * freed slots back lazily, through per-CPU caches: there some MiB stay unowned for a while,
 * and a task's own VmSwap lags by up to 64 pages; swapt_slack_kb says how much to allow.)
 */
static inline long swapt_unowned_once(void)
{
	long unowned = swapt_used_kb() - meminfo_kb("SwapCached");
	DIR *d = opendir("/proc");
	struct dirent *e;

	if (!d)
		return 1L << 40;
	while ((e = readdir(d))) {
		long kb;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		kb = swapt_status_kb(atoi(e->d_name), "VmSwap");
		if (kb > 0)
			unowned -= kb;
	}
	closedir(d);
	return unowned;
}

/*
 * swapt_unowned_kb - swapt_unowned_once, the least of a few: the measuring process's own
 * pages (its stack, the directory buffer) may come back from swap while it measures, which
 * counts a page as used before and as no one's after.  A slot truly leaked stays.
 */
static inline long swapt_unowned_kb(void)
{
	long u = swapt_unowned_once(), v;

	for (int i = 0; i < 4 && u > 0; i++)
		if ((v = swapt_unowned_once()) < u)
			u = v;
	return u;
}

/* swapt_slack_kb - unowned kB to allow: 0 on Holstein (slots are freed at once), else 16 MiB. */
static inline long swapt_slack_kb(void)
{
	return on_holstein() ? 0 : 16384;
}

/* swapt_word - word @w of page @idx under @seed: every page and every word differ. */
static inline uint64_t swapt_word(uint64_t seed, size_t idx, size_t w)
{
	return (seed * 0x9e3779b97f4a7c15ULL) ^ ((uint64_t)idx << 20) ^ (w * 0x100000001b3ULL) ^ w;
}

/* swapt_fill - write page @idx's pattern under @seed into @page (all 4096 bytes). */
static inline void swapt_fill(void *page, uint64_t seed, size_t idx)
{
	uint64_t *q = page;

	for (size_t w = 0; w < PAGE_SIZE / 8; w++)
		q[w] = swapt_word(seed, idx, w);
}

/* swapt_check - does @page hold page @idx's pattern under @seed (every word)? */
static inline int swapt_check(const void *page, uint64_t seed, size_t idx)
{
	const volatile uint64_t *q = page;

	for (size_t w = 0; w < PAGE_SIZE / 8; w++)
		if (q[w] != swapt_word(seed, idx, w))
			return 0;
	return 1;
}

/* swapt_map - @bytes of private anonymous memory, or NULL. */
static inline char *swapt_map(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * swapt_hog - in a child, touch @bytes of fresh memory (pushing everyone else's idle
 * pages to swap) and exit; returns the child's wait status.
 */
static inline int swapt_hog(size_t bytes)
{
	pid_t pid = must_fork();

	if (pid == 0) {
		char *p = swapt_map(bytes);

		if (!p)
			_exit(3);
		for (size_t off = 0; off < bytes; off += PAGE_SIZE)
			p[off] = 1;
		_exit(0);
	}
	return wait_pid(pid);
}

/* A barrier over pipes: the parent lets n children go, then waits for n replies. */
struct swapt_bar {
	int go[2], done[2];
};

/* swapt_bar_init - two pipes, or die. */
static inline void swapt_bar_init(struct swapt_bar *b)
{
	xpipe(b->go);
	xpipe(b->done);
}

/* swapt_bar_wait - a child: wait for the parent's go (0, or -1 if the parent is gone). */
static inline int swapt_bar_wait(struct swapt_bar *b)
{
	char c;

	while (read(b->go[0], &c, 1) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

/* swapt_bar_done - a child: tell the parent this step is done. */
static inline void swapt_bar_done(struct swapt_bar *b)
{
	char c = 1;

	while (write(b->done[1], &c, 1) < 0 && errno == EINTR)
		;
}

/* swapt_bar_step - the parent: let @n children go and wait for @n dones; how many came. */
static inline int swapt_bar_step(struct swapt_bar *b, int n)
{
	char c = 1;
	int got = 0;

	for (int i = 0; i < n; i++)
		while (write(b->go[1], &c, 1) < 0 && errno == EINTR)
			;
	while (got < n) {
		ssize_t r = read(b->done[0], &c, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got++;
	}
	return got;
}

#endif
