/*
 * t_misc - the small syscalls: uname, ids, umask, chdir/getcwd, sysinfo, clocks and
 * nanosleep, CPU time (clock, times, getrusage), sched_getaffinity, getcpu, prctl,
 * priorities, sched_yield, getrandom, prlimit64, readlinkat errors, futexes (pthread_once,
 * which every C++ static initialiser guard uses, and a wait/wake pair across processes in
 * shared memory), and ENOSYS for an unknown syscall number.
 */
#include "ulib.h"
#include <linux/futex.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>

/* check_uname - uname fills in Linux-like fields. */
static void check_uname(void)
{
	struct utsname u;

	CHECK(uname(&u) == 0, "uname");
	CHECK(!strcmp(u.sysname, "Linux"), "sysname is \"Linux\" (%s)", u.sysname);
	CHECK(u.release[0] >= '0' && u.release[0] <= '9', "release starts with a digit (%s)",
	      u.release);
	CHECK(!strcmp(u.machine, "riscv64"), "machine is riscv64 (%s)", u.machine);
	printf("info: %s %s %s %s\n", u.sysname, u.nodename, u.release, u.machine);
	CHECK_ERR(uname(hide_ptr(KERNEL_ADDR)), EFAULT, "uname into a kernel address -> EFAULT");
}

/* check_ids - user and group ids (root on Holstein) and umask's old-value return. */
static void check_ids(void)
{
	mode_t old;

	CHECK(getuid() == geteuid() && getgid() == getegid(), "real and effective ids agree");
	old = umask(027);
	CHECK(umask(old) == 027, "umask returns the previous mask");
	CHECK(umask(old) == old, "umask restored");
}

/* check_cwd - chdir/getcwd, including errors. */
static void check_cwd(void)
{
	char buf[256];

	CHECK(chdir("/") == 0 && getcwd(buf, sizeof(buf)) && !strcmp(buf, "/"),
	      "chdir(\"/\") then getcwd is \"/\"");
	CHECK(chdir("/proc") == 0 && getcwd(buf, sizeof(buf)) && !strcmp(buf, "/proc"),
	      "chdir(\"/proc\") then getcwd is \"/proc\" (%s)", buf);
	CHECK(chdir("..") == 0 && getcwd(buf, sizeof(buf)) && !strcmp(buf, "/"),
	      "chdir(\"..\") goes back to \"/\"");
	CHECK(chdir("proc") == 0 && getcwd(buf, sizeof(buf)) && !strcmp(buf, "/proc"),
	      "relative chdir(\"proc\")");
	{
		int fd = open("meminfo", O_RDONLY);

		CHECK(fd >= 0, "relative paths resolve against the new cwd");
		close(fd);
	}
	CHECK_ERR(chdir("/no/such/dir"), ENOENT, "chdir to a missing directory -> ENOENT");
	CHECK_ERR(chdir("/proc/meminfo"), ENOTDIR, "chdir to a file -> ENOTDIR");
	CHECK(getcwd(buf, sizeof(buf)) && !strcmp(buf, "/proc"), "failed chdir leaves cwd alone");
	CHECK_ERR(syscall(SYS_getcwd, buf, 2), ERANGE, "getcwd into a 2-byte buffer -> ERANGE");
	chdir("/");
}

/* check_sysinfo - sysinfo's memory figures are consistent with each other. */
static void check_sysinfo(void)
{
	struct sysinfo si;
	long total_kb = meminfo_kb("MemTotal");

	CHECK(sysinfo(&si) == 0, "sysinfo");
	CHECK(si.totalram > 0 && si.freeram <= si.totalram && si.mem_unit >= 1,
	      "totalram %lu > 0, freeram %lu <= totalram, mem_unit %u", si.totalram, si.freeram,
	      si.mem_unit);
	if (total_kb > 0) {
		unsigned long long t = (unsigned long long)si.totalram * si.mem_unit / 1024;

		CHECK(t / 2 <= (unsigned long long)total_kb &&
			  t * 2 >= (unsigned long long)total_kb,
		      "sysinfo totalram (%llu kB) agrees with MemTotal (%ld kB)", t, total_kb);
	}
	CHECK(meminfo_kb("MemFree") > 0 && meminfo_kb("MemFree") <= total_kb,
	      "/proc/meminfo has MemTotal and MemFree <= MemTotal");
}

