/*
 * ulib.h - tiny helpers shared by Holstein's user programs and tests.
 *
 * Everything here is static inline so each program stays a single .c file plus this
 * header. Include it before any system header: it asks glibc for the GNU extensions.
 *
 * Only syscalls from the Holstein contract are used: notably sleeping goes through the
 * nanosleep syscall directly, because glibc's nanosleep() issues clock_nanosleep.
 */
#ifndef HOLSTEIN_ULIB_H
#define HOLSTEIN_ULIB_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE_SIZE 4096UL
#define KiB (1024UL)
#define MiB (1024UL * 1024UL)

/* A kernel-half address in Sv39: user code must fault on every access to it. */
#define KERNEL_ADDR 0xffffffc000000000UL

#define UNUSED __attribute__((unused))

/*
 * hide_ptr - turn a number into a pointer the compiler cannot reason about, so tests can
 * pass deliberately bad pointers to the kernel (or fault on them) without GCC turning the
 * access into a trap or rejecting it at compile time.
 */
static inline void *hide_ptr(uintptr_t v)
{
	asm volatile("" : "+r"(v));
	return (void *)v;
}

/* die - print a message and a newline to stderr and exit with status 1. */
#define die(...)                                                                                   \
	do {                                                                                       \
		fprintf(stderr, __VA_ARGS__);                                                      \
		fputc('\n', stderr);                                                               \
		exit(1);                                                                           \
	} while (0)

/*
 * on_holstein - nonzero when running on the Holstein kernel.
 * Holstein's uname release contains "holstein"; under qemu-user we see the host's release.
 */
static inline int on_holstein(void)
{
	static int cached = -1;
	struct utsname u;

	if (cached < 0)
		cached = uname(&u) == 0 && strstr(u.release, "holstein") != NULL;
	return cached;
}

/*
 * read_small_file - read at most size-1 bytes of path into buf and NUL-terminate it.
 * Returns the length, or -1 with errno set. Uses no heap, so callers measuring memory
 * (testrun, the leak checks) do not disturb what they measure.
 */
static inline long read_small_file(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	long n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while (len + 1 < size) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return len;
}

/*
 * field_value - find a line "key<sep>value" in text (key must start the line, sep is ':'
 * or ' ') and return the value as a number, or -1 when the key is absent.
 */
