/*
 * forkbench - what fork and copy-on-write cost, in retired instructions (rdinstret; rdcycle
 * if that traps; CLOCK_MONOTONIC nanoseconds off Holstein or if both trap, where qemu-user's
 * counters would only count host time). One line per measurement:
 *
 *   bench fork_16k N      fork + child _exit + wait4 at the base size (~16 KiB touched)
 *   bench fork_1m N ...   the same with 1, 4, 16 and 64 MiB more touched (malloc + memset)
 *   bench cow_fault N     the child's first store to a page shared with its parent
 *   bench reuse_fault N   the parent's first store to a page once the child is gone
 *   bench fork_exec N     fork + execve("/bin/true") + wait4
 *   bench getppid N       one trivial syscall, for scale
 *   bench clock_gettime N glibc's clock_gettime(CLOCK_MONOTONIC): through the vDSO, no trap
 *   bench fork_4thr N     fork_16k with 4 more threads in the process (blocked in a futex)
 *
 * With the argument "smp" (run on two or more harts, without icount) it measures in
 * CLOCK_MONOTONIC ns of host time, which vary from run to run:
 *   bench futex_rtt_2h N     one futex wake round trip between threads on two harts
 *   bench fork_4busy N       fork_16k while 4 threads of the process spin on other harts
 *   bench shootdowns_fork N  TLB shootdown rounds per such fork (/proc/vmstat)
 *
 * Each value is the median of several repetitions (fewer for the big sizes). The unit is
 * printed first as "bench_unit instret|cycles|ns". The counters are per hart: a process
 * moved to another hart mid-measurement gives a bogus value, which the median absorbs.
 */
#include "ulib.h"
#include <pthread.h>
#include <linux/futex.h>
#include <sys/syscall.h>

#define BASE_BYTES (16 * KiB)

enum unit { U_INSTRET, U_CYCLE, U_NS };
static enum unit unit = U_NS;
static const char *const unit_names[] = {"instret", "cycles", "ns"};

/* The process's base data: touched once so fork_16k copies a realistic small process. */
static char base[BASE_BYTES];

/* counter - the current value of the chosen counter. */
static inline uint64_t counter(void)
{
	uint64_t v;

	if (unit == U_INSTRET)
		asm volatile("rdinstret %0" : "=r"(v));
	else if (unit == U_CYCLE)
		asm volatile("rdcycle %0" : "=r"(v));
	else
		v = now_ns();
	return v;
}

/*
 * timed_store - the counter cost of one byte store to p. With the hardware counters the
 * store sits between the two reads in one asm block so nothing else is counted.
 */
static inline uint64_t timed_store(volatile char *p)
{
	uint64_t a, b;

	if (unit == U_INSTRET) {
		asm volatile("rdinstret %0\n\tsb zero, 0(%2)\n\trdinstret %1"
			     : "=&r"(a), "=&r"(b)
			     : "r"(p)
			     : "memory");
	} else if (unit == U_CYCLE) {
		asm volatile("rdcycle %0\n\tsb zero, 0(%2)\n\trdcycle %1"
			     : "=&r"(a), "=&r"(b)
			     : "r"(p)
			     : "memory");
	} else {
		a = now_ns();
		*p = 0;
		b = now_ns();
	}
	return b - a;
}

/* probe_csr - whether reading the counter u works here (tried in a child: it may trap). */
static int probe_csr(enum unit u)
{
	pid_t pid = xfork();

	if (pid == 0) {
		unit = u;
		counter();
		_exit(0);
	}
	return wait_pid(pid) == 0;
}

/* choose_unit - pick the best counter and say which. */
static void choose_unit(void)
{
	if (!on_holstein())
		printf("# not on Holstein: qemu-user's counters tick with host time, using ns\n");
	else if (probe_csr(U_INSTRET))
		unit = U_INSTRET;
	else if (probe_csr(U_CYCLE))
		unit = U_CYCLE;
	else
		printf("# rdinstret and rdcycle trap: using clock_gettime ns\n");
	printf("bench_unit %s\n", unit_names[unit]);
}

/* cmp_u64 - qsort comparator. */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* median - the median of n samples (sorts them). */
static uint64_t median(uint64_t *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return v[n / 2];
}

