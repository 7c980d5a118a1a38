/*
 * t_cow_race - copy-on-write fork against threads on other harts: the TLB
 * shootdown (vm/tlb.h).  Needs threads (clone CLONE_VM|CLONE_THREAD); until
 * Holstein has them it runs under the oracle only (USER_THREAD_TEST_NAMES).
 *
 * What breaks without a remote flush: a thread on another hart keeps a
 * cached writable translation of a page after fork made it read-only (or
 * after munmap, MADV_DONTNEED, mprotect took it away, or a COW copy gave
 * the page a new frame), and its stores land in a frame that the other
 * process now owns, or that was freed and reused.  Three parts:
 *
 *  1. race_parent: the parent fills NPAGES with a round's pattern, warms
 *     every thread's translations (each touches its pages, stores of the
 *     same bytes included), forks, then lets its 4 threads store, MADV_
 *     DONTNEED, mprotect RW->R->RW and read() from a pipe into those pages
 *     for ITERS iterations.  The child checks its snapshot byte for byte
 *     before and after the race.
 *  2. race_child: the mirror.  The child's 4 threads race the same way;
 *     the parent checks its snapshot, and churns private frames of its own
 *     (store, check, MADV_DONTNEED), which would catch a child thread
 *     writing into a frame freed under it and reused by the parent.
 *  3. fork_instant: 4 threads each write 1, 2, 3... into their own array,
 *     in order; fork lands in the middle.  The child must see one instant:
 *     every array a prefix 1..k then zeros, and the same prefix again after
 *     the threads have gone on well past the fork.
 *
 * No sleeps: every wait is for an event (a barrier, a pipe byte, a counter
 * another thread moves, a child's exit).
 */
#include "ulib.h"
#include <pthread.h>
#include <sys/mman.h>

#define NTHREADS	4
#define NPAGES		16		/* 4 per role: see role_pages */
#define ROUNDS		30		/* halved: 60 took over 120 s on sifive_u with the host loaded */
#define ITERS		50		/* race iterations per thread and round */
#define SEQ_PAGES	8
#define SEQ_N		(SEQ_PAGES * PAGE_SIZE / sizeof(uint32_t))
#define SEQ_ROUNDS	10		/* a kernel without the remote flush fails by round 7 */

static unsigned char *region;		/* NPAGES, shared with the child at fork */
static unsigned char *scratch;		/* the parent's own churn in race_child */
static pthread_barrier_t go, done;
static volatile int stop_threads;
static int round_no;
static int failures;

/* pattern - byte i of the region in round r (what fork snapshots). */
static unsigned char pattern(size_t i, int r)
{
	return (unsigned char)(i * 131 + (i >> 12) * 7 + r * 29 + 1);
}

/* msg - write a line to stderr without stdio (safe in a child of a threaded process). */
static void msg(const char *fmt, ...)
{
	char buf[200];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	buf[n++] = '\n';
	if (write(2, buf, n) < 0)
		_exit(3);
}

/* check_region - 0 if every byte of the region holds round @r's pattern; else report the first. */
static int check_region(int r, const char *who)
{
	for (size_t i = 0; i < NPAGES * PAGE_SIZE; i++)
		if (region[i] != pattern(i, r)) {
			msg("FAIL: %s round %d: byte %zu (page %zu) is %#x, want %#x", who, r, i,
			    i / PAGE_SIZE, region[i], pattern(i, r));
			return 1;
		}
	return 0;
}

static unsigned char *role_pages(int role)
{
	return region + (size_t)role * (NPAGES / NTHREADS) * PAGE_SIZE;
}

#define ROLE_LEN	((NPAGES / NTHREADS) * PAGE_SIZE)

