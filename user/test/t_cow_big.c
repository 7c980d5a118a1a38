/*
 * t_cow_big - fork while holding 60% of RAM (capped at 64 MiB off Holstein), three times.
 * Without copy-on-write the second copy cannot fit; with it the child only pays for the
 * pages it writes. After each round the child's memory must all come back (MemFree within
 * a small tolerance of before the fork; checked on Holstein only).
 */
#include "ulib.h"

#define TOLERANCE_KB 128
#define ROUNDS 3

/* word_for - the value stored at word w of page pg by generation gen (0 = parent). */
static uint64_t word_for(size_t pg, size_t w, int gen)
{
	return (pg << 20 | w) * 0x9e3779b97f4a7c15ULL ^ (uint64_t)gen << 60;
}

/* fill_page - write gen's pattern into a few words spread over page pg. */
static void fill_page(uint64_t *page, size_t pg, int gen)
{
	for (size_t w = 0; w < PAGE_SIZE / 8; w += 127)
		page[w] = word_for(pg, w, gen);
}

/* page_ok - whether page pg holds gen's pattern. */
static int page_ok(const uint64_t *page, size_t pg, int gen)
{
	for (size_t w = 0; w < PAGE_SIZE / 8; w += 127)
		if (page[w] != word_for(pg, w, gen))
			return 0;
	return 1;
}

/*
 * child - check a sample of the inherited pages, then write 1% of them (copying those)
 * and check every page: the copies hold the new data, the rest still the parent's.
 * Exits 0 when all is well.
 */
static void child(char *buf, size_t npages)
{
	int bad = 0;

	for (size_t pg = 0; pg < npages; pg += 7)
		bad += !page_ok((uint64_t *)(buf + pg * PAGE_SIZE), pg, 0);
	for (size_t pg = 0; pg < npages; pg += 97)
		fill_page((uint64_t *)(buf + pg * PAGE_SIZE), pg, 1);
	for (size_t pg = 0; pg < npages; pg++)
		bad += !page_ok((uint64_t *)(buf + pg * PAGE_SIZE), pg, pg % 97 == 0 ? 1 : 0);
	if (bad)
		printf("FAIL: child found %d bad pages\n", bad);
	_exit(bad ? 1 : 0);
}

/* main - allocate, touch, then fork ROUNDS times checking contents and MemFree. */
int main(void)
{
	size_t size = ram_share(60, 64 * MiB), npages = size / PAGE_SIZE;
	char *buf = malloc(size);
	int holstein = on_holstein();

	t_init();
	if (!CHECK(buf != NULL, "malloc %zu MiB (60%% of RAM or the cap)", size / MiB))
		return t_done("t_cow_big");
	for (size_t pg = 0; pg < npages; pg++)
		fill_page((uint64_t *)(buf + pg * PAGE_SIZE), pg, 0);
	if (!holstein)
		t_skip("MemFree leak checks (not on Holstein)");
	for (int round = 0; round < ROUNDS; round++) {
		long before = holstein ? meminfo_kb("MemFree") : 0, after;
		size_t bad = 0;
		pid_t pid = xfork();

		if (pid == 0)
			child(buf, npages);
		if (!CHECK(pid > 0, "round %d: fork with %zu MiB touched", round, size / MiB))
			break;
		CHECK_EXIT(wait_pid(pid), 0,
			   "round %d: child sees the parent's data and its own writes", round);
		for (size_t pg = 0; pg < npages; pg++)
			bad += !page_ok((uint64_t *)(buf + pg * PAGE_SIZE), pg, 0);
		CHECK(bad == 0, "round %d: parent's pages unchanged by the child (%zu bad)", round,
		      bad);
		if (holstein) {
			after = settled_memfree(before - TOLERANCE_KB);
			CHECK(after >= before - TOLERANCE_KB,
			      "round %d: MemFree back to %ld kB after reaping (was %ld kB)", round,
			      after, before);
		}
	}
	free(buf);
	return t_done("t_cow_big");
}
