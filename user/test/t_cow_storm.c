/*
 * t_cow_storm - a fork storm over copy-on-write memory. Each round the root forks a tree
 * of depth 4 and fan-out 3 (120 descendants, all alive at once). Every process checks the
 * shared region's pattern, writes its own id into its private slot, checks that its slot
 * holds its id and every other slot still the original, and exits with a code its parent
 * expects; parents check each child's code.
 */
#include "ulib.h"

#define DEPTH 4
#define FANOUT 3
#define ROUNDS 2
#define NPROCS 121 /* 1 + 3 + 9 + 27 + 81 */
#define SHARED_PAGES 64

/* The shared region is read by all; slot i (one page each) is written by process i only. */
static uint64_t shared[SHARED_PAGES * 512] __attribute__((aligned(4096)));
static uint64_t slots[NPROCS][512] __attribute__((aligned(4096)));

/* pattern - the original value of word i of the shared region in round r. */
static uint64_t pattern(size_t i, int r)
{
	return i * 0x2545f4914f6cdd1dULL + r;
}

/* slot_word - the original value of word w of slot s (before anyone's own write). */
static uint64_t slot_word(int s, size_t w)
{
	return 0x5107000000000000ULL | (uint64_t)s << 16 | w;
}

/* own_word - what process id writes over its own slot. */
static uint64_t own_word(int id, size_t w)
{
	return 0x0a0e000000000000ULL | (uint64_t)id << 16 | w;
}

/* check_memory - count words that differ from what process id should see. */
static size_t check_memory(int id, int r)
{
	size_t bad = 0;

	for (size_t i = 0; i < SHARED_PAGES * 512; i++)
		bad += shared[i] != pattern(i, r);
	for (int s = 0; s < NPROCS; s++)
		for (size_t w = 0; w < 512; w += 17)
			bad += slots[s][w] != (s == id ? own_word(id, w) : slot_word(s, w));
	return bad;
}

/*
 * storm - the body of process id at depth: fork FANOUT children (ids id*3+1..id*3+3),
 * meanwhile take a private copy of our slot, then check memory and our children's exit
 * codes. Returns the exit code our own parent expects: 100 + our index among siblings,
 * or 1 on any failure.
 */
static int storm(int id, int depth, int r)
{
	pid_t kids[FANOUT];
	int nkids = 0, ok = 1;

	for (int i = 0; depth < DEPTH && i < FANOUT; i++) {
		int cid = id * FANOUT + i + 1;

		kids[i] = xfork();
		if (kids[i] == 0)
			_exit(storm(cid, depth + 1, r));
		if (kids[i] < 0) {
			printf("FAIL: fork at depth %d: %s\n", depth, strerror(errno));
			ok = 0;
			break;
		}
		nkids++;
	}
	for (size_t w = 0; w < 512; w++)
		slots[id][w] = own_word(id, w);
	sched_yield();
	if (check_memory(id, r)) {
		printf("FAIL: process %d sees wrong memory\n", id);
		ok = 0;
	}
	for (int i = 0; i < nkids; i++) {
		int st = wait_pid(kids[i]);

		if (!WIFEXITED(st) || WEXITSTATUS(st) != 100 + i) {
			printf("FAIL: process %d: child %d: %s\n", id, id * FANOUT + i + 1,
			       status_str(st));
			ok = 0;
		}
	}
	return ok ? 100 + (id - 1) % FANOUT : 1;
}

/* main - run ROUNDS storms, resetting the memory (as the root) before each. */
int main(void)
{
	t_init();
	for (int r = 0; r < ROUNDS; r++) {
		int code;

		for (size_t i = 0; i < SHARED_PAGES * 512; i++)
			shared[i] = pattern(i, r);
		for (int s = 0; s < NPROCS; s++)
			for (size_t w = 0; w < 512; w++)
				slots[s][w] = slot_word(s, w);
		/* The root is process 0; only its failure code 1 means anything. */
		code = storm(0, 0, r);
		CHECK(code != 1, "round %d: %d processes saw the right memory and exit codes", r,
		      NPROCS);
		CHECK_ERR(wait4(-1, NULL, WNOHANG, NULL), ECHILD, "round %d: every child reaped",
			  r);
	}
	return t_done("t_cow_storm");
}