/* warm - touch this role's pages the way the race will, without changing a byte. */
static void warm(int role, int r)
{
	volatile unsigned char *p = role_pages(role);
	size_t base = (size_t)role * ROLE_LEN;

	for (size_t i = 0; i < ROLE_LEN; i += 64) {
		if (role == 0 || role == 2)
			p[i] = pattern(base + i, r);	/* a store: a writable translation */
		else
			(void)p[i];
	}
}

/*
 * race - one race iteration of role @role over its pages: 0 stores, 1
 * MADV_DONTNEED then stores (over role 0's pages too, so a store may meet a
 * freed frame), 2 mprotect RW->R, reads, ->RW, stores, 3 read() from a pipe.
 */
static void race(int role, int it, int pfd[2])
{
	unsigned char *p = role_pages(role), buf[512];

	switch (role) {
	case 0:
		for (size_t i = 0; i < 2 * ROLE_LEN; i += 97)
			((volatile unsigned char *)p)[i] = (unsigned char)(0xa0 + it);
		break;
	case 1:
		if (madvise(p, ROLE_LEN, MADV_DONTNEED))
			msg("FAIL: madvise: %s", strerror(errno)), failures++;
		for (size_t i = 0; i < ROLE_LEN; i += 211)
			((volatile unsigned char *)p)[i] = (unsigned char)(0xb0 + it);
		break;
	case 2:
		if (mprotect(p, ROLE_LEN, PROT_READ))
			msg("FAIL: mprotect R: %s", strerror(errno)), failures++;
		for (size_t i = 0; i < ROLE_LEN; i += 512)
			(void)((volatile unsigned char *)p)[i];
		if (mprotect(p, ROLE_LEN, PROT_READ | PROT_WRITE))
			msg("FAIL: mprotect RW: %s", strerror(errno)), failures++;
		for (size_t i = 0; i < ROLE_LEN; i += 331)
			((volatile unsigned char *)p)[i] = (unsigned char)(0xc0 + it);
		break;
	default:
		memset(buf, 0xd0 + it, sizeof(buf));
		size_t off = (size_t)(it * 509) % (ROLE_LEN - sizeof(buf));
		if (write(pfd[1], buf, sizeof(buf)) != (ssize_t)sizeof(buf) ||
		    read(pfd[0], p + off, sizeof(buf)) != (ssize_t)sizeof(buf))
			msg("FAIL: pipe into the region: %s", strerror(errno)), failures++;
		break;
	}
}

/* racer - thread @arg: each round, warm, wait for the fork, race ITERS times. */
static void *racer(void *arg)
{
	int role = (int)(intptr_t)arg, pfd[2];

	if (pipe(pfd))
		die("FAIL: pipe: %s", strerror(errno));
	for (;;) {
		pthread_barrier_wait(&go);	/* region filled: warm */
		if (stop_threads)
			break;
		warm(role, round_no);
		pthread_barrier_wait(&go);	/* the fork is done */
		for (int it = 0; it < ITERS; it++)
			race(role, it, pfd);
		pthread_barrier_wait(&done);
	}
	close(pfd[0]);
	close(pfd[1]);
	return NULL;
}

static void start_racers(pthread_t *t)
{
	stop_threads = 0;
	pthread_barrier_init(&go, NULL, NTHREADS + 1);
	pthread_barrier_init(&done, NULL, NTHREADS + 1);
	for (int i = 0; i < NTHREADS; i++)
		if (pthread_create(&t[i], NULL, racer, (void *)(intptr_t)i))
			die("FAIL: pthread_create");
}

static void stop_racers(pthread_t *t)
{
	stop_threads = 1;
	pthread_barrier_wait(&go);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&go);
	pthread_barrier_destroy(&done);
}

/* fill - the region gets round @r's pattern (RW everywhere: race may have left it so). */
static void fill(int r)
{
	for (size_t i = 0; i < NPAGES * PAGE_SIZE; i++)
		region[i] = pattern(i, r);
}