/* check_time - clocks advance, nanosleep sleeps at least as long as asked. */
static void check_time(void)
{
	struct timespec a, b, req = {0, 10000000};
	struct timeval tv;
	uint64_t t0, t1, prev = 0;
	int mono = 1;

	for (int i = 0; i < 1000; i++) {
		t0 = now_ns();
		mono &= t0 >= prev;
		prev = t0;
	}
	CHECK(mono, "CLOCK_MONOTONIC never goes backwards over 1000 reads");
	clock_gettime(CLOCK_MONOTONIC, &a);
	CHECK(syscall(SYS_nanosleep, &req, NULL) == 0, "nanosleep(10 ms)");
	clock_gettime(CLOCK_MONOTONIC, &b);
	t1 = (b.tv_sec - a.tv_sec) * 1000000000ULL + b.tv_nsec - a.tv_nsec;
	CHECK(t1 >= 10000000, "CLOCK_MONOTONIC advanced %llu ns >= 10 ms across the sleep",
	      (unsigned long long)t1);
	CHECK(t1 < 5000000000ULL, "... and not absurdly far");
	req.tv_nsec = 1000000000;
	CHECK_ERR(syscall(SYS_nanosleep, &req, NULL), EINVAL,
		  "nanosleep with tv_nsec 1e9 -> EINVAL");
	/* The wall clock may start at 0 on a machine without an RTC: only ask for sanity. */
	CHECK(clock_gettime(CLOCK_REALTIME, &a) == 0 && a.tv_sec >= 0 && a.tv_nsec < 1000000000,
	      "CLOCK_REALTIME reads (%lld)", (long long)a.tv_sec);
	CHECK(gettimeofday(&tv, NULL) == 0 && tv.tv_sec >= a.tv_sec - 2 &&
		  tv.tv_sec <= a.tv_sec + 2 && tv.tv_usec >= 0 && tv.tv_usec < 1000000,
	      "gettimeofday agrees with CLOCK_REALTIME");
	CHECK_ERR(clock_gettime((clockid_t)999, &a), EINVAL, "clock_gettime(999) -> EINVAL");
	CHECK(sched_yield() == 0, "sched_yield");
}

/* clock_ns - a clock's reading in nanoseconds. */
static uint64_t clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/*
 * spin_cpu - burn at least @ns of CPU time by CLOCK_THREAD_CPUTIME_ID. The process clock
 * then advanced at least as much: it counts this thread too (under qemu-user, the host's
 * process clock also counts qemu's helper threads).
 */
static void spin_cpu(uint64_t ns)
{
	uint64_t t0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	volatile uint64_t x = 0;

	do
		for (int i = 0; i < 10000; i++)
			x += (uint64_t)i;
	while (clock_ns(CLOCK_THREAD_CPUTIME_ID) - t0 < ns);
}

/* ru_us - a struct rusage's user plus system time in microseconds. */
static long long ru_us(const struct rusage *ru)
{
	return (ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1000000LL + ru->ru_utime.tv_usec +
	       ru->ru_stime.tv_usec;
}

/*
 * Rounding allowances. times() rounds user and system time down to clock ticks each,
 * getrusage() to microseconds each, so their sums may trail the exact total by up to two
 * units. TICK_US is a clock tick in microseconds (USER_HZ is 100 on riscv64 Linux).
 */
#define TICK_US 10000LL
#define TIMES_SLACK_US (2 * TICK_US)
#define RU_SLACK_US 2LL

/* stat_cpu_ticks - utime, stime, cutime and cstime (fields 14-17) of /proc/self/stat. */
static int stat_cpu_ticks(long long v[4])
{
	char buf[512], *s;

	if (read_small_file("/proc/self/stat", buf, sizeof(buf)) <= 0 || !(s = strrchr(buf, ')')))
		return -1;
	s += 2;		/* field 3, the state */
	for (int field = 3; field < 14; field++)
		if (!(s = strchr(s, ' ')) || !*++s)
			return -1;
	return sscanf(s, "%lld %lld %lld %lld", &v[0], &v[1], &v[2], &v[3]) == 4 ? 0 : -1;
}

/*
 * check_cpu_sleep - the process clock does not run while we sleep. A loaded host may take
 * the CPU from the guest in the middle of the system call, so the best of three tries counts:
 * a clock that ran during the sleep would show the whole 200 ms every time.
 */
static void check_cpu_sleep(void)
{
	struct timespec req = {0, 200000000};
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < 3 && best >= 100000000ULL; i++) {
		uint64_t a = clock_ns(CLOCK_PROCESS_CPUTIME_ID), used;

		nanosleep(&req, NULL);
		used = clock_ns(CLOCK_PROCESS_CPUTIME_ID) - a;
		best = used < best ? used : best;
	}
	CHECK(best < 100000000ULL, "a 200 ms sleep uses little CPU time (%llu us)",
	      (unsigned long long)best / 1000);
}

