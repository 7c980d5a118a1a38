/*
 * memcheck - run a command, then check the kernel got all its memory back:
 *     memcheck [-t SECONDS] PROG [ARG...]
 *
 * On Holstein it reads MemFree and KernelObjects (/proc/meminfo) before PROG starts and,
 * once PROG and every child of ours it left behind are reaped, again (yielding a few dozen
 * times while MemFree is still low: another hart may still be freeing; files left in /tmp,
 * /var/tmp and /dev/shm and SysV segments are removed first), and prints
 *     memcheck: MemFree A -> B kB, KernelObjects C -> D: ok      (or: LEAK)
 * Off Holstein it prints "memcheck: not checked". Exits with PROG's status (128+N if
 * signal N killed it, 127 if it could not run), or 99 if memory leaked.
 *
 * PROG runs in its own process group. Whatever of that group is still running when PROG
 * ends (its children, when PROG itself was killed) is killed before memory is measured,
 * and so is every process init adopted during the run (orphans of a test that died or
 * failed, outside PROG's tree): "memcheck: N processes left to init by the run: killed".
 * With -t, if PROG is still running after SECONDS the whole group is killed ("memcheck:
 * PROG timed out"): a test stuck in user space (say, under fault injection) then ends the
 * run cleanly, and its memory is checked too.
 */
#include "ulib.h"
#include "scratch.h"
#include "proctree.h"
#include <limits.h>
#include <sys/shm.h>
#include <sys/mount.h>

/*
 * The places a program may leave data that outlives it by design: files and mounts in
 * the scratch directories (a test killed before its cleanup, under fault injection) and
 * SysV segments. They are memory the kernel still holds on purpose, not a leak, so
 * memcheck removes what PROG left there (only on Holstein, where they start empty)
 * before it measures.
 */
static const char *const scratch_dirs[] = { "/tmp", "/var/tmp", "/dev/shm" };

/*
 * unmount_leftovers - detach what a killed test left mounted below the scratch
 * directories (the fuzzer's pool tmpfs, say), newest first, so they can be emptied.
 */
