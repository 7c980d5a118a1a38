/*
 * t_cow_gen - three generations share a buffer through copy-on-write: the parent fills
 * it, forks a child, which forks a grandchild. All three, alive at once, then repeatedly
 * write their own pattern into every page and check the whole buffer, while the others do
 * the same. Each must always see exactly its own writes over the original contents: never
 * another generation's data, never a stale original where it wrote.
 * Pipes keep the three in step; there are no sleeps.
 */
#include "ulib.h"

#define ROUNDS 6
#define MARKS 4 /* words written per page per round */

static size_t npages;
static uint64_t *buf;
static int ready[2]; /* children -> parent: "reached the barrier" */
static int go[3][2]; /* parent -> generation g: "pass the barrier" */

/* original - word w of page pg as the parent wrote it before any fork. */
static uint64_t original(size_t pg, size_t w)
{
	return (pg * 512 + w) * 0x9e3779b97f4a7c15ULL;
}

/* mark_word - the index of the m-th word a generation writes in page pg. */
static size_t mark_word(size_t pg, int m)
{
	return (pg * 7 + m * 131) % 512;
}

/* mark - what generation gen writes in round r to page pg. */
static uint64_t mark(int gen, int r, size_t pg)
{
	return 0xc0de000000000000ULL | (uint64_t)gen << 40 | (uint64_t)r << 32 | pg;
}

/* write_round - gen writes its round-r marks into every page. */
static void write_round(int gen, int r)
{
	for (size_t pg = 0; pg < npages; pg++)
		for (int m = 0; m < MARKS; m++)
			buf[pg * 512 + mark_word(pg, m)] = mark(gen, r, pg);
}

/*
 * verify - count words differing from what gen expects after its round r (r < 0: nothing
 * written yet): its own marks of round r, the originals everywhere else.
 */
static size_t verify(int gen, int r)
{
	size_t bad = 0;

	for (size_t pg = 0; pg < npages; pg++) {
		const uint64_t *page = buf + pg * 512;

		for (size_t w = 0; w < 512; w++) {
			int marked = 0;

			for (int m = 0; r >= 0 && m < MARKS; m++)
				marked |= mark_word(pg, m) == w;
			bad += page[w] != (marked ? mark(gen, r, pg) : original(pg, w));
		}
	}
	return bad;
}

/*
 * barrier - all three generations meet: children report on ready and wait on their go
 * pipe; the parent collects both reports and releases both.
 */
static int barrier(int gen)
{
	char c = 'x';

	if (gen > 0)
		return write(ready[1], &c, 1) == 1 && read(go[gen][0], &c, 1) == 1 ? 0 : -1;
	for (int i = 0; i < 2; i++)
		if (read(ready[0], &c, 1) != 1)
			return -1;
	for (int g = 1; g < 3; g++)
		if (write(go[g][1], &c, 1) != 1)
			return -1;
	return 0;
}

/*
 * generation - gen's part: check the inherited originals, meet the others, then write and
 * verify ROUNDS times (meeting again after the first round, when all have their copies).
 * Returns the number of bad words seen.
 */
static size_t generation(int gen)
{
	size_t bad = verify(gen, -1);

	if (barrier(gen) < 0)
		return 1000000;
	for (int r = 0; r < ROUNDS; r++) {
		write_round(gen, r);
		sched_yield(); /* let the others write in between */
		bad += verify(gen, r);
		if (r == 0 && barrier(gen) < 0)
			return 1000000;
	}
	if (bad)
		printf("FAIL: generation %d saw %zu wrong words\n", gen, bad);
	return bad;
}

/* main - set up the buffer and pipes, fork the two younger generations, collect. */
int main(void)
{
	size_t size = ram_share(5, 8 * MiB);
	pid_t child;
	int st;

	t_init();
	if (size > 8 * MiB)
		size = 8 * MiB;
	npages = size / PAGE_SIZE;
	buf = malloc(size);
	if (!CHECK(buf && pipe(ready) == 0 && pipe(go[1]) == 0 && pipe(go[2]) == 0,
		   "allocate %zu KiB and pipes", size / KiB))
		return t_done("t_cow_gen");
	for (size_t i = 0; i < npages * 512; i++)
		buf[i] = original(i / 512, i % 512);

	child = xfork();
	if (child == 0) {
		pid_t grandchild = xfork();
		size_t bad;

		if (grandchild == 0)
			_exit(generation(2) ? 1 : 0);
		bad = generation(1);
		st = wait_pid(grandchild);
		/* Exit 0: all good; 1: we saw bad data; 2: the grandchild did (or died). */
		_exit(bad ? 1 : (WIFEXITED(st) && WEXITSTATUS(st) == 0) ? 0 : 2);
	}
	CHECK(generation(0) == 0, "parent always sees its own writes over the originals");
	st = wait_pid(child);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) != 1, "child always sees its own writes (%s)",
	      status_str(st));
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) != 2, "grandchild always sees its own writes");
	CHECK(verify(0, ROUNDS - 1) == 0, "parent's buffer is intact after the others exited");
	return t_done("t_cow_gen");
}