/*
 * check_cpu_self - busy work shows in clock(), times(), getrusage(RUSAGE_SELF) and (on
 * Holstein) /proc/self/stat, and they agree: each lies between clock() read just before
 * and just after it, within its rounding. Nothing here depends on how fast the host is.
 */
static void check_cpu_self(void)
{
	struct rusage ru;
	struct tms t, t2;
	long long c0, c1, c2, c3, us, ticks, st[4];

	c0 = clock();
	spin_cpu(300000000ULL);
	c1 = clock();
	CHECK(c1 - c0 >= 300000, "clock() counts 300 ms of busy work (%lld us)", c1 - c0);
	CHECK(clock_ns(CLOCK_THREAD_CPUTIME_ID) <= clock_ns(CLOCK_PROCESS_CPUTIME_ID),
	      "the thread's CPU clock is within the process's");

	c1 = clock();
	CHECK(times(&t) != (clock_t)-1, "times()");
	c2 = clock();
	ticks = (long long)t.tms_utime + t.tms_stime;
	CHECK(ticks * TICK_US + TIMES_SLACK_US >= c1 && ticks * TICK_US <= c2,
	      "times() agrees with clock(): %lld+%ld ticks, clock() %lld..%lld us",
	      (long long)t.tms_utime, (long)t.tms_stime, c1, c2);

	c2 = clock();
	CHECK(getrusage(RUSAGE_SELF, &ru) == 0, "getrusage(RUSAGE_SELF)");
	c3 = clock();
	us = ru_us(&ru);
	CHECK(us + RU_SLACK_US >= c2 && us <= c3,
	      "getrusage(RUSAGE_SELF) agrees with clock(): %lld us, clock() %lld..%lld us", us, c2,
	      c3);

	/* qemu-user makes up its own /proc/self/stat: only Holstein's has the times. */
	if (!on_holstein()) {
		t_skip("/proc/self/stat CPU times (qemu-user fakes the file)");
		return;
	}
	times(&t);
	int r = stat_cpu_ticks(st);
	times(&t2);
	CHECK(r == 0 && st[0] >= (long long)t.tms_utime && st[0] <= (long long)t2.tms_utime &&
		      st[1] >= (long long)t.tms_stime && st[1] <= (long long)t2.tms_stime &&
		      st[2] == (long long)t.tms_cutime && st[3] == (long long)t.tms_cstime,
	      "/proc/self/stat has times()'s utime, stime, cutime, cstime (%lld %lld %lld %lld)",
	      st[0], st[1], st[2], st[3]);
}

/*
 * check_cpu_children - a child that burns 200 ms: wait4's rusage has it all, and
 * RUSAGE_CHILDREN and times()'s tms_cutime + tms_cstime grow by what wait4 reported.
 */
static void check_cpu_children(void)
{
	struct rusage before, after, child;
	struct tms t0, t1;
	long long us, grew, ticks;
	int st;

	getrusage(RUSAGE_CHILDREN, &before);
	times(&t0);
	pid_t pid = xfork();
	if (pid == 0) {
		spin_cpu(200000000ULL);
		_exit(0);
	}
	memset(&child, 0, sizeof(child));
	while (wait4(pid, &st, 0, &child) < 0 && errno == EINTR)
		;
	us = ru_us(&child);
	CHECK(us + RU_SLACK_US >= 200000, "wait4's rusage has the child's 200 ms of CPU time (%lld us)",
	      us);
	CHECK(getrusage(RUSAGE_CHILDREN, &after) == 0, "getrusage(RUSAGE_CHILDREN)");
	grew = ru_us(&after) - ru_us(&before);
	CHECK(grew + 2 * RU_SLACK_US >= us && grew <= us + 2 * RU_SLACK_US,
	      "RUSAGE_CHILDREN grew by the reaped child's time (%lld us, wait4 said %lld us)", grew,
	      us);
	CHECK(times(&t1) != (clock_t)-1, "times() after the child");
	ticks = (long long)t1.tms_cutime + t1.tms_cstime - t0.tms_cutime - t0.tms_cstime;
	CHECK(ticks * TICK_US + TIMES_SLACK_US + RU_SLACK_US >= us &&
		      ticks * TICK_US <= us + TIMES_SLACK_US + RU_SLACK_US,
	      "times() counts the reaped child alike (%lld ticks, wait4 said %lld us)", ticks, us);
	CHECK_ERR(getrusage(5, &after), EINVAL, "getrusage(5) -> EINVAL");
}

