/*
 * testrun - Holstein's in-guest test runner: testrun [-d DIR] [-t SECONDS] [-l LIST] [NAME...]
 *
 * Runs the named tests from DIR (default /test; default names: every regular file there,
 * sorted), each with fork + execve + wait4, in a process group of its own. With -l, the
 * tests are those LIST names, one a line: "NAME PROGRAM [ARG...]" (words separated by
 * blanks, no quoting; '#' starts a comment line; a PROGRAM without a '/' is in DIR), so
 * one program can be several tests with different arguments (user/ext/manifest). On Holstein it
 * also compares MemFree and the KernelObjects count before and after each test: the kernel
 * frees a process's memory synchronously when it is reaped, so less free memory or more
 * objects afterwards is a leak. With swap on, a page of anyone's may be on disk instead of
 * in a frame (and back again) at any time, so what is compared is MemFree + SwapFree: a
 * page going out frees a frame and takes a slot, and a slot nobody gives back is a leak like
 * a frame; SwapTotal must be the same after the test as before (a test that turns swap on
 * turns it off again). Prints "PASS name" or "FAIL name (why)" per test and a
 * final "testrun: N passed, N failed"; exits 1 if any test failed.
 *
 * A test still running after SECONDS (default 120, of guest wall time; 0: no limit) is
 * hung: its process group and every process descended from it are killed, it is reported
 * as "FAIL name (hung: killed after N s)", and the next test runs once all of them are
 * gone. SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to testrun reach the running test too.
 */
#include "ulib.h"
#include "proctree.h"
#include <limits.h>

/* cmp_names - qsort comparator for an array of strings. */
static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One test: the name it is reported under and the argument vector it is run with. */
struct test {
	char *name;
	char **argv;
};

/* xalloc - realloc that dies instead of failing. */
static void *xalloc(void *p, size_t size)
{
	p = realloc(p, size);
	if (!p)
		die("testrun: out of memory");
	return p;
}

/* prog_path - PROGRAM as a path: itself if it has a '/', else DIR/PROGRAM (malloc'ed). */
static char *prog_path(const char *dir, const char *prog)
{
	char *path;

	if (strchr(prog, '/'))
		return strdup(prog);
	if (asprintf(&path, "%s/%s", dir, prog) < 0)
		die("testrun: out of memory");
	return path;
}

/* tests_from_names - each name is a test run without arguments from dir. */
static struct test *tests_from_names(const char *dir, char **names, int n)
{
	struct test *tests = xalloc(NULL, (n + 1) * sizeof(*tests));

	for (int i = 0; i < n; i++) {
		tests[i].name = names[i];
		tests[i].argv = xalloc(NULL, 2 * sizeof(char *));
		tests[i].argv[0] = prog_path(dir, names[i]);
		tests[i].argv[1] = NULL;
	}
	return tests;
}

/*
 * split_words - the blank-separated words of line, strdup'ed into a NULL-terminated
 * malloc'ed vector; the count in *n.
 */
static char **split_words(char *line, int *n)
{
	char **words = NULL, *save = NULL;

	*n = 0;
	for (char *w = strtok_r(line, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save)) {
		words = xalloc(words, (*n + 2) * sizeof(*words));
		words[(*n)++] = strdup(w);
	}
	if (words)
		words[*n] = NULL;
	return words;
}

/*
 * tests_from_list - the tests list names, one a line ("NAME PROGRAM [ARG...]"; blank and
 * '#' lines skipped), with each PROGRAM found in dir; count in *n. Dies on a line that
 * names no program: a typo must not silently drop a test.
 */
static struct test *tests_from_list(const char *dir, const char *list, int *n)
{
	FILE *f = fopen(list, "r");
	struct test *tests = NULL;
	char line[1024];
	int lineno = 0;

	*n = 0;
	if (!f)
		die("testrun: %s: %s", list, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		int nw;
		char **w;

		lineno++;
		if (line[strspn(line, " \t")] == '#')
			continue;
		w = split_words(line, &nw);
		if (nw == 0)
			continue;
		if (nw < 2)
			die("testrun: %s:%d: want NAME PROGRAM [ARG...]", list, lineno);
		tests = xalloc(tests, (*n + 1) * sizeof(*tests));
		tests[*n].name = w[0];
		tests[*n].argv = w + 1;
		w[1] = prog_path(dir, w[1]);
		(*n)++;
	}
	fclose(f);
	return tests;
}

