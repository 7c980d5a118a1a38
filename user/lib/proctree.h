/*
 * proctree.h - find and kill every process descended from one, wherever its process
 * group: what testrun does to a hung test and memcheck to a command past its time.
 *
 * A process group is not enough: a test may put children in groups of their own (job
 * control tests do), and an orphan is reparented away.  So the tree is found through
 * /proc/<pid>/stat's parent field, with each process stopped as it is found so that it
 * forks no more while the search goes on.  Include after ulib.h.
 */
#ifndef HOLSTEIN_PROCTREE_H
#define HOLSTEIN_PROCTREE_H

#include <dirent.h>

#define PROC_TREE_MAX 512	/* processes of one tree that are tracked */

/* proc_tree - the root first, then the processes found descended from it. */
struct proc_tree {
	int n;
	pid_t pid[PROC_TREE_MAX];
};

/* proc_tree_has - whether pid is in t. */
static inline int proc_tree_has(const struct proc_tree *t, pid_t pid)
{
	for (int i = 0; i < t->n; i++)
		if (t->pid[i] == pid)
			return 1;
	return 0;
}

/*
 * proc_tree_stop - add to t, and stop with SIGSTOP, every process whose parent is in t,
 * pass after pass over /proc, until a pass finds nobody new and all of t are stopped or
 * dead: a stopped process forks no more, so then t holds the whole tree. A process stuck
 * in the kernel never stops: the search gives up after 100 passes (about a second).
 */
static inline void proc_tree_stop(struct proc_tree *t)
{
	for (int pass = 0; pass < 100; pass++) {
		DIR *d = opendir("/proc");
		struct dirent *e;
		int grew = 0, busy = 0;

		if (!d)
			return;
		while ((e = readdir(d))) {
			pid_t pid = (pid_t)strtol(e->d_name, NULL, 10), ppid;
			char state;

			if (pid <= 0 || proc_stat_fields(pid, &ppid, &state) < 0)
				continue;
			if (!proc_tree_has(t, pid)) {
				if (!proc_tree_has(t, ppid) || t->n == PROC_TREE_MAX)
					continue;
				t->pid[t->n++] = pid;
				kill(pid, SIGSTOP);
				grew = 1;
			}
			busy |= state != 'T' && state != 'Z';
		}
		closedir(d);
		if (!grew && !busy)
			return;
		sleep_ns(10000000); /* letting SIGSTOP take effect, not synchronisation */
	}
}

/*
 * proc_tree_kill - stop process group leader @root, its group and every process descended
 * from it, then kill them all with SIGKILL.  t receives the tree, for proc_tree_alive.
 */
static inline void proc_tree_kill(struct proc_tree *t, pid_t root)
{
	t->n = 1;
	t->pid[0] = root;
	kill(-root, SIGSTOP);
	proc_tree_stop(t);
	kill(-root, SIGKILL);
	for (int i = 0; i < t->n; i++)
		kill(t->pid[i], SIGKILL);
}

/* proc_tree_alive - whether anything of process group pgid or of t still exists. */
static inline int proc_tree_alive(const struct proc_tree *t, pid_t pgid)
{
	if (kill(-pgid, 0) == 0)
		return 1;
	for (int i = 0; i < t->n; i++)
		if (kill(t->pid[i], 0) == 0)
			return 1;
	return 0;
}

#endif
