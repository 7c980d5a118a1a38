/*
 * t_procthreads - threads as /proc shows them: a process with three extra threads,
 * each parked on a barrier, has Threads: 4 in its status, one directory per thread id
 * in /proc/self/task, task files whose stat starts with the thread's id and whose
 * status shows Tgid and the thread's Pid, per-thread names (comm), CPU time per thread
 * in a task's stat and summed over the threads in the process's, /proc/<tid> of a
 * thread that is not the leader (readable, but not listed in /proc), the thread-self
 * link, and ps -T / -L on Holstein.  After the threads are joined, the count and the
 * task directory shrink back.
 *
 * Under qemu-riscv64 the host's /proc is read, and qemu has threads of its own (and
 * fakes /proc/self/stat, maps and cmdline), so counts are taken relative to what the
 * process had before it made its threads, and the self files qemu fakes are read by
 * pid through a non-leader thread's directory instead.
 */
#include "ulib.h"
#include <dirent.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#define NEXTRA 3
#define MAXIDS 64
#define BURN_NS 30000000ULL	/* CPU time each extra thread uses before it parks */

struct worker {
	pthread_t th;
	int idx;
	pid_t tid;
	char self_link[64];	/* readlink("/proc/thread-self") in the thread */
	long self_stat_tid;	/* field 1 of /proc/thread-self/stat, read by the thread */
};

static struct worker workers[NEXTRA];
static pthread_barrier_t parked, release;

static pid_t xgettid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

/* thread_cpu_ns - the calling thread's CPU time. */
static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* stat_tid - field 1 of the stat file at path, or -1. */
static long stat_tid(const char *path)
{
	char buf[1024];

	return read_small_file(path, buf, sizeof(buf)) > 0 ? strtol(buf, NULL, 10) : -1;
}

/*
 * worker_main - note our id, name ourselves, use some CPU time (until our own CPU clock
 * says so: work, not a wait), look at thread-self, then park until main has looked.
 */
static void *worker_main(void *arg)
{
	struct worker *w = arg;
	char name[16];
	volatile unsigned long spin = 0;

	w->tid = xgettid();
	snprintf(name, sizeof(name), "ptworker%d", w->idx);
	prctl(PR_SET_NAME, name);
	for (uint64_t start = thread_cpu_ns(); thread_cpu_ns() - start < BURN_NS;)
		spin++;
	long n = readlink("/proc/thread-self", w->self_link, sizeof(w->self_link) - 1);
	w->self_link[n > 0 ? n : 0] = 0;
	w->self_stat_tid = stat_tid("/proc/thread-self/stat");
	pthread_barrier_wait(&parked);
	pthread_barrier_wait(&release);
	return NULL;
}

/* list_ids - the numeric names in directory path, sorted, into ids; how many, or -1. */
static int list_ids(const char *path, int *ids, int max)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) && n < max)
		if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
			ids[n++] = atoi(e->d_name);
	closedir(d);
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && ids[j - 1] > ids[j]; j--) {
			int t = ids[j];
			ids[j] = ids[j - 1];
			ids[j - 1] = t;
		}
	return n;
}

