/*
 * ps - list processes from /proc: PID PPID STAT CMD for every numeric entry of /proc,
 * read from /proc/<pid>/stat ("pid (comm) S ppid ...").
 */
#include "ulib.h"
#include <dirent.h>

/* cmp_pids - qsort comparator for ints. */
static int cmp_pids(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/*
 * show - print the line for pid. The command name may hold spaces and ')' itself, so
 * it runs from the first '(' to the last ')'. A process gone meanwhile is skipped.
 */
static void show(int pid)
{
	char path[64], buf[1024], *open_paren, *close_paren, state = '?';
	int ppid = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_small_file(path, buf, sizeof(buf)) <= 0)
		return;
	open_paren = strchr(buf, '(');
	close_paren = strrchr(buf, ')');
	if (!open_paren || !close_paren || close_paren < open_paren)
		return;
	*close_paren = '\0';
	sscanf(close_paren + 1, " %c %d", &state, &ppid);
	printf("%5d %5d %c    %s\n", pid, ppid, state, open_paren + 1);
}

/* main - print the header and one line per process, sorted by pid. */
int main(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int *pids = NULL;
	size_t n = 0, cap = 0;

	if (!d) {
		perror("ps: /proc");
		return 1;
	}
	while ((e = readdir(d))) {
		if (strspn(e->d_name, "0123456789") != strlen(e->d_name))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			pids = realloc(pids, cap * sizeof(*pids));
			if (!pids)
				die("ps: out of memory");
		}
		pids[n++] = atoi(e->d_name);
	}
	closedir(d);
	qsort(pids, n, sizeof(*pids), cmp_pids);
	printf("  PID  PPID STAT CMD\n");
	for (size_t i = 0; i < n; i++)
		show(pids[i]);
	free(pids);
	return 0;
}
