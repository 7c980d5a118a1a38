/*
 * testrun - Holstein's in-guest test runner: testrun [-d DIR] [NAME...]
 *
 * Runs the named tests from DIR (default /test; default names: every regular file there,
 * sorted), each with fork + execve + wait4. On Holstein it also compares MemFree and the
 * KernelObjects count before and after each test: the kernel frees a process's memory
 * synchronously when it is reaped, so less free memory or more objects afterwards is a leak. Prints "PASS name" or
 * "FAIL name (why)" per test and a final "testrun: N passed, N failed"; exits 1 if any
 * test failed.
 */
#include "ulib.h"
#include <dirent.h>

/* cmp_names - qsort comparator for an array of strings. */
static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
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
	if (!d)
		die("testrun: %s: %s", dir, strerror(errno));
	while ((e = readdir(d))) {
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_name[0] == '.' || stat(path, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 32;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				die("testrun: out of memory");
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
 * settled_after - MemFree once everything the test left behind is gone: like
 * settled_memfree(), but also reaping orphans that finish exiting meanwhile.
 */
static long settled_after(long before)
{
	long now;

	reap_strays();
	now = meminfo_kb("MemFree");
	for (int i = 0; i < 50 && now < before; i++) {
		for (int j = 0; j < 4; j++)
			sched_yield();
		reap_strays();
		now = meminfo_kb("MemFree");
	}
	return now;
}

/*
 * run_test - run one test binary and judge it; why receives the failure reason.
 * Returns 1 if it passed.
 */
static int run_test(const char *path, int check_leaks, char *why, size_t whylen)
{
	char *argv[] = {(char *)path, NULL};
	long before = check_leaks ? meminfo_kb("MemFree") : -1, after;
	long objs = check_leaks ? meminfo_kb("KernelObjects") : -1;
	pid_t pid;
	int st;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(why, whylen, "fork: %s", strerror(errno));
		return 0;
	}
	if (pid == 0) {
		execve(path, argv, environ);
		fprintf(stderr, "testrun: exec %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	st = wait_pid(pid);
	reap_strays();
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		snprintf(why, whylen, "%s", status_str(st));
		return 0;
	}
	if (check_leaks && before >= 0) {
		after = settled_after(before);
		if (after < before) {
			snprintf(why, whylen, "leak: %ld kB", before - after);
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
	const char *dir = "/test";
	char **names, path[512], why[128];
	int n, i = 1, passed = 0, failed = 0, leaks = on_holstein();

	if (argc > 2 && !strcmp(argv[1], "-d")) {
		dir = argv[2];
		i = 3;
	}
	if (i < argc) {
		names = argv + i;
		n = argc - i;
	} else {
		names = list_tests(dir, &n);
	}
	/*
	 * Warm up before the first measurement: the stdout buffer, the stack used by the
	 * MemFree reader and the runner's own copy-on-write pages all get settled here.
	 */
	printf("testrun: %d tests from %s%s\n", n, dir, leaks ? ", checking MemFree" : "");
	settled_memfree(meminfo_kb("MemFree"));
	fflush(stdout);

	for (int t = 0; t < n; t++) {
		if (strchr(names[t], '/'))
			snprintf(path, sizeof(path), "%s", names[t]);
		else
			snprintf(path, sizeof(path), "%s/%s", dir, names[t]);
		printf("RUN %s\n", names[t]);
		if (run_test(path, leaks, why, sizeof(why))) {
			printf("PASS %s\n", names[t]);
			passed++;
		} else {
			printf("FAIL %s (%s)\n", names[t], why);
			failed++;
		}
		fflush(stdout);
	}
	printf("testrun: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
