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
 *
 * Each value is the median of several repetitions (fewer for the big sizes). The unit is
 * printed first as "bench_unit instret|cycles|ns". The counters are per hart: a process
 * moved to another hart mid-measurement gives a bogus value, which the median absorbs.
 */
#include "ulib.h"

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

/* main - choose the unit and run every measurement. */
int main(void)
{
	memset(base, 1, sizeof(base));
	setvbuf(stdout, NULL, _IOLBF, 0);
	choose_unit();
	bench_syscall();
	bench_fork("fork_16k", 0, 11);
	bench_fork("fork_1m", 1 * MiB, 9);
	bench_fork("fork_4m", 4 * MiB, 7);
	bench_fork("fork_16m", 16 * MiB, 5);
	bench_fork("fork_64m", 64 * MiB, 3);
	bench_cow(15);
	bench_exec(7);
	return 0;
}
