/*
 * t_swap_eio - a page that cannot be read back from swap: t_swap_eio -e MAXSLOT [DEV]
 *
 * Needs a swap disk behind QEMU's blkdebug set up as tests/guest/swap does: every flush of
 * the disk moves blkdebug's state one on (from 1), and in state 2k reads of slot k (sector
 * 8k) fail with EIO, for k < MAXSLOT.  Without -e it says SKIP (any other disk reads fine).
 *
 * Two processes V1, V2 share a region copy-on-write, a third Q has its own; a hog pushes
 * them all out to swap.  The test finds on the raw device the slot s holding one of the
 * shared pages (its pattern is unique), and flushes the disk 2s-1 times: from then on that
 * slot cannot be read.  Then V1 and V2 each read every other page intact and die of SIGBUS
 * at that page; Q reads all of its region; the test itself and the kernel go on.  No slot
 * is left unowned; swapoff succeeds.  (blkdebug keeps failing that slot from then on, so
 * the test runs alone, last, in a boot of its own.)
 */
#include "swapt.h"

#define SEED 42

/* victim - V1/V2: wait, check all but page @j, then touch @j: exit 1 if it reads at all. */
static void victim(int go, const char *r, size_t pages, size_t j)
{
	char c;
	size_t bad = 0;

	if (read(go, &c, 1) != 1)
		_exit(2);
	for (size_t i = 0; i < pages; i++)
		if (i != j)
			bad += !swapt_check(r + i * PAGE_SIZE, SEED, i);
	if (bad) {
		printf("FAIL: %d: %zu readable pages differ\n", getpid(), bad);
		_exit(3);
	}
	*(volatile const char *)(r + j * PAGE_SIZE);
	_exit(1);
}

/*
 * find_slot - the lowest slot below @max that holds a page of the region (seed SEED) and
 * is the only copy of that page on @fd; its page index in *@j.  0 if there is none.
 */
static long find_slot(int fd, long max, size_t pages, size_t *j)
{
	static char page[PAGE_SIZE] __attribute__((aligned(4096)));
	unsigned char *seen = calloc(pages, 1);
	long *where = calloc(pages, sizeof(long)), best = 0;

	for (long s = 1; s < max; s++) {
		uint64_t w0;
		size_t i;

		if (pread(fd, page, PAGE_SIZE, (off_t)s * PAGE_SIZE) != PAGE_SIZE)
			break;
		memcpy(&w0, page, 8);
		i = (size_t)((w0 ^ swapt_word(SEED, 0, 0)) >> 20);
		if (i < pages && swapt_check(page, SEED, i) && seen[i] < 2) {
			seen[i]++;
			where[i] = s;
		}
	}
	for (size_t i = 0; i < pages; i++)
		if (seen[i] == 1 && (!best || where[i] < best)) {
			best = where[i];
			*j = i;
		}
	free(seen);
	free(where);
	return best;
}

int main(int argc, char **argv)
{
	const char *dev;
	size_t size = swapt_ram(20), pages = size / PAGE_SIZE, qsize = swapt_ram(10);
	size_t j = 0;
	long max, s;
	int go[3][2], fd, st1, st2, stq;
	char *r;
	pid_t v1 = 0, v2 = 0, q;

	t_init();
	if (argc < 3 || strcmp(argv[1], "-e")) {
		t_skip("t_swap_eio: needs -e MAXSLOT and a disk that fails as tests/guest/swap sets up");
		return t_done("t_swap_eio");
	}
	max = atol(argv[2]);
	if (!(dev = swapt_device(argc, argv, "t_swap_eio")))
		return t_done("t_swap_eio");
	if (!CHECK(swapt_on(dev) == 0, "swapon %s", dev))
		return t_done("t_swap_eio");
	if (!CHECK((r = swapt_map(size)), "map"))
		return t_done("t_swap_eio");
	for (size_t i = 0; i < pages; i++)
		swapt_fill(r + i * PAGE_SIZE, SEED, i);
	/* Each child waits on a pipe of its own; the victims read j there before the go. */
	for (int k = 0; k < 3; k++)
		xpipe(go[k]);
	for (int k = 0; k < 2; k++) {
		pid_t pid = must_fork();

		if (pid == 0) {
			size_t jj;

			if (read(go[k][0], &jj, sizeof(jj)) != sizeof(jj))
				_exit(2);
			victim(go[k][0], r, pages, jj);
		}
		if (k == 0)
			v1 = pid;
		else
			v2 = pid;
	}
	munmap(r, size);
	if ((q = must_fork()) == 0) {
		char *m = swapt_map(qsize), c;
		size_t bad = 0;

		for (size_t i = 0; i < qsize / PAGE_SIZE; i++)
			swapt_fill(m + i * PAGE_SIZE, SEED + 1, i);
		if (read(go[2][0], &c, 1) != 1)
			_exit(2);
		for (size_t i = 0; i < qsize / PAGE_SIZE; i++)
			bad += !swapt_check(m + i * PAGE_SIZE, SEED + 1, i);
		_exit(bad ? 1 : 0);
	}
	CHECK_EXIT(swapt_hog(swapt_ram(90)), 0, "a hog pushed the others out to swap");
	/* O_DIRECT: Linux would answer the second read of a slot from its page cache. */
	fd = open(dev, O_RDONLY | O_CLOEXEC | O_DIRECT);
	if (fd < 0 && errno == EINVAL)
		fd = open(dev, O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0, "open %s to look at its slots", dev);
	s = find_slot(fd, max, pages, &j);
	if (!CHECK(s > 0, "a shared page is in slot %ld (page %zu of %zu)", s, j, pages))
		s = 0;
	for (long k = 1; k < 2 * s; k++)
		if (fsync(fd) < 0)
			break;
	if (s) {
		static char page[PAGE_SIZE] __attribute__((aligned(4096)));

		errno = 0;
		CHECK(pread(fd, page, PAGE_SIZE, (off_t)s * PAGE_SIZE) < 0 && errno == EIO,
		      "after %ld flushes slot %ld cannot be read from the device (EIO)", 2 * s - 1, s);
	}
	for (int k = 0; k < 2; k++)
		write(go[k][1], &j, sizeof(j));
	/* V1 first, then V2, then Q: each is let go when the one before is done. */
	write(go[0][1], "g", 1);
	st1 = wait_pid(v1);
	CHECK_SIG(st1, SIGBUS, "V1 reads every other page, then dies of SIGBUS at page %zu", j);
	write(go[1][1], "g", 1);
	st2 = wait_pid(v2);
	CHECK_SIG(st2, SIGBUS, "V2 too (the failed read left nothing behind to map)");
	write(go[2][1], "g", 1);
	stq = wait_pid(q);
	CHECK_EXIT(stq, 0, "Q, who needs no bad page, reads all of its own");
	close(fd);
	CHECK(swapt_unowned_kb() <= swapt_slack_kb(), "no slot is left unowned (%ld kB)", swapt_unowned_kb());
	CHECK(swapoff(dev) == 0, "swapoff %s", dev);
	return t_done("t_swap_eio");
}