static void unmount_leftovers(void)
{
	static char mp[64][256];
	char line[512], dev[64], dir[256];
	int n = 0;
	FILE *f = fopen("/proc/self/mounts", "r");

	if (!f)
		return;
	while (n < 64 && fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %255s", dev, dir) == 2)
			for (size_t i = 0; i < sizeof(scratch_dirs) / sizeof(scratch_dirs[0]); i++) {
				size_t l = strlen(scratch_dirs[i]);
				if (!strncmp(dir, scratch_dirs[i], l) && dir[l] == '/')
					snprintf(mp[n++], sizeof(mp[0]), "%s", dir);
			}
	fclose(f);
	while (n-- > 0)
		umount2(mp[n], MNT_DETACH);
}

/* clear_leftovers - empty the scratch directories and remove every SysV segment. */
static void clear_leftovers(void)
{
	struct shmid_ds ds;
	struct shm_info info;
	int max = shmctl(0, SHM_INFO, (struct shmid_ds *)&info);

	unmount_leftovers();

	for (size_t i = 0; i < sizeof(scratch_dirs) / sizeof(scratch_dirs[0]); i++) {
		/* Under fault injection a removal may fail for want of memory: try again. */
		int ok = 0;
		for (int tries = 0; tries < 20 && !ok; tries++) {
			int dfd = open(scratch_dirs[i], O_RDONLY | O_DIRECTORY);
			if (dfd >= 0) {
				ok = scratch_clear(dfd) == 0;
				close(dfd);
			}
		}
		if (!ok)
			printf("memcheck: could not empty %s\n", scratch_dirs[i]);
	}
	for (int idx = 0; idx <= max; idx++) {
		int id = shmctl(idx, SHM_STAT_ANY, &ds);
		if (id >= 0)
			shmctl(id, IPC_RMID, NULL);
	}
}

/* reap_all - collect every child that has already ended. */
static void reap_all(void)
{
	while (wait4(-1, NULL, WNOHANG, NULL) > 0)
		;
}

/* settle - MemFree once it is back at want or 50 rounds of yielding have passed. */
static long settle(long want)
{
	long now;

	reap_all();
	now = meminfo_kb("MemFree");
	for (int i = 0; i < 50 && now < want; i++) {
		for (int j = 0; j < 4; j++)
			sched_yield();
		reap_all();
		now = meminfo_kb("MemFree");
	}
	return now;
}

/* What memcheck ran: its process group and everything descended from it (proctree.h). */
static struct proc_tree tree;

/*
 * wait_timed - wait for pid, but after seconds (0: never) kill it, its process group and
 * every process descended from it, whatever their groups: a test runner's running test
 * sits in a group of its own. Returns the wait status; *timed_out says whether we killed.
 */
static int wait_timed(pid_t pid, long seconds, int *timed_out)
{
	uint64_t deadline = now_ns() + (uint64_t)seconds * 1000000000ULL;
	int st;

	*timed_out = 0;
	if (!seconds)
		return wait_pid(pid);
	for (;;) {
		pid_t r = wait4(pid, &st, WNOHANG, NULL);

		if (r == pid)
			return st;
		if (r < 0 && errno != EINTR)
			return -1;
		if (!*timed_out && now_ns() > deadline) {
			proc_tree_kill(&tree, pid);
			*timed_out = 1;
		}
		sleep_ns(10000000); /* polling for the deadline, not synchronisation */
	}
}

/*
 * kill_group - kill what is left of process group pgid (and of the tree, if a timeout
 * killed it) and wait (up to 10 s) until none of it exists any more. Returns whether
 * anything of the group was left.
 */
static int kill_group(pid_t pgid)
{
	int left = kill(-pgid, 0) == 0;

	for (int i = 0; i < 1000 && proc_tree_alive(&tree, pgid); i++) {
		kill(-pgid, SIGKILL);
		for (int j = 0; j < tree.n; j++)
			kill(tree.pid[j], SIGKILL);
		reap_all();
		sleep_ns(10000000); /* polling for the group to die, not synchronisation */
	}
	return left;
}

/*
 * fork_retry - fork, tried again while it fails for want of memory: under fault injection
 * (fail_alloc=N) a fork fails now and then, and the run must still start and be measured.
 */
static pid_t fork_retry(void)
{
	pid_t pid = fork();

	for (int i = 1; pid < 0 && (errno == ENOMEM || errno == EAGAIN) && i < 100; i++)
		pid = fork();
	return pid;
}

/*
 * Init's children before PROG started (whatever runs beside memcheck), and those it
 * adopted during the run. Touched whole before anything is measured: their pages are
 * memcheck's, not the kernel's.
 */
static struct proc_tree before, orphans;

/*
 * init_children - add to t each child of init (PID 1) but memcheck itself and those skip
 * (or NULL) holds. Opening /proc is tried again while it fails (for want of memory, under
 * fault injection): a snapshot that missed some of init's children would have them killed.
 */
static void init_children(struct proc_tree *t, const struct proc_tree *skip)
{
	DIR *d = opendir("/proc");
	struct dirent *e;

	for (int i = 0; !d && i < 100; i++)
		d = opendir("/proc");
	if (!d)
		return;
	while ((e = readdir(d)) && t->n < PROC_TREE_MAX) {
		pid_t pid = (pid_t)strtol(e->d_name, NULL, 10), ppid = 0;
		char state;
		int r = -1;

		for (int i = 0; pid > 1 && r < 0 && i < 100 && kill(pid, 0) == 0; i++)
			r = proc_stat_fields(pid, &ppid, &state);
		if (r == 0 && ppid == 1 && pid != getpid() && !(skip && proc_tree_has(skip, pid)) &&
		    !proc_tree_has(t, pid))
			t->pid[t->n++] = pid;
	}
	closedir(d);
}

/*
 * kill_orphans - kill what the run left to init, outside PROG's tree: the processes init
 * adopted since PROG started (children of a test that failed or died before reaping them,
 * or a whole test when the OOM killer took the runner itself under fault injection) and
 * everything descended from them; then wait (up to 10 s) until init has reaped them all.
 * Returns how many init had adopted.
 */
static int kill_orphans(void)
{
	struct proc_tree *t = &orphans;
	int adopted, alive = 1;

	t->n = 0;
	init_children(t, &before);
	adopted = t->n;
	for (int i = 0; i < adopted; i++)
		kill(t->pid[i], SIGSTOP);
	proc_tree_stop(t);
	for (int i = 0; i < t->n; i++)
		kill(t->pid[i], SIGKILL);
	for (int i = 0; i < 1000 && alive; i++) {
		alive = 0;
		for (int j = 0; j < t->n; j++)
			alive |= kill(t->pid[j], 0) == 0;
		if (alive)
			sleep_ns(10000000); /* polling for init to reap them, not synchronisation */
	}
	return adopted;
}

/* main - run the command and judge the memory afterwards. */
int main(int argc, char **argv)
{
	int check = on_holstein(), st, code, timed_out, n;
	long mem0 = -1, obj0 = -1, mem1, obj1, seconds = 0;
	pid_t pid;

	if (argc > 2 && !strcmp(argv[1], "-t")) {
		seconds = strtol(argv[2], NULL, 10);
		argv += 2;
		argc -= 2;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: memcheck [-t SECONDS] PROG [ARG...]\n");
		return 2;
	}
	printf("memcheck: running %s\n", argv[1]); /* also sets up stdout before measuring */
	fflush(stdout);
	/*
	 * Take the timeout's path once with nobody to kill (no process has pid INT_MAX): the
	 * walk over /proc (opendir's buffer), the tree and their pages are then ours before
	 * anything is measured.
	 */
	proc_tree_kill(&tree, INT_MAX);
	memset(&tree, 0, sizeof(tree));
	memset(&orphans, 0, sizeof(orphans));
	memset(&before, 0, sizeof(before));
	init_children(&before, NULL);
	if (check) {
		mem0 = settle(meminfo_kb("MemFree"));
		obj0 = meminfo_kb("KernelObjects");
	}
	pid = fork_retry();
	if (pid < 0) {
		printf("memcheck: fork: %s\n", strerror(errno));
		return 127;
	}
	if (pid == 0) {
		setpgid(0, 0);
		execvp(argv[1], argv + 1);
		for (int i = 1; (errno == ENOMEM || errno == EAGAIN) && i < 100; i++)
			execvp(argv[1], argv + 1); /* as fork_retry, under fault injection */
		fprintf(stderr, "memcheck: %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid); /* no race with the child's own setpgid: either one does it */
	st = wait_timed(pid, seconds, &timed_out);
	if (timed_out)
		printf("memcheck: %s timed out after %ld s, it and its descendants killed\n", argv[1],
		       seconds);
	if (kill_group(pid))
		printf("memcheck: processes of %s's group outlived it: killed\n", argv[1]);
	if ((n = kill_orphans()))
		printf("memcheck: %d processes left to init by the run: killed\n", n);
	code = st == -1 ? 127 : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
	if (!check) {
		printf("memcheck: not checked (not Holstein); %s %s\n", argv[1], status_str(st));
		return code;
	}
	/*
	 * In a child: the directory scans' buffers must not grow memcheck's own heap. Under
	 * fault injection the OOM killer may take that child too: then it runs again.
	 */
	for (int tries = 0; tries < 20; tries++) {
		pid_t c = fork_retry();
		if (c == 0) {
			clear_leftovers();
			_exit(0);
		}
		int cst = wait_pid(c);
		if (cst == -1 || !WIFSIGNALED(cst))
			break;
	}
	mem1 = settle(mem0);
	obj1 = meminfo_kb("KernelObjects");
	printf("memcheck: MemFree %ld -> %ld kB, KernelObjects %ld -> %ld: %s\n", mem0, mem1, obj0,
	       obj1, mem1 < mem0 || obj1 > obj0 ? "LEAK" : "ok");
	fflush(stdout);
	return mem1 < mem0 || obj1 > obj0 ? 99 : code;
}