/* fork_wait - the cost of fork + the child's immediate _exit + wait4, once. */
static uint64_t fork_wait(void)
{
	uint64_t t0 = counter(), t1;
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	wait_pid(pid);
	t1 = counter();
	return pid < 0 ? 0 : t1 - t0;
}

/* bench_fork - median fork_wait over reps, with extra bytes touched beforehand. */
static void bench_fork(const char *name, size_t extra, int reps)
{
	uint64_t v[16];
	char *mem = NULL;
	long free_kb = meminfo_kb("MemFree");

	if (extra && free_kb > 0 && extra / KiB > (size_t)free_kb / 2) {
		printf("# %s skipped: only %ld kB free\n", name, free_kb);
		return;
	}
	if (extra) {
		mem = malloc(extra);
		if (!mem) {
			printf("# %s skipped: malloc failed\n", name);
			return;
		}
		memset(mem, 1, extra);
	}
	fflush(stdout);
	fork_wait(); /* warm-up: settles our own pages after the first fork */
	for (int i = 0; i < reps; i++)
		v[i] = fork_wait();
	printf("bench %s %llu\n", name, (unsigned long long)median(v, reps));
	free(mem);
}

/*
 * bench_cow - cow_fault: after fork, the child times its first store to a page it shares
 * with the parent, who sits blocked in wait4; the child reports through a pipe.
 * reuse_fault: after the child has exited, the parent times its own first store to such a
 * page, now mapped by it alone again.
 */
static void bench_cow(int reps)
{
	static char pages[16 * PAGE_SIZE] __attribute__((aligned(4096)));
	uint64_t cow[16], reuse[16];
	int p[2];

	memset(pages, 7, sizeof(pages));
	pipe(p);
	fflush(stdout);
	for (int i = 0; i < reps; i++) {
		volatile char *page = pages + (i % 16) * PAGE_SIZE;
		pid_t pid = fork();

		if (pid == 0) {
			uint64_t c = timed_store(page);

			write(p[1], &c, sizeof(c));
			_exit(0);
		}
		wait_pid(pid);
		read(p[0], &cow[i], sizeof(cow[i]));
		reuse[i] = timed_store(page + 64);
	}
	close(p[0]);
	close(p[1]);
	printf("bench cow_fault %llu\n", (unsigned long long)median(cow, reps));
	printf("bench reuse_fault %llu\n", (unsigned long long)median(reuse, reps));
}

/* bench_exec - fork + execve(/bin/true) + wait4; skipped when /bin/true cannot run. */
static void bench_exec(int reps)
{
	char *argv[] = {"true", NULL};
	uint64_t v[16];

	fflush(stdout);
	for (int i = 0; i < reps; i++) {
		uint64_t t0 = counter(), t1;
		pid_t pid = fork();
		int st;

		if (pid == 0) {
			execve("/bin/true", argv, environ);
			_exit(127);
		}
		st = wait_pid(pid);
		t1 = counter();
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			printf("# fork_exec skipped: /bin/true: %s\n", status_str(st));
			return;
		}
		v[i] = t1 - t0;
	}
	printf("bench fork_exec %llu\n", (unsigned long long)median(v, reps));
}

/* bench_syscall - the cost of getppid(), median of 15. */
static void bench_syscall(void)
{
	uint64_t v[15];

	for (int i = 0; i < 15; i++) {
		uint64_t t0 = counter();

		syscall(SYS_getppid);
		v[i] = counter() - t0;
	}
	printf("bench getppid %llu\n", (unsigned long long)median(v, 15));
}

/*
 * bench_clock - the cost of glibc's clock_gettime(CLOCK_MONOTONIC), median of 15, counted
 * as getppid is (the call and its argument set-up between the two counter reads).  The
 * first call, not counted, faults in [vvar] and [vdso].
 */
static void bench_clock(void)
{
	struct timespec ts;
	uint64_t v[15];

	clock_gettime(CLOCK_MONOTONIC, &ts);
	for (int i = 0; i < 15; i++) {
		uint64_t t0 = counter();

		clock_gettime(CLOCK_MONOTONIC, &ts);
		v[i] = counter() - t0;
	}
	printf("bench clock_gettime %llu\n", (unsigned long long)median(v, 15));
}