static inline long field_value(const char *text, const char *key)
{
	size_t klen = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (strncmp(p, key, klen) == 0 && (p[klen] == ':' || p[klen] == ' '))
			return strtol(p + klen + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

/*
 * meminfo_kb - a /proc/meminfo field such as "MemFree" in kB, or -1 if unavailable. Opening
 * the file takes kernel memory, which fault injection may refuse now and then: try again.
 */
static inline long meminfo_kb(const char *key)
{
	char buf[4096];

	for (int tries = 0; tries < 20; tries++)
		if (read_small_file("/proc/meminfo", buf, sizeof(buf)) >= 0)
			return field_value(buf, key);
	return -1;
}

/*
 * settled_memfree - MemFree in kB, re-read (yielding in between) up to 50 times while it is
 * still below want: another hart may still be freeing a process that just exited.
 */
static inline long settled_memfree(long want)
{
	long now = meminfo_kb("MemFree");

	for (int i = 0; i < 50 && now < want; i++) {
		for (int j = 0; j < 4; j++)
			sched_yield();
		now = meminfo_kb("MemFree");
	}
	return now;
}

/*
 * ram_share - percent of the machine's RAM in bytes, page aligned. Off Holstein (qemu-user
 * on a big host) the result is capped at cap bytes so the tests stay quick.
 */
static inline size_t ram_share(unsigned percent, size_t cap)
{
	long kb = meminfo_kb("MemTotal");
	size_t bytes = kb > 0 ? (size_t)kb * 1024 / 100 * percent : cap;

	if (!on_holstein() && bytes > cap)
		bytes = cap;
	return bytes & ~(PAGE_SIZE - 1);
}

/* now_ns - CLOCK_MONOTONIC in nanoseconds. */
static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * sleep_ns - sleep for ns nanoseconds with the nanosleep syscall, resuming after signals.
 * Returns 0, or -1 with errno set on a real error.
 */
static inline int sleep_ns(uint64_t ns)
{
	struct timespec req = {ns / 1000000000ULL, ns % 1000000000ULL}, rem;

	while (syscall(SYS_nanosleep, &req, &rem) < 0) {
		if (errno != EINTR)
			return -1;
		req = rem;
	}
	return 0;
}

/*
 * xfork - fork() after flushing stdio, so buffered output is not printed twice.
 * Children of tests should leave with _exit() for the same reason.
 */
static inline pid_t xfork(void)
{
	fflush(NULL);
	return fork();
}

/*
 * must_fork - xfork, or die if it fails: for callers that go on to kill() the pid (a -1
 * there would be kill(-1), every process) or to count on the child having run.
 */
static inline pid_t must_fork(void)
{
	pid_t pid = xfork();

	if (pid < 0)
		die("fork: %s", strerror(errno));
	return pid;
}

/* xpipe - pipe(), or die: a test must not go on with descriptors it never got. */
static inline void xpipe(int p[2])
{
	if (pipe(p) < 0)
		die("pipe: %s", strerror(errno));
}

/*
 * wait_pid - wait4() for pid, retrying on EINTR. Returns the status, or -1 on error,
 * at once for a pid from a failed fork (-1 would otherwise wait for any child).
 */
static inline int wait_pid(pid_t pid)
{
	int st;

	if (pid <= 0) {
		errno = ECHILD;
		return -1;
	}

	while (wait4(pid, &st, 0, NULL) < 0)
		if (errno != EINTR)
			return -1;
	return st;
}

/* reap_any - wait for any one child to end, retrying on EINTR. */
static inline void reap_any(void)
{
	while (wait(NULL) < 0 && errno == EINTR)
		;
}

/* run_child - run fn(arg) in a forked child that then exits 0; return its wait status. */
static inline int run_child(void (*fn)(void *), void *arg)
{
	pid_t pid = xfork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	return wait_pid(pid);
}

/* proc_stat_fields - the state letter and parent pid in /proc/<pid>/stat; -1 if unreadable. */
static inline int proc_stat_fields(pid_t pid, pid_t *ppid, char *state)
{
	char path[64], buf[512], *close_paren;
	int pp;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (read_small_file(path, buf, sizeof(buf)) <= 0 || !(close_paren = strrchr(buf, ')')))
		return -1;
	if (sscanf(close_paren + 1, " %c %d", state, &pp) != 2)
		return -1;
	*ppid = pp;
	return 0;
}

/* proc_state - the state letter of /proc/<pid>/stat ('R', 'S', 'T', 'Z' ...), or '?'. */
static inline char proc_state(pid_t pid)
{
	pid_t ppid;
	char state;

	return proc_stat_fields(pid, &ppid, &state) < 0 ? '?' : state;
}

/*
 * wait_asleep - yield until process pid sleeps ('S'): blocked in a system call such as
 * poll or a futex wait. Synchronises with the sleeper itself, not with a guess at how long
 * it takes to get there (which depends on how busy the host is). Also returns if pid has
 * exited ('Z', or '?' once gone), so a caller is never stuck on a process that died.
 * Returns the state seen.
 */
static inline char wait_asleep(pid_t pid)
{
	char st;

	while ((st = proc_state(pid)) != 'S' && st != 'Z' && st != 'X' && st != '?')
		sched_yield();
	return st;
}

/* FAR_FD - a descriptor number beyond any table (Linux caps fs.nr_open at 2^20): never open. */
#define FAR_FD (1 << 30)

/*
 * closed_fd - a descriptor number that is certainly not open: the lowest free one,
 * found by opening /dev/null and closing it again. A fixed number (120, 999) is not
 * safe: a harness such as a CI runner may hand the test open descriptors of its own.
 * The number stays free until the caller next opens something. -1 if open fails.
 */
static inline int closed_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return fd;
}

/* status_str - describe a wait status ("exit 3", "signal 11") in a static buffer. */
static inline const char *status_str(int st)
{
	static char buf[32];

	if (st == -1)
		snprintf(buf, sizeof(buf), "wait failed");
	else if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exit %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "signal %d", WTERMSIG(st));
	else
		snprintf(buf, sizeof(buf), "status 0x%x", st);
	return buf;
}

/*
 * self_path - a path to open our own binary given argv[0]. When argv[0] has no slash
 * (started through a PATH search) look it up in $PATH like the shell did. Holstein has
 * no /proc/self/exe, so this is how tests find their ELF file.
 */
static inline const char *self_path(const char *argv0)
{
	static char buf[512];
	const char *path = getenv("PATH");
	struct stat st;

	if (strchr(argv0, '/'))
		return argv0;
	if (!path)
		path = "/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, path, argv0);
		if (stat(buf, &st) == 0 && S_ISREG(st.st_mode))
			return buf;
		path += n + (path[n] == ':');
	}
	return argv0;
}