/* wait_ok - reap @pid; count a failure unless it exited 0. */
static void wait_ok(pid_t pid, const char *what)
{
	int st;

	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		printf("FAIL: %s: child status %#x\n", what, st);
		failures++;
	}
}

/* race_parent - part 1: the parent's threads race, the child checks its snapshot. */
static void race_parent(void)
{
	pthread_t t[NTHREADS];
	int sync[2];
	char c = 0;

	start_racers(t);
	for (int r = 0; r < ROUNDS; r++) {
		round_no = r;
		fill(r);
		if (pipe(sync))
			die("FAIL: pipe: %s", strerror(errno));
		pthread_barrier_wait(&go);	/* warm ... */
		pid_t pid = fork();
		if (pid == 0) {
			int bad = check_region(r, "child (before the race)");
			if (read(sync[0], &c, 1) != 1)	/* the race is over */
				_exit(2);
			bad |= check_region(r, "child (after the race)");
			_exit(bad);
		}
		if (pid < 0)
			die("FAIL: fork: %s", strerror(errno));
		pthread_barrier_wait(&go);	/* ... race */
		pthread_barrier_wait(&done);
		if (write(sync[1], &c, 1) != 1)
			die("FAIL: write");
		wait_ok(pid, "race_parent");
		close(sync[0]);
		close(sync[1]);
	}
	stop_racers(t);
	printf("race_parent: %d rounds x %d threads x %d iterations\n", ROUNDS, NTHREADS, ITERS);
}

/*
 * churn - the parent's own frames: store a value into each scratch page,
 * check it, give the pages back.  A frame a child thread still writes
 * through a stale translation would show up here as a wrong byte.
 */
static int churn(int n)
{
	for (size_t i = 0; i < NPAGES * PAGE_SIZE; i += 64)
		scratch[i] = (unsigned char)(n + i / 64);
	for (size_t i = 0; i < NPAGES * PAGE_SIZE; i += 64)
		if (scratch[i] != (unsigned char)(n + i / 64)) {
			printf("FAIL: race_child: the parent's own page %zu changed under it\n",
			       i / PAGE_SIZE);
			return 1;
		}
	madvise(scratch, NPAGES * PAGE_SIZE, MADV_DONTNEED);
	return 0;
}

/* race_child - part 2: the child's threads race, the parent checks its snapshot. */
static void race_child(void)
{
	for (int r = 0; r < ROUNDS / 2; r++) {
		int st, bad = 0;

		round_no = r;
		fill(r);
		pid_t pid = fork();
		if (pid == 0) {
			pthread_t t[NTHREADS];
			start_racers(t);
			pthread_barrier_wait(&go);
			pthread_barrier_wait(&go);
			pthread_barrier_wait(&done);
			stop_racers(t);
			_exit(failures != 0);
		}
		if (pid < 0)
			die("FAIL: fork: %s", strerror(errno));
		/* Until the child is gone: our snapshot must hold, our own frames too. */
		int reaped = 0;
		for (int n = 0; !reaped; n++) {
			reaped = waitpid(pid, &st, WNOHANG) == pid;
			bad = check_region(r, "parent (the child's threads race)") | churn(n);
			if (bad)
				break;
		}
		if (bad)
			failures++;
		if (!reaped)
			waitpid(pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			printf("FAIL: race_child: child status %#x\n", st);
			failures++;
		}
	}
	printf("race_child: %d rounds\n", ROUNDS / 2);
}

/* Part 3: thread i writes 1, 2, 3... into seq[i] in order; progress[i] is how far. */
static uint32_t (*seq)[SEQ_N];
static volatile size_t progress[NTHREADS];

static void *counter(void *arg)
{
	int t = (int)(intptr_t)arg;

	pthread_barrier_wait(&go);
	for (size_t k = 0; k < SEQ_N; k++) {
		((volatile uint32_t *)seq[t])[k] = (uint32_t)k + 1;
		progress[t] = k + 1;
		for (volatile int spin = 0; spin < 50; spin++)
			;	/* pace, so that fork lands mid-stream: not a timing assumption */
	}
	return NULL;
}