static uint32_t gate;			/* futex word the helper threads park on */
static volatile int spin_stop;

static void *park(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&gate, __ATOMIC_ACQUIRE))
		syscall(SYS_futex, &gate, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	return NULL;
}

static void *spin(void *arg)
{
	(void)arg;
	while (!spin_stop)
		;
	return NULL;
}

/* with_threads - start 4 threads running fn, run bench, then end them. */
static void with_threads(void *(*fn)(void *), void (*bench)(void))
{
	pthread_t t[4];

	gate = 0;
	spin_stop = 0;
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, fn, NULL);
	bench();
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	spin_stop = 1;
	syscall(SYS_futex, &gate, FUTEX_WAKE_PRIVATE, 4, NULL, NULL, 0);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
}

static void fork_4thr(void)
{
	bench_fork("fork_4thr", 0, 11);
}

/* vmstat_value - a /proc/vmstat counter, or -1. */
static long vmstat_value(const char *key)
{
	char buf[4096];

	if (read_small_file("/proc/vmstat", buf, sizeof(buf)) <= 0)
		return -1;
	return field_value(buf, key);
}

static void fork_4busy(void)
{
	long before = vmstat_value("nr_tlb_remote_flush");

	bench_fork("fork_4busy", 0, 11);
	long after = vmstat_value("nr_tlb_remote_flush");
	if (before >= 0 && after >= 0)	/* 12 forks: the warm-up and 11 measured */
		printf("bench shootdowns_fork %ld\n", (after - before + 6) / 12);
}

static uint32_t ping, pong;

/* ponger - answer each ping with a pong, until the ping word says stop (-1). */
static void *ponger(void *arg)
{
	(void)arg;
	for (uint32_t seen = 0;;) {
		uint32_t v;
		while ((v = __atomic_load_n(&ping, __ATOMIC_ACQUIRE)) == seen)
			syscall(SYS_futex, &ping, FUTEX_WAIT_PRIVATE, seen, NULL, NULL, 0);
		if (v == (uint32_t)-1)
			return NULL;
		seen = v;
		__atomic_store_n(&pong, v, __ATOMIC_RELEASE);
		syscall(SYS_futex, &pong, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	}
}

/* bench_futex_rtt - median ping-pong round trip through futex wait/wake, 2 threads. */
static void bench_futex_rtt(void)
{
	uint64_t v[15];
	pthread_t t;

	pthread_create(&t, NULL, ponger, NULL);
	for (uint32_t i = 1; i <= 15; i++) {
		uint64_t t0 = counter();

		__atomic_store_n(&ping, i, __ATOMIC_RELEASE);
		syscall(SYS_futex, &ping, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
		while (__atomic_load_n(&pong, __ATOMIC_ACQUIRE) != i)
			syscall(SYS_futex, &pong, FUTEX_WAIT_PRIVATE, i - 1, NULL, NULL, 0);
		v[i - 1] = counter() - t0;
	}
	__atomic_store_n(&ping, (uint32_t)-1, __ATOMIC_RELEASE);
	syscall(SYS_futex, &ping, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	pthread_join(t, NULL);
	printf("bench futex_rtt_2h %llu\n", (unsigned long long)median(v, 15));
}

/* main - choose the unit and run every measurement. */
int main(int argc, char **argv)
{
	memset(base, 1, sizeof(base));
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "smp")) {
		printf("bench_unit ns\n");	/* per-hart counters cannot time two harts */
		bench_futex_rtt();
		with_threads(spin, fork_4busy);
		return 0;
	}
	choose_unit();
	bench_syscall();
	bench_clock();
	bench_fork("fork_16k", 0, 11);
	bench_fork("fork_1m", 1 * MiB, 9);
	bench_fork("fork_4m", 4 * MiB, 7);
	bench_fork("fork_16m", 16 * MiB, 5);
	bench_fork("fork_64m", 64 * MiB, 3);
	bench_cow(15);
	bench_exec(7);
	with_threads(park, fork_4thr);
	return 0;
}