/*
 * Test reporting. Every check prints "PASS: what" or "FAIL: what (detail)"; t_done()
 * prints a summary and yields the exit status. Children never report through these (their
 * counters die with them): they print their own FAIL lines and exit non-zero.
 */
static int t_npass UNUSED, t_nfail UNUSED;

/* t_init - line-buffer stdout so PASS/FAIL lines interleave sanely with children's. */
static inline void t_init(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}

/* t_vreport - print one PASS/FAIL line; detail (may be NULL) is shown only on failure. */
static inline int t_vreport(int ok, const char *detail, const char *fmt, va_list ap)
{
	printf("%s: ", ok ? "PASS" : "FAIL");
	vprintf(fmt, ap);
	if (!ok && detail)
		printf(" (%s)", detail);
	putchar('\n');
	fflush(stdout);
	if (ok)
		t_npass++;
	else
		t_nfail++;
	return ok;
}

/* t_check - report a boolean check; expr and line describe it on failure. */
static inline __attribute__((format(printf, 4, 5))) int t_check(int ok, const char *expr, int line,
								const char *fmt, ...)
{
	char detail[200];
	int saved = errno;
	va_list ap;
	int ret;

	snprintf(detail, sizeof(detail), "line %d: %s; errno %d %s", line, expr, saved,
		 strerror(saved));
	va_start(ap, fmt);
	ret = t_vreport(ok, detail, fmt, ap);
	va_end(ap);
	return ret;
}

/* t_check_err - report that a call returned -1 with errno want (or want2 if nonzero). */
static inline __attribute__((format(printf, 6, 7))) int
t_check_err(long ret, int err, int want, int want2, int line, const char *fmt, ...)
{
	char detail[200];
	int ok = ret == -1 && (err == want || (want2 && err == want2));
	va_list ap;
	int r;

	snprintf(detail, sizeof(detail), "line %d: got %ld errno %d %s, want %s", line, ret, err,
		 ret == -1 ? strerror(err) : "-", strerror(want));
	va_start(ap, fmt);
	r = t_vreport(ok, detail, fmt, ap);
	va_end(ap);
	return r;
}

/* CHECK(cond, fmt, ...) - a PASS/FAIL line about cond. Evaluates to cond's truth. */
#define CHECK(cond, ...) t_check(!!(cond), #cond, __LINE__, __VA_ARGS__)

/* CHECK_ERR(call, errno, fmt, ...) - the call must fail with -1 and that errno. */
#define CHECK_ERR(call, want, ...)                                                                 \
	({                                                                                         \
		errno = 0;                                                                         \
		long r_ = (long)(call);                                                            \
		t_check_err(r_, errno, (want), 0, __LINE__, __VA_ARGS__);                          \
	})

/* CHECK_ERR2 - like CHECK_ERR but either of two errnos is acceptable. */
#define CHECK_ERR2(call, want, want2, ...)                                                         \
	({                                                                                         \
		errno = 0;                                                                         \
		long r_ = (long)(call);                                                            \
		t_check_err(r_, errno, (want), (want2), __LINE__, __VA_ARGS__);                    \
	})

/* CHECK_SIG(st, sig, fmt, ...) - wait status st (evaluated once) says killed by sig. */
#define CHECK_SIG(st, sig, ...)                                                                    \
	({                                                                                         \
		int st_ = (st);                                                                    \
		t_check(WIFSIGNALED(st_) && WTERMSIG(st_) == (sig), status_str(st_), __LINE__,     \
			__VA_ARGS__);                                                              \
	})

/* CHECK_EXIT(st, code, fmt, ...) - wait status st (evaluated once) says exited with code. */
#define CHECK_EXIT(st, code, ...)                                                                  \
	({                                                                                         \
		int st_ = (st);                                                                    \
		t_check(WIFEXITED(st_) && WEXITSTATUS(st_) == (code), status_str(st_), __LINE__,   \
			__VA_ARGS__);                                                              \
	})

/* t_skip - note a check that cannot run here (not a failure). */
#define t_skip(...)                                                                                \
	do {                                                                                       \
		printf("SKIP: ");                                                                  \
		printf(__VA_ARGS__);                                                               \
		putchar('\n');                                                                     \
		fflush(stdout);                                                                    \
	} while (0)

/* t_done - print the summary line and return the process exit status (0 = all passed). */
static inline int t_done(const char *name)
{
	printf("%s: %d checks ok, %d failed\n", name, t_npass, t_nfail);
	fflush(stdout);
	return t_nfail ? 1 : 0;
}

#endif