/* list_tests - the sorted regular files of dir in a malloc'ed array; count in *n. */
static char **list_tests(const char *dir, int *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL, path[512];
	struct stat st;
	int cap = 0;

	*n = 0;
	/* Under fault injection (fail_alloc=N) these fail now and then: try again. */
	for (int i = 0; !d && errno == ENOMEM && i < 100; i++)
		d = opendir(dir);
	if (!d)
		die("testrun: %s: %s", dir, strerror(errno));
	while ((e = readdir(d))) {
		int r = -1;

		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		for (int i = 0; e->d_name[0] != '.' && r < 0 && i < 100; i++)
			if ((r = stat(path, &st)) < 0 && errno != ENOMEM)
				break;
		if (e->d_name[0] == '.' || r < 0 || !S_ISREG(st.st_mode))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 32;
			names = xalloc(names, cap * sizeof(*names));
		}
		names[(*n)++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, *n, sizeof(*names), cmp_names);
	return names;
}

/*
 * reap_strays - collect any other exited children without blocking. They exist when
 * testrun itself runs as PID 1 and inherits a test's orphans; a zombie still holds memory.
 */
static void reap_strays(void)
{
	while (wait4(-1, NULL, WNOHANG, NULL) > 0)
		;
}

/*
 * free_kb - MemFree + SwapFree in kB (-1 if /proc/meminfo cannot be read); SwapTotal in
 * *swap_total (0 without swap).
 */
static long free_kb(long *swap_total)
{
	char buf[4096] = "";
	long mem, swap;

	for (int tries = 0; tries < 20; tries++)
		if (read_small_file("/proc/meminfo", buf, sizeof(buf)) >= 0)
			break;
	mem = field_value(buf, "MemFree");
	swap = field_value(buf, "SwapFree");
	*swap_total = field_value(buf, "SwapTotal");
	if (*swap_total < 0)
		*swap_total = 0;
	return mem < 0 ? -1 : mem + (swap > 0 ? swap : 0);
}

/*
 * settled_after - free_kb once everything the test left behind is gone: like
 * settled_memfree(), but also reaping orphans that finish exiting meanwhile.
 */
static long settled_after(long before, long *swap_total)
{
	long now;

	reap_strays();
	sync();		/* a disk fs's write-back state (deleted inodes not yet freed on disk) is no leak */
	now = free_kb(swap_total);
	for (int i = 0; i < 50 && now < before; i++) {
		for (int j = 0; j < 4; j++)
			sched_yield();
		reap_strays();
		now = free_kb(swap_total);
	}
	return now;
}

#define DEFAULT_TIMEOUT 120 /* seconds a test may run before it counts as hung */

static volatile pid_t running;	      /* the running test (and its process group), or 0 */
static volatile sig_atomic_t alarmed; /* the running test's time is up */

/* on_alarm - the time is up: note it, and ring again in a second in case wait4 missed it. */
static void on_alarm(int sig)
{
	(void)sig;
	alarmed = 1;
	alarm(1);
}

/* on_terminate - we were told to go: pass the signal on to the running test, then die of it. */
static void on_terminate(int sig)
{
	if (running > 0)
		kill(-running, sig);
	signal(sig, SIG_DFL);
	raise(sig); /* delivered once this handler returns */
}

/*
 * install_handlers - SIGALRM ends the wait for a test (no SA_RESTART: wait4 fails with
 * EINTR); SIGINT, SIGTERM, SIGHUP and SIGQUIT are forwarded, unless we were started with
 * them ignored. The test gets the default actions back at execve.
 */