/* prefix - the length of seq[t]'s 1..k prefix; -1 if anything non-zero follows it. */
static long prefix(int t)
{
	size_t k = 0;

	while (k < SEQ_N && seq[t][k] == k + 1)
		k++;
	for (size_t j = k; j < SEQ_N; j++)
		if (seq[t][j])
			return -1;
	return (long)k;
}

/* instant_child - the forked child: one consistent instant, and it stays put. */
static void instant_child(int r, int ready, int go_fd)
{
	long k[NTHREADS];
	char c = 0;

	for (int t = 0; t < NTHREADS; t++)
		if ((k[t] = prefix(t)) < 0) {
			msg("FAIL: fork_instant round %d: thread %d's array has a hole", r, t);
			_exit(1);
		}
	if (write(ready, &c, 1) != 1 || read(go_fd, &c, 1) != 1)
		_exit(2);
	for (int t = 0; t < NTHREADS; t++)
		if (prefix(t) != k[t]) {
			msg("FAIL: fork_instant round %d: thread %d's array moved after fork "
			    "(%ld -> %ld)", r, t, k[t], prefix(t));
			_exit(1);
		}
	_exit(0);
}

/* fork_instant - part 3. */
static void fork_instant(void)
{
	seq = mmap(NULL, sizeof(*seq) * NTHREADS, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (seq == MAP_FAILED)
		die("FAIL: mmap: %s", strerror(errno));
	for (int r = 0; r < SEQ_ROUNDS; r++) {
		pthread_t t[NTHREADS];
		int ready[2], gofd[2];
		size_t after[NTHREADS];
		char c = 0;

		memset(seq, 0, sizeof(*seq) * NTHREADS);
		memset((void *)progress, 0, sizeof(progress));
		if (pipe(ready) || pipe(gofd))
			die("FAIL: pipe: %s", strerror(errno));
		pthread_barrier_init(&go, NULL, NTHREADS + 1);
		for (int i = 0; i < NTHREADS; i++)
			if (pthread_create(&t[i], NULL, counter, (void *)(intptr_t)i))
				die("FAIL: pthread_create");
		pthread_barrier_wait(&go);
		for (int i = 0; i < NTHREADS; i++)	/* fork once every thread is under way */
			while (progress[i] < SEQ_N / 8)
				sched_yield();	/* one hart (-smp 1): let them run */
		pid_t pid = fork();
		if (pid == 0)
			instant_child(r, ready[1], gofd[0]);
		if (pid < 0)
			die("FAIL: fork: %s", strerror(errno));
		if (read(ready[0], &c, 1) != 1)
			die("FAIL: read");
		/* Let every thread write well past where it was when fork returned. */
		for (int i = 0; i < NTHREADS; i++)
			after[i] = progress[i];
		for (int i = 0; i < NTHREADS; i++)
			while (progress[i] < SEQ_N && progress[i] < after[i] + 256)
				sched_yield();
		if (write(gofd[1], &c, 1) != 1)
			die("FAIL: write");
		wait_ok(pid, "fork_instant");
		for (int i = 0; i < NTHREADS; i++)
			pthread_join(t[i], NULL);
		pthread_barrier_destroy(&go);
		close(ready[0]);
		close(ready[1]);
		close(gofd[0]);
		close(gofd[1]);
	}
	printf("fork_instant: %d rounds\n", SEQ_ROUNDS);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	region = mmap(NULL, NPAGES * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	scratch = mmap(NULL, NPAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED || scratch == MAP_FAILED)
		die("FAIL: mmap: %s", strerror(errno));
	race_parent();
	race_child();
	fork_instant();
	if (failures) {
		printf("t_cow_race: %d failures\n", failures);
		return 1;
	}
	printf("t_cow_race: ok\n");
	return 0;
}
