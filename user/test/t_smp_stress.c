/*
 * t_smp_stress - fork storms with copy-on-write writes racing on all harts.
 *
 * Each round the root fills a region with its pattern and forks WORKERS workers, then at
 * once overwrites half of the region while they read it. Each worker checks every word
 * still holds the root's original pattern, writes its own pattern over half the pages,
 * forks GRANDKIDS grandchildren and meanwhile overwrites the other half; each grandchild
 * checks it sees exactly what the worker had written before the fork, writes its own
 * pattern everywhere and checks it. Everybody verifies every word (so every byte), exit
 * codes carry who is who, and parents check them. testrun checks for leaks afterwards.
 *
 * Then a chain of processes that exec themselves races with readers of their
 * /proc/<pid>/{maps,smaps_rollup,stat,status}: exec swaps the address space a reader may
 * be taking hold of.
 */
#include "ulib.h"
#include <sys/mman.h>

#define ROUNDS (on_holstein() ? 40 : 8) /* qemu-user forks slowly */
#define WORKERS 8
#define GRANDKIDS 3
#define PAGES 64
#define WORDS (PAGES * PAGE_SIZE / 8)

static uint64_t *region;

/* word - the value owner (0 root, 1.. workers, 100.. grandchildren) writes at i in round r. */
static uint64_t word(int owner, int r, size_t i)
{
	return ((uint64_t)owner << 48 | (uint64_t)r << 40 | i) * 0x9e3779b97f4a7c15ULL + owner;
}

/* fill - write owner's pattern over the pages p with p % 2 == half (half = -1: all pages). */
static void fill(int owner, int r, int half)
{
	for (size_t p = 0; p < PAGES; p++) {
		if (half >= 0 && (int)(p % 2) != half)
			continue;
		for (size_t i = p * 512; i < (p + 1) * 512; i++)
			region[i] = word(owner, r, i);
	}
}

/*
 * wrong - count words that differ from the expected pattern: owner_even on even pages,
 * owner_odd on odd pages.
 */
static size_t wrong(int owner_even, int owner_odd, int r)
{
	size_t bad = 0;

	for (size_t i = 0; i < WORDS; i++)
		bad += region[i] != word((i / 512) % 2 ? owner_odd : owner_even, r, i);
	return bad;
}

/* grandchild - check the worker's pre-fork state, write our own pattern, check it. */
static int grandchild(int worker, int id, int r)
{
	int ok = 1;

	for (int i = 0; i < id % 3; i++)
		sched_yield();
	/* The worker wrote even pages before forking us; odd pages were still the root's. */
	if (wrong(worker, 0, r)) {
		printf("FAIL: round %d: grandchild %d of worker %d sees wrong memory\n", r, id, worker);
		ok = 0;
	}
	fill(id, r, -1);
	if (wrong(id, id, r)) {
		printf("FAIL: round %d: grandchild %d lost its own writes\n", r, id);
		ok = 0;
	}
	return ok;
}

/* worker - the body of worker w; returns its exit code (100 + w, or 1 on failure). */
static int worker(int w, int r)
{
	pid_t kids[GRANDKIDS];
	int ok = 1;

	for (int i = 0; i < w % 4; i++)
		sched_yield();
	if (wrong(0, 0, r)) {
		printf("FAIL: round %d: worker %d does not see the root's original memory\n", r, w);
		ok = 0;
	}
	fill(w, r, 0);
	for (int g = 0; g < GRANDKIDS; g++) {
		int id = 100 + w * GRANDKIDS + g;

		kids[g] = xfork();
		if (kids[g] == 0)
			_exit(grandchild(w, id, r) ? 10 + g : 1);
		if (kids[g] < 0) {
			printf("FAIL: round %d: worker %d: fork: %s\n", r, w, strerror(errno));
			ok = 0;
		}
	}
	fill(w, r, 1); /* races with the grandchildren reading the odd pages */
	if (wrong(w, w, r)) {
		printf("FAIL: round %d: worker %d lost its own writes\n", r, w);
		ok = 0;
	}
	for (int g = 0; g < GRANDKIDS; g++) {
		int st;

		if (kids[g] <= 0)
			continue;
		st = wait_pid(kids[g]);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 10 + g) {
			printf("FAIL: round %d: worker %d: grandchild %d: %s\n", r, w, g, status_str(st));
			ok = 0;
		}
	}
	return ok ? 100 + w : 1;
}