/* has_id - whether id is among the n ids. */
static int has_id(const int *ids, int n, int id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

/* status_field - a number from the status file at path ("Tgid", "Threads"...), or -1. */
static long status_field(const char *path, const char *key)
{
	char buf[4096];

	return read_small_file(path, buf, sizeof(buf)) > 0 ? field_value(buf, key) : -1;
}

/* self_threads - Threads: of /proc/self/status. */
static long self_threads(void)
{
	return status_field("/proc/self/status", "Threads");
}

/*
 * stat_after_comm - fields 3 on of the stat file at path: state into *state, and fields
 * 4..24 into f[4..24]. The name into comm (it may hold spaces: up to the last ')').
 * 0, or -1.
 */
static int stat_after_comm(const char *path, char *comm, char *state, long f[25])
{
	char buf[1024], *open, *close, *s;

	if (read_small_file(path, buf, sizeof(buf)) <= 0 || !(open = strchr(buf, '(')) ||
	    !(close = strrchr(buf, ')')))
		return -1;
	*close = 0;
	snprintf(comm, 16, "%s", open + 1);
	s = close + 2;
	*state = *s++;
	for (int i = 4; i <= 24; i++)
		f[i] = strtol(s, &s, 10);
	return 0;
}

/* comm_is - whether the comm file at path holds name and a newline. */
static int comm_is(const char *path, const char *name)
{
	char buf[64], want[64];

	snprintf(want, sizeof(want), "%s\n", name);
	return read_small_file(path, buf, sizeof(buf)) > 0 && !strcmp(buf, want);
}

/* check_task - the task directory of thread tid named name: stat, status, comm. */
static void check_task(pid_t tid, const char *name, long want_threads, long *cpu_ticks)
{
	char path[96], comm[16], state;
	long f[25];
	pid_t pid = getpid();

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	int ok = stat_after_comm(path, comm, &state, f) == 0;
	CHECK(ok && stat_tid(path) == tid, "task %d: stat field 1 is the thread id", tid);
	CHECK(ok && f[4] == getppid() && f[20] == want_threads,
	      "task %d: stat ppid %ld (want %d), num_threads %ld (want %ld)", tid, f[4],
	      (int)getppid(), f[20], want_threads);
	CHECK(ok && !strcmp(comm, name), "task %d: stat names the thread %s (got %s)", tid, name,
	      ok ? comm : "?");
	*cpu_ticks = ok ? f[14] + f[15] : -1;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", pid, tid);
	CHECK(status_field(path, "Tgid") == pid && status_field(path, "Pid") == tid &&
		      status_field(path, "PPid") == getppid() &&
		      status_field(path, "Threads") == want_threads,
	      "task %d: status has Tgid %d, Pid %d, PPid, Threads %ld", tid, pid, tid, want_threads);
	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", tid);
	CHECK(comm_is(path, name), "task %d: comm is %s", tid, name);
}

/* check_nonleader - /proc/<tid> of a thread that is not the leader: readable, not listed. */
static void check_nonleader(pid_t tid, long want_threads, long tasks_ticks)
{
	char path[64], comm[16], state;
	static int ids[32768];
	long f[25];
	int n = list_ids("/proc", ids, 32768);

	CHECK(n > 0 && has_id(ids, n, getpid()) && !has_id(ids, n, tid),
	      "/proc lists the process %d but not its thread %d", (int)getpid(), tid);
	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	CHECK(status_field(path, "Pid") == tid && status_field(path, "Tgid") == getpid() &&
		      status_field(path, "Threads") == want_threads,
	      "/proc/%d/status of a non-leader: Pid %d, Tgid %d, Threads %ld", tid, tid,
	      (int)getpid(), want_threads);
	snprintf(path, sizeof(path), "/proc/%d/stat", tid);
	int ok = stat_after_comm(path, comm, &state, f) == 0;
	CHECK(ok && stat_tid(path) == tid && f[20] == want_threads,
	      "/proc/%d/stat: the thread's id, the process's %ld threads", tid, want_threads);
	/* Read after every task's: the sum only grows, and each task's split was rounded down. */
	CHECK(ok && f[14] + f[15] + 2 >= tasks_ticks && f[14] + f[15] >= NEXTRA * 3 - 1,
	      "the process's CPU time (%ld ticks) sums its threads' (%ld)", ok ? f[14] + f[15] : -1,
	      tasks_ticks);
	snprintf(path, sizeof(path), "/proc/%d/task", tid);
	CHECK(list_ids(path, ids, MAXIDS) == want_threads && has_id(ids, (int)want_threads, tid),
	      "/proc/%d/task lists the process's threads", tid);
}

/* check_thread_self - the link from main and from each thread, and what it leads to. */
static void check_thread_self(void)
{
	char link[64], want[64];
	long n = readlink("/proc/thread-self", link, sizeof(link) - 1);

	link[n > 0 ? n : 0] = 0;
	snprintf(want, sizeof(want), "%d/task/%d", (int)getpid(), (int)getpid());
	CHECK(!strcmp(link, want), "/proc/thread-self in main is %s (got %s)", want, link);
	CHECK(stat_tid("/proc/thread-self/stat") == getpid(), "/proc/thread-self/stat in main");
	for (int i = 0; i < NEXTRA; i++) {
		snprintf(want, sizeof(want), "%d/task/%d", (int)getpid(), workers[i].tid);
		CHECK(!strcmp(workers[i].self_link, want), "/proc/thread-self in thread %d is %s (got %s)",
		      i, want, workers[i].self_link);
		CHECK(workers[i].self_stat_tid == workers[i].tid,
		      "/proc/thread-self/stat in thread %d starts with its id", i);
	}
}

/* run_ps - the output of /bin/ps (BusyBox's) with options opt1 and opt2 (NULL: none), into buf. */
static void run_ps(const char *opt1, const char *opt2, char *buf, size_t size)
{
	int p[2];
	size_t len = 0;
	ssize_t n;

	xpipe(p);
	pid_t pid = xfork();
	if (pid == 0) {
		dup2(p[1], 1);
		execl("/bin/ps", "ps", opt1, opt2, (char *)NULL);	/* a NULL ends argv early */
		_exit(127);
	}
	close(p[1]);
	while (len + 1 < size && (n = read(p[0], buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = 0;
	close(p[0]);
	CHECK_EXIT(wait_pid(pid), 0, "ps %s %s runs", opt1 ? opt1 : "", opt2 ? opt2 : "");
}

/*
 * ps_line - whether text has a line that starts (after blanks) with the numbers a and b;
 * the next two numbers on it into more[0..1] (-1 where there are none).
 */
static int ps_line(const char *text, long a, long b, long more[2])
{
	for (const char *s = text; s && *s; s = strchr(s, '\n'), s = s ? s + 1 : s) {
		long x, y, z = -1, w = -1;
		if (sscanf(s, "%ld %ld %ld %ld", &x, &y, &z, &w) >= 2 && x == a && y == b) {
			more[0] = z;
			more[1] = w;
			return 1;
		}
	}
	return 0;
}

/*
 * check_ps - BusyBox's ps -T shows a line per thread (the thread's id, the process's
 * parent and group), plain ps the process once.  Holstein only: under the oracle /bin/ps
 * is the host's procps, whose -T means something else.
 */
static void check_ps(void)
{
	static char out[16384];
	pid_t pid = getpid();
	long more[2];
	int all = 1;

	run_ps("-T", "-opid,ppid,pgid,args", out, sizeof(out));
	CHECK(!strncmp(out, "PID   PPID  PGID", 16), "ps -T -o pid,ppid,pgid's header");
	all &= ps_line(out, pid, getppid(), more) && more[0] == getpgrp();
	for (int i = 0; i < NEXTRA; i++)
		all &= ps_line(out, workers[i].tid, getppid(), more) && more[0] == getpgrp();
	CHECK(all, "ps -T lists each of our threads with the parent and group");
	run_ps("-opid,ppid,pgid,args", NULL, out, sizeof(out));
	CHECK(ps_line(out, pid, getppid(), more) && !ps_line(out, workers[0].tid, getppid(), more),
	      "plain ps shows the process once, not its threads");
	CHECK(strstr(out, "/test/t_procthreads") != NULL || strstr(out, "t_procthreads") != NULL,
	      "ps shows our command line");
}

/* wait_threads - yield until Threads: and the task directory are back to want (bounded). */
static int wait_threads(long want)
{
	int ids[MAXIDS];
	uint64_t give_up = now_ns() + 60000000000ULL;	/* a hang guard, not a timing condition */

	while (self_threads() != want || list_ids("/proc/self/task", ids, MAXIDS) != want) {
		if (now_ns() > give_up)
			return 0;
		sched_yield();
	}
	return 1;
}

int main(void)
{
	int base_ids[MAXIDS], ids[MAXIDS];
	long base = self_threads(), ticks, tasks_ticks = 0;
	int nbase = list_ids("/proc/self/task", base_ids, MAXIDS);
	pid_t pid = getpid();
	char path[96], a[4096], b[4096];

	t_init();
	prctl(PR_SET_NAME, "ptmain");
	CHECK(base >= 1 && nbase == base && has_id(base_ids, nbase, pid),
	      "before: Threads: %ld, /proc/self/task lists %d ids with ours", base, nbase);
	if (on_holstein())
		CHECK(base == 1 && nbase == 1, "a process starts with one thread");
	pthread_barrier_init(&parked, NULL, NEXTRA + 1);
	pthread_barrier_init(&release, NULL, NEXTRA + 1);
	for (int i = 0; i < NEXTRA; i++) {
		workers[i].idx = i;
		if (pthread_create(&workers[i].th, NULL, worker_main, &workers[i]))
			die("pthread_create");
	}
	pthread_barrier_wait(&parked);

	long want = base + NEXTRA;
	CHECK(self_threads() == want, "Threads: %ld with %d more threads", want, NEXTRA);
	int n = list_ids("/proc/self/task", ids, MAXIDS);
	int all = n == want;
	for (int i = 0; i < nbase; i++)
		all &= has_id(ids, n, base_ids[i]);
	for (int i = 0; i < NEXTRA; i++)
		all &= has_id(ids, n, workers[i].tid) && workers[i].tid != pid;
	CHECK(all, "/proc/self/task lists %ld ids: ours and each thread's gettid()", want);

	check_task(pid, "ptmain", want, &ticks);
	for (int i = 0; i < NEXTRA; i++) {
		char name[16];
		snprintf(name, sizeof(name), "ptworker%d", i);
		check_task(workers[i].tid, name, want, &ticks);
		CHECK(ticks >= 2, "thread %d's stat has its CPU time (%ld ticks)", i, ticks);
		tasks_ticks += ticks;
	}
	check_nonleader(workers[0].tid, want, tasks_ticks);
	check_thread_self();
	if (on_holstein()) {
		CHECK(comm_is("/proc/self/comm", "ptmain"), "/proc/self/comm is the leader's name");
		snprintf(path, sizeof(path), "/proc/self/task/%d/maps", workers[1].tid);
		CHECK(read_small_file("/proc/self/maps", a, sizeof(a)) > 0 &&
			      read_small_file(path, b, sizeof(b)) > 0 && !strcmp(a, b),
		      "a thread's maps is the process's");
		snprintf(path, sizeof(path), "/proc/self/task/%d/cmdline", workers[2].tid);
		CHECK(read_small_file("/proc/self/cmdline", a, sizeof(a)) > 0 &&
			      read_small_file(path, b, sizeof(b)) > 0 && !strcmp(a, b),
		      "a thread's cmdline is the process's");
		long f[25];
		char comm[16], state;
		CHECK(stat_after_comm("/proc/self/stat", comm, &state, f) == 0 &&
			      stat_tid("/proc/self/stat") == pid && f[20] == want,
		      "/proc/self/stat: our pid, %ld threads", want);
		check_ps();
	} else {
		t_skip("/proc/self/{stat,maps,cmdline} and ps: qemu fakes the first, ps is ours");
	}

	pthread_barrier_wait(&release);
	for (int i = 0; i < NEXTRA; i++)
		pthread_join(workers[i].th, NULL);
	CHECK(wait_threads(base), "after join: Threads: %ld and as many task entries", base);
	n = list_ids("/proc/self/task", ids, MAXIDS);
	all = n == nbase;
	for (int i = 0; i < nbase && all; i++)
		all &= ids[i] == base_ids[i];
	CHECK(all, "after join: /proc/self/task is as before");
	snprintf(path, sizeof(path), "/proc/%d/status", workers[0].tid);
	CHECK_ERR(open(path, O_RDONLY), ENOENT, "/proc/<tid> of a joined thread is gone");
	snprintf(path, sizeof(path), "/proc/self/task/%d", workers[1].tid);
	CHECK_ERR(open(path, O_RDONLY), ENOENT, "its task directory is gone");
	return t_done("t_procthreads");
}