/* check_cputime - CPU time, as every interface reports it. */
static void check_cputime(void)
{
	check_cpu_sleep();
	check_cpu_self();
	check_cpu_children();
}

/* check_affinity - sched_getaffinity lists as many CPUs as are online. */
static void check_affinity(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CHECK(sched_getaffinity(0, sizeof(set), &set) == 0, "sched_getaffinity(0)");
	CHECK(CPU_COUNT(&set) == sysconf(_SC_NPROCESSORS_ONLN),
	      "the affinity mask has every online CPU (%d of %ld)", CPU_COUNT(&set),
	      sysconf(_SC_NPROCESSORS_ONLN));
	CHECK_ERR(sched_getaffinity(999999, sizeof(set), &set), ESRCH,
		  "sched_getaffinity of a missing process -> ESRCH");
	CHECK_ERR(syscall(SYS_sched_getaffinity, 0, 1, &set), EINVAL,
		  "sched_getaffinity with a 1-byte mask -> EINVAL");
}

/* check_small - getcpu, prctl names, priorities, groups. */
static void check_small(void)
{
	unsigned cpu = 999, node = 999;
	char name[16];

	CHECK(syscall(SYS_getcpu, &cpu, &node, NULL) == 0 && cpu < (unsigned)sysconf(_SC_NPROCESSORS_CONF) && node == 0,
	      "getcpu names an online CPU (%u) on node 0", cpu);
	CHECK(prctl(PR_SET_NAME, "t_misc_renamed_long") == 0, "prctl(PR_SET_NAME)");
	CHECK(prctl(PR_GET_NAME, name) == 0 && !strcmp(name, "t_misc_renamed_"),
	      "PR_GET_NAME reads it back, cut to 15 bytes (%s)", name);
	prctl(PR_SET_NAME, "t_misc");
	CHECK_ERR(prctl(9999, 0), EINVAL, "prctl(9999) -> EINVAL");
	errno = 0;
	CHECK(getpriority(PRIO_PROCESS, 0) == 0 && errno == 0, "getpriority: nice 0");
	CHECK(setpriority(PRIO_PROCESS, 0, 0) == 0, "setpriority to 0");
	CHECK_ERR(getpriority(PRIO_PROCESS, 999999), ESRCH, "getpriority of a missing process -> ESRCH");
	CHECK(getgroups(0, NULL) >= 0, "getgroups");
}

/* check_random - getrandom fills buffers, differently each time. */
static void check_random(void)
{
	unsigned char a[64], b[64];
	int nonzero = 0;

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	CHECK(getrandom(a, sizeof(a), 0) == sizeof(a), "getrandom(64 bytes)");
	CHECK(getrandom(b, sizeof(b), GRND_NONBLOCK) == sizeof(b), "getrandom(GRND_NONBLOCK)");
	for (size_t i = 0; i < sizeof(a); i++)
		nonzero |= a[i];
	CHECK(nonzero && memcmp(a, b, sizeof(a)), "random bytes are non-zero and differ per call");
	CHECK_ERR(getrandom(hide_ptr(KERNEL_ADDR), 16, 0), EFAULT,
		  "getrandom into a kernel address -> EFAULT");
}

