/*
 * ps - list processes from /proc: PID PPID STAT CMD for every numeric entry of /proc,
 * read from /proc/<pid>/stat ("pid (comm) S ppid ...").
 *
 *   ps -T   one line per thread, as procps prints it: PID SPID PPID STAT CMD, the
 *           thread's id (SPID), state and name from /proc/<pid>/task/<tid>/stat
 *   ps -L   one line per thread with the thread count: PID LWP PPID NLWP STAT CMD
 */
#include "ulib.h"
#include <dirent.h>

enum ps_mode { PS_PROCS, PS_THREADS_T, PS_THREADS_L };

/* cmp_ids - qsort comparator for ints. */
static int cmp_ids(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/*
 * read_ids - the numeric names in directory path, sorted, in a malloc'd array (*ids);
 * how many, or -1 if the directory cannot be opened.
 */
static long read_ids(const char *path, int **ids)
{
	DIR *d = opendir(path);
	struct dirent *e;
	size_t n = 0, cap = 0;

	*ids = NULL;
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (!e->d_name[0] || strspn(e->d_name, "0123456789") != strlen(e->d_name))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			*ids = realloc(*ids, cap * sizeof(**ids));
			if (!*ids)
				die("ps: out of memory");
		}
		(*ids)[n++] = atoi(e->d_name);
	}
	closedir(d);
	qsort(*ids, n, sizeof(**ids), cmp_ids);
	return (long)n;
}

/* A stat line's fields that ps shows. */
struct ps_stat {
	char state, *comm;
	int ppid;
	long nthreads;
};

/*
 * read_stat - parse the stat file at path into s (comm points into buf). The command
 * name may hold spaces and ')' itself, so it runs from the first '(' to the last ')'.
 * 0, or -1 if the file is gone or malformed.
 */
static int read_stat(const char *path, char *buf, size_t size, struct ps_stat *s)
{
	char *open_paren, *close_paren;

	if (read_small_file(path, buf, size) <= 0)
		return -1;
	open_paren = strchr(buf, '(');
	close_paren = strrchr(buf, ')');
	if (!open_paren || !close_paren || close_paren < open_paren)
		return -1;
	*close_paren = '\0';
	s->comm = open_paren + 1;
	s->state = '?';
	s->ppid = 0;
	s->nthreads = 0;
	/* state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
	 * cutime cstime priority nice num_threads */
	sscanf(close_paren + 1, " %c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %ld",
	       &s->state, &s->ppid, &s->nthreads);
	return 0;
}

/* show - print the line for process pid. A process gone meanwhile is skipped. */
static void show(int pid)
{
	char path[64], buf[1024];
	struct ps_stat s;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_stat(path, buf, sizeof(buf), &s) == 0)
		printf("%5d %5d %c    %s\n", pid, s.ppid, s.state, s.comm);
}

/* show_threads - a line per thread of process pid, in the -T or -L layout. */
static void show_threads(int pid, enum ps_mode mode)
{
	char path[96], buf[1024];
	struct ps_stat s;
	int *tids;
	long n;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	n = read_ids(path, &tids);
	for (long i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tids[i]);
		if (read_stat(path, buf, sizeof(buf), &s))
			continue;
		if (mode == PS_THREADS_T)
			printf("%5d %5d %5d %c    %s\n", pid, tids[i], s.ppid, s.state, s.comm);
		else
			printf("%5d %5d %5d %4ld %c    %s\n", pid, tids[i], s.ppid, s.nthreads,
			       s.state, s.comm);
	}
	free(tids);
}

/* main - print the header and the lines of every process, sorted by pid. */
int main(int argc, char **argv)
{
	enum ps_mode mode = PS_PROCS;
	int *pids;
	long n;

	if (argc > 1 && !strcmp(argv[1], "-T"))
		mode = PS_THREADS_T;
	else if (argc > 1 && !strcmp(argv[1], "-L"))
		mode = PS_THREADS_L;
	else if (argc > 1 && argv[1][0]) {
		fprintf(stderr, "usage: ps [-T|-L]\n");
		return 2;
	}
	n = read_ids("/proc", &pids);
	if (n < 0) {
		perror("ps: /proc");
		return 1;
	}
	if (mode == PS_PROCS)
		printf("  PID  PPID STAT CMD\n");
	else if (mode == PS_THREADS_T)
		printf("  PID  SPID  PPID STAT CMD\n");
	else
		printf("  PID   LWP  PPID NLWP STAT CMD\n");
	for (long i = 0; i < n; i++) {
		if (mode == PS_PROCS)
			show(pids[i]);
		else
			show_threads(pids[i], mode);
	}
	free(pids);
	return 0;
}
