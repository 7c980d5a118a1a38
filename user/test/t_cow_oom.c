/*
 * t_cow_oom - running out of memory (Holstein only: under qemu-user it would exhaust the
 * host). First a child of a parent holding 60% of RAM writes every shared page: the
 * copies cannot all fit, so the child must die (SIGKILL from the OOM path); the parent
 * holding the originals must survive. Then a child allocates and touches memory until it
 * is killed or its mmap/brk fails with ENOMEM. Each time MemFree must return to where it was.
 */
#include "ulib.h"
#include <sys/mman.h>

#define TOLERANCE_KB 128

/* cow_hog - child body: write every page of the inherited buffer, forcing copies. */
static void cow_hog(void *arg)
{
	char *buf = ((char **)arg)[0];
	size_t size = (size_t)((char **)arg)[1];

	for (size_t off = 0; off < size; off += PAGE_SIZE)
		buf[off] = 2;
	_exit(0); /* only if everything fitted, which it cannot */
}

/* alloc_hog - child body: take 1 MiB after 1 MiB from mmap, then brk, touching all. */
static void alloc_hog(void *arg)
{
	(void)arg;
	for (;;) {
		char *p =
		    mmap(NULL, MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			break;
		for (size_t off = 0; off < MiB; off += PAGE_SIZE)
			p[off] = 1;
	}
	if (errno != ENOMEM)
		_exit(2);
	for (;;) {
		char *p = sbrk(64 * KiB);

		if (p == (void *)-1)
			_exit(errno == ENOMEM ? 0 : 3);
		for (size_t off = 0; off < 64 * KiB; off += PAGE_SIZE)
			p[off] = 1;
	}
}

/* main - the two exhaustion scenarios with MemFree checks around each. */
int main(void)
{
	size_t size;
	char *buf;
	void *args[2];
	long before, after;
	int st;

	t_init();
	if (!on_holstein()) {
		printf("SKIP: t_cow_oom runs only on Holstein (it would exhaust the host)\n");
		return 0;
	}
	size = ram_share(60, 0);
	buf = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!CHECK(buf != MAP_FAILED, "map %zu MiB (60%% of RAM)", size / MiB))
		return t_done("t_cow_oom");
	for (size_t off = 0; off < size; off += PAGE_SIZE)
		buf[off] = 1;
	args[0] = buf;
	args[1] = (void *)size;

	before = meminfo_kb("MemFree");
	st = run_child(cow_hog, args);
	CHECK_SIG(st, SIGKILL, "child copying 60%% of RAM is killed by the OOM path");
	after = settled_memfree(before - TOLERANCE_KB);
	CHECK(after >= before - TOLERANCE_KB, "MemFree back after the COW OOM (%ld -> %ld kB)",
	      before, after);
	{
		size_t bad = 0;

		for (size_t off = 0; off < size; off += PAGE_SIZE)
			bad += buf[off] != 1;
		CHECK(bad == 0, "parent survives with its pages intact (%zu bad)", bad);
	}
	munmap(buf, size);

	before = meminfo_kb("MemFree");
	st = run_child(alloc_hog, NULL);
	CHECK((WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) ||
		  (WIFEXITED(st) && WEXITSTATUS(st) == 0),
	      "allocating child is killed or stops at ENOMEM (%s)", status_str(st));
	after = settled_memfree(before - TOLERANCE_KB);
	CHECK(after >= before - TOLERANCE_KB,
	      "MemFree back after the allocation OOM (%ld -> %ld kB)", before, after);
	return t_done("t_cow_oom");
}