/* check_limits - prlimit64 reads RLIMIT_STACK; lowering a soft limit reads back. */
static void check_limits(void)
{
	struct rlimit r, r2;

	CHECK(getrlimit(RLIMIT_STACK, &r) == 0 && r.rlim_cur > 0 && r.rlim_cur <= r.rlim_max,
	      "getrlimit(RLIMIT_STACK): cur %llu, max %llu", (unsigned long long)r.rlim_cur,
	      (unsigned long long)r.rlim_max);
	CHECK(prlimit(0, RLIMIT_NOFILE, NULL, &r2) == 0 && r2.rlim_cur >= 20,
	      "prlimit(RLIMIT_NOFILE) >= 20 (%llu)", (unsigned long long)r2.rlim_cur);
	CHECK_ERR(prlimit(0, 9999, NULL, &r2), EINVAL, "prlimit with resource 9999 -> EINVAL");
}

/* check_errors - readlinkat on bad paths, an unknown syscall. */
static void check_errors(void)
{
	char buf[64];

	CHECK_ERR(readlinkat(AT_FDCWD, "/no/such/link", buf, sizeof(buf)), ENOENT,
		  "readlinkat of a missing path -> ENOENT");
	CHECK_ERR2(readlinkat(AT_FDCWD, "/proc/meminfo", buf, sizeof(buf)), EINVAL, ENOENT,
		   "readlinkat of a non-link -> EINVAL");
	CHECK_ERR(syscall(999), ENOSYS, "syscall(999) -> ENOSYS");
	CHECK_ERR(syscall(5000), ENOSYS, "syscall(5000) -> ENOSYS");
	CHECK(getpid() > 0, "still alive after unknown syscalls");
}

/* main - run the checks. */
static int once_runs;

static void once_body(void)
{
	once_runs++;
}

static long futex(uint32_t *uaddr, int op, uint32_t val, const struct timespec *ts)
{
	return syscall(SYS_futex, uaddr, op, val, ts, NULL, 0);
}

/* check_futex - the wait and wake operations, alone and across two processes. */
static void check_futex(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	uint32_t word = 1;
	struct timespec ts = { 0, 30000000 };

	CHECK(pthread_once(&once, once_body) == 0 && pthread_once(&once, once_body) == 0 &&
		      once_runs == 1,
	      "pthread_once runs its routine once (%d)", once_runs);
	CHECK_ERR(futex(&word, FUTEX_WAIT_PRIVATE, 2, NULL), EAGAIN,
		  "FUTEX_WAIT on a word that changed -> EAGAIN");
	uint64_t t0 = now_ns();
	CHECK_ERR(futex(&word, FUTEX_WAIT_PRIVATE, 1, &ts), ETIMEDOUT,
		  "FUTEX_WAIT with a 30 ms timeout -> ETIMEDOUT");
	CHECK(now_ns() - t0 >= 30000000ULL, "... after the 30 ms (%llu us)",
	      (unsigned long long)(now_ns() - t0) / 1000);
	CHECK(futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL) == 0, "FUTEX_WAKE with no waiter wakes 0");
	CHECK_ERR(futex(hide_ptr(KERNEL_ADDR), FUTEX_WAIT, 0, NULL), EFAULT,
		  "FUTEX_WAIT on a kernel address -> EFAULT");
	CHECK_ERR(futex((uint32_t *)((char *)&word + 1), FUTEX_WAKE, 1, NULL), EINVAL,
		  "an unaligned futex -> EINVAL");

	uint32_t *shared = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		die("mmap shared");
	shared[0] = 0;
	pid_t pid = xfork();
	if (pid == 0) {
		struct timespec limit = { 60, 0 };	/* only if the wake never comes */

		if (futex(&shared[0], FUTEX_WAIT, 0, &limit) < 0)
			_exit(errno == ETIMEDOUT ? 3 : 2);
		_exit(shared[0] == 1 ? 0 : 4);
	}
	wait_asleep(pid);	/* in FUTEX_WAIT */
	__atomic_store_n(&shared[0], 1, __ATOMIC_SEQ_CST);
	long woke = futex(&shared[0], FUTEX_WAKE, 1, NULL);
	int st = wait_pid(pid);
	CHECK(woke == 1, "FUTEX_WAKE on shared memory woke the other process's waiter (%ld)", woke);
	CHECK_EXIT(st, 0, "a process waiting on a shared futex is woken by another");
	munmap(shared, PAGE_SIZE);
}

int main(void)
{
	t_init();
	check_uname();
	check_ids();
	check_cwd();
	check_sysinfo();
	check_time();
	check_cputime();
	check_affinity();
	check_small();
	check_random();
	check_limits();
	check_errors();
	check_futex();
	return t_done("t_misc");
}