static void install_handlers(void)
{
	static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = on_terminate;
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		if (sigaction(forwarded[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(forwarded[i], &sa, NULL);
}

/* A hung test's processes: the test first, then those found descended from it. */
static struct proc_tree hung_tree;

/*
 * kill_test - end hung test pid: stop its process group and every process descended from
 * it, kill them all, reap the test, and wait (up to 10 s) until none of them exists any
 * more (init reaps the orphans), so that what they held is back before the next test is
 * measured. Returns the test's wait status.
 */
static int kill_test(pid_t pid)
{
	int st;

	proc_tree_kill(&hung_tree, pid);
	st = wait_pid(pid);
	for (int i = 0; i < 1000 && proc_tree_alive(&hung_tree, pid); i++) {
		reap_strays();
		sleep_ns(10000000); /* polling for them to die, not synchronisation */
	}
	reap_strays();
	return st;
}

/*
 * warm_up_timeout - take the hung-test path once with nobody to kill: the SIGALRM handler's
 * signal frame, kill_test's walk over /proc (opendir's buffer), its table and their stack
 * and code pages then belong to testrun before any test's memory is measured. No process
 * has pid INT_MAX (Linux's pid_max is at most 2^22).
 */
static void warm_up_timeout(void)
{
	raise(SIGALRM);
	alarm(0);
	alarmed = 0;
	kill_test(INT_MAX);
}

/*
 * wait_test - wait for test pid, for at most timeout seconds (0: no limit). Returns its
 * wait status (-1 if wait4 failed); *hung says the time ran out and it was killed.
 */
static int wait_test(pid_t pid, long timeout, int *hung)
{
	int st;

	*hung = 0;
	alarmed = 0;
	alarm((unsigned)timeout);
	for (;;) {
		pid_t r = wait4(pid, &st, 0, NULL);

		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			st = -1;
			break;
		}
		if (alarmed) {
			alarm(0);
			*hung = 1;
			st = kill_test(pid);
			break;
		}
	}
	alarm(0);
	return st;
}

/*
 * run_test - run one test binary in a process group of its own and judge it; why receives
 * the failure reason. Returns 1 if it passed.
 */
static int run_test(char **argv, int check_leaks, long timeout, char *why, size_t whylen)
{
	long swap0 = 0, swap1 = 0, before = check_leaks ? free_kb(&swap0) : -1, after;
	long objs = check_leaks ? meminfo_kb("KernelObjects") : -1;
	pid_t pid;
	int st, hung;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(why, whylen, "fork: %s", strerror(errno));
		return 0;
	}
	if (pid == 0) {
		setpgid(0, 0);
		execve(argv[0], argv, environ);
		fprintf(stderr, "testrun: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid); /* no race with the child's own setpgid: either one does it */
	running = pid;
	st = wait_test(pid, timeout, &hung);
	running = 0;
	/*
	 * Whatever a killed or failed test left running in its group goes now: its children,
	 * when the OOM killer took it under fault injection, or waiters it never woke because
	 * it gave up at a failed fork. They must not live on into the next test's memory
	 * count, nor past the run. A test that passed must have left nothing: that is checked.
	 */
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		kill(-pid, SIGKILL);
	reap_strays();
	if (hung) {
		snprintf(why, whylen, "hung: killed after %ld s", timeout);
		if (check_leaks && before >= 0 && (after = settled_after(before, &swap1)) < before)
			printf("testrun: %ld kB of MemFree + SwapFree not back after the kill\n",
			       before - after);
		return 0;
	}
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		snprintf(why, whylen, "%s", status_str(st));
		return 0;
	}
	if (check_leaks && before >= 0) {
		after = settled_after(before, &swap1);
		if (swap1 != swap0) {
			snprintf(why, whylen, "SwapTotal %ld kB before, %ld kB after", swap0, swap1);
			return 0;
		}
		if (after < before) {
			snprintf(why, whylen, "leak: %ld kB%s", before - after,
				 swap0 ? " (MemFree + SwapFree)" : "");
			return 0;
		}
		/* Kernel objects (processes, files, pipes, VMAs) must all be gone too. */
		long now = meminfo_kb("KernelObjects");
		if (objs >= 0 && now > objs) {
			snprintf(why, whylen, "leak: %ld kernel objects", now - objs);
			return 0;
		}
	}
	return 1;
}

/* main - run the tests and print the verdicts; exit 0 only if all passed. */
int main(int argc, char **argv)
{
	const char *dir = "/test", *list = NULL;
	char why[128];
	struct test *tests;
	int n, i = 1, passed = 0, failed = 0, leaks = on_holstein();
	long timeout = DEFAULT_TIMEOUT;

	for (; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "-d"))
			dir = argv[i + 1];
		else if (!strcmp(argv[i], "-t"))
			timeout = strtol(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "-l"))
			list = argv[i + 1];
		else
			break;
	}
	if ((i < argc && argv[i][0] == '-') || (list && i < argc))
		die("usage: testrun [-d DIR] [-t SECONDS] [-l LIST | NAME...]");
	if (list) {
		tests = tests_from_list(dir, list, &n);
	} else if (i < argc) {
		n = argc - i;
		tests = tests_from_names(dir, argv + i, n);
	} else {
		char **names = list_tests(dir, &n);

		tests = tests_from_names(dir, names, n);
	}
	install_handlers();
	/*
	 * Warm up before the first measurement: the stdout buffer, the stack used by the
	 * MemFree reader and the runner's own copy-on-write pages all get settled here, and
	 * so do those of the hung-test path.
	 */
	printf("testrun: %d tests from %s%s\n", n, list ? list : dir,
	       leaks ? ", checking MemFree" : "");
	warm_up_timeout();
	settled_memfree(meminfo_kb("MemFree"));
	fflush(stdout);

	for (int t = 0; t < n; t++) {
		printf("RUN %s\n", tests[t].name);
		if (run_test(tests[t].argv, leaks, timeout, why, sizeof(why))) {
			printf("PASS %s\n", tests[t].name);
			passed++;
		} else {
			printf("FAIL %s (%s)\n", tests[t].name, why);
			failed++;
		}
		fflush(stdout);
	}
	printf("testrun: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