/* main - ROUNDS fork storms; the root races its own writes against the workers' reads. */
#define EXEC_CHAIN 30	/* execs per chain */
#define RACE_NS (on_holstein() ? 1500000000ULL : 500000000ULL)

/* exec_chain - exec ourselves n more times, then exit 0 (argv: self "chain" n). */
static int exec_chain(const char *self, int n)
{
	char arg[16];

	if (n <= 0)
		return 0;
	snprintf(arg, sizeof(arg), "%d", n - 1);
	execl(self, self, "chain", arg, (char *)NULL);
	return errno == ENOEXEC ? ENOEXEC : 3;
}

/* exec_one - run_child body: a chain of one exec. */
static void exec_one(void *self)
{
	_exit(exec_chain(self, 1));
}

/* read_procs - until @end, read /proc files of whatever pid *@pub names; exit 0. */
static void read_procs(volatile pid_t *pub, uint64_t end)
{
	static const char *const files[] = {"maps", "smaps_rollup", "stat", "status"};
	char path[64], buf[4096];

	for (unsigned n = 0; now_ns() < end; n++) {
		snprintf(path, sizeof(path), "/proc/%d/%s", (int)*pub, files[n % 4]);
		int fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		close(fd);
	}
	_exit(0);
}

/* check_exec_vs_proc - exec chains while others read their /proc files: nobody may crash. */
static void check_exec_vs_proc(const char *self)
{
	volatile pid_t *pub = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint64_t end = now_ns() + RACE_NS;
	pid_t readers[2];
	int chains = 0, bad = 0;

	if (pub == MAP_FAILED)
		die("mmap shared");
	if (!on_holstein() && run_child(exec_one, (void *)self) == ENOEXEC << 8) {
		t_skip("exec chains (host has no binfmt_misc entry for qemu)");
		return;
	}
	*pub = getpid();
	for (int i = 0; i < 2; i++)
		if ((readers[i] = xfork()) == 0)
			read_procs(pub, end);
	do {	/* at least one chain, however long the readers took to start */
		pid_t c;

		if ((c = xfork()) == 0)
			_exit(exec_chain(self, EXEC_CHAIN));
		if (c < 0)
			break;
		*pub = c;
		int st = wait_pid(c);
		bad += !WIFEXITED(st) || WEXITSTATUS(st) != 0;
		chains++;
	} while (now_ns() < end);
	for (int i = 0; i < 2; i++)
		bad += readers[i] < 0 || wait_pid(readers[i]) != 0;
	CHECK(chains > 0 && bad == 0,
	      "%d chains of %d execs raced with /proc readers: all exited 0 (%d did not)", chains,
	      EXEC_CHAIN, bad);
	munmap((void *)pub, PAGE_SIZE);
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "chain"))
		return exec_chain(self_path(argv[0]), atoi(argv[2]));
	t_init();
	region = mmap(NULL, PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	if (region == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	for (int r = 0; r < ROUNDS; r++) {
		pid_t pids[WORKERS];
		int bad_exits = 0;

		fill(0, r, -1);
		for (int w = 1; w <= WORKERS; w++) {
			pids[w - 1] = xfork();
			if (pids[w - 1] == 0)
				_exit(worker(w, r));
		}
		/* Overwrite the odd pages while the workers check them: each must get a copy. */
		fill(99, r, 1);
		size_t root_bad = wrong(0, 99, r);

		for (int w = 1; w <= WORKERS; w++) {
			int st = pids[w - 1] > 0 ? wait_pid(pids[w - 1]) : -1;

			if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 100 + w) {
				printf("FAIL: round %d: worker %d: %s\n", r, w, status_str(st));
				bad_exits++;
			}
		}
		root_bad += wrong(0, 99, r);
		CHECK(bad_exits == 0, "round %d: %d workers and %d grandchildren saw every word right "
				      "and exited as expected", r, WORKERS, WORKERS * GRANDKIDS);
		CHECK(root_bad == 0, "round %d: the root keeps its own writes (%zu wrong words)", r,
		      root_bad);
	}
	check_exec_vs_proc(self_path(argv[0]));
	CHECK_ERR(wait4(-1, NULL, WNOHANG, NULL), ECHILD, "every child reaped");
	return t_done("t_smp_stress");
}
