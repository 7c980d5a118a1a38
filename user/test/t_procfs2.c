/*
 * t_procfs2 - what top, ps, free, uptime and dmesg read: /proc/stat, /proc/PID/stat's 52
 * fields (against getpid, getppid, getpgrp, getsid; num_threads with threads; starttime
 * not after now), /proc/loadavg's format, /proc/PID/cmdline and environ after an exec with
 * a known argv and environment, the cwd and root links, /proc/filesystems, and syslog(2)
 * (SIZE_BUFFER, READ_ALL holds the boot lines, bad arguments are EINVAL).
 *
 * Under qemu-riscv64 the /proc files are the host's (Linux's own, so the checks hold there
 * too) except /proc/self/stat, which qemu makes up: our own stat is read only on Holstein,
 * a child's everywhere.  The host's log may be closed to us (dmesg_restrict: EPERM): skipped.
 *
 * "t_procfs2 child" is the exec'd mode: it says so on stdout and waits for stdin to close.
 */
#include "ulib.h"
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>

#define NTHREADS 2

/* stat_fields - the fields of the stat file @path after "pid (comm)": into f[3..], their count. */
static int stat_fields(const char *path, char *state, long long f[64])
{
	static char buf[4096];
	char *p;
	int n = 3;

	if (read_small_file(path, buf, sizeof(buf)) <= 0 || !(p = strrchr(buf, ')')))
		return -1;
	f[1] = atoll(buf);
	p += 2;
	*state = *p;
	p += 1;
	while (*p == ' ' && n < 63) {
		char *end;
		f[++n] = strtoll(p + 1, &end, 10);
		p = end;
	}
	return n;
}

/* check_stat_file - /proc/stat's lines: the cpu totals, per-hart lines, the counts. */
static void check_stat_file(void)
{
	static char buf[16384];
	unsigned long long v[4];
	long btime = 0, running = 0;
	char *l;

	CHECK(read_small_file("/proc/stat", buf, sizeof(buf)) > 0, "/proc/stat reads");
	CHECK(sscanf(buf, "cpu  %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3]) == 4,
	      "/proc/stat starts with \"cpu  \" and user, nice, system, idle");
	CHECK(strstr(buf, "\ncpu0 ") != NULL, "/proc/stat has a cpu0 line");
	if ((l = strstr(buf, "\nbtime ")))
		btime = atol(l + 7);
	CHECK(btime > 0 && btime <= time(NULL), "btime %ld is in the past", btime);
	if ((l = strstr(buf, "\nprocs_running ")))
		running = atol(l + 15);
	CHECK(running >= 1, "procs_running %ld counts at least us", running);
	CHECK(strstr(buf, "\nctxt ") && strstr(buf, "\nintr ") && strstr(buf, "\nprocesses ") &&
		      strstr(buf, "\nprocs_blocked "),
	      "/proc/stat has intr, ctxt, processes and procs_blocked");
}

/* check_loadavg - "0.00 0.01 0.05 1/42 123": three averages with two decimals, counts, a pid. */
static void check_loadavg(void)
{
	char buf[128];
	int ok = read_small_file("/proc/loadavg", buf, sizeof(buf)) > 0, run = 0, all = 0, last = 0;
	const char *p = buf;

	for (int i = 0; i < 3 && ok; i++) {
		while (*p >= '0' && *p <= '9')
			p++;
		ok = p > buf && p[0] == '.' && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' &&
		     p[2] <= '9' && p[3] == ' ';
		p += 4;
	}
	CHECK(ok, "/proc/loadavg starts with three averages N.NN: %.*s", (int)strcspn(buf, "\n"), buf);
	CHECK(ok && sscanf(p, "%d/%d %d", &run, &all, &last) == 3 && run >= 1 && all >= run &&
		      last > 0 && strchr(buf, '\n') == buf + strlen(buf) - 1,
	      "then running/total and the last pid: %d/%d %d", run, all, last);
}

/*
 * check_sysinfo_loads - sysinfo's loads (16-bit fixed point) are /proc/loadavg's, which
 * uptime prints; read between two equal loadavg texts (it changes every 5 s), so a change
 * meanwhile makes it look again instead of failing.
 */
static void check_sysinfo_loads(void)
{
	char a[128], b[128], mine[64];
	struct sysinfo si;
	int tries = 0, same = 0;

	do {
		read_small_file("/proc/loadavg", a, sizeof(a));
		CHECK(sysinfo(&si) == 0 || tries, "sysinfo");
		read_small_file("/proc/loadavg", b, sizeof(b));
		same = !strcmp(a, b);
	} while (!same && ++tries < 10);
	/* Linux's loads are its 11-bit averages shifted by 5; loadavg rounds to 1/100 so. */
	unsigned long l[3];
	for (int i = 0; i < 3; i++)
		l[i] = (si.loads[i] >> 5) + 2048 / 200;
	snprintf(mine, sizeof(mine), "%lu.%02lu %lu.%02lu %lu.%02lu ", l[0] >> 11,
		 ((l[0] & 2047) * 100) >> 11, l[1] >> 11, ((l[1] & 2047) * 100) >> 11, l[2] >> 11,
		 ((l[2] & 2047) * 100) >> 11);
	CHECK(same && !strncmp(a, mine, strlen(mine)),
	      "sysinfo's loads are /proc/loadavg's: %s vs %.*s", mine, (int)strcspn(a, "\n"), a);
	CHECK(si.procs >= 1, "sysinfo counts %u processes", si.procs);
}

/* thread_main - a thread that waits on the barrier until the checks are done. */
static void *thread_main(void *arg)
{
	pthread_barrier_wait(arg);
	pthread_barrier_wait(arg);
	return NULL;
}

/* check_self_stat - our own stat (Holstein only: qemu fakes it), with threads running. */
static void check_self_stat(void)
{
	pthread_barrier_t bar;
	pthread_t th[NTHREADS];
	long long f[64];
	char state;
	int n;

	pthread_barrier_init(&bar, NULL, NTHREADS + 1);
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&th[i], NULL, thread_main, &bar);
	pthread_barrier_wait(&bar);
	n = stat_fields("/proc/self/stat", &state, f);
	CHECK(n == 52, "/proc/self/stat has Linux 6.1's 52 fields (%d)", n);
	CHECK(f[1] == getpid() && state == 'R' && f[4] == getppid() && f[5] == getpgrp() &&
		      f[6] == getsid(0),
	      "pid, state R, ppid, pgrp and session match the calls");
	CHECK(f[20] == NTHREADS + 1, "num_threads %lld with %d threads started", f[20], NTHREADS);
	pthread_barrier_wait(&bar);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	/* A joined thread's tid is cleared before it has quite gone (on Linux too): yield. */
	uint64_t give_up = now_ns() + 60000000000ULL;	/* a hang guard, not a timing condition */
	while ((n = stat_fields("/proc/self/stat", &state, f)) == 52 && f[20] != 1 &&
	       now_ns() < give_up)
		sched_yield();
	CHECK(n == 52 && f[20] == 1, "num_threads 1 once they are joined and gone (%lld)", f[20]);
}

/* uptime_ticks - /proc/uptime's first number in clock ticks (1/100 s), rounded up. */
static long long uptime_ticks(void)
{
	char buf[64];
	double up = 0;

	if (read_small_file("/proc/uptime", buf, sizeof(buf)) > 0)
		sscanf(buf, "%lf", &up);
	return (long long)(up * 100) + 1;
}

/* check_child - a child exec'd with a known argv and environment, seen through /proc. */
static void check_child(const char *self)
{
	static const char want_cmd[] = "t_procfs2\0child\0two words\0\0last";	/* + NUL */
	static const char want_env[] = "T_PROCFS2=yes\0EMPTY=";
	char *argv[] = { "t_procfs2", "child", "two words", "", "last", NULL };
	char *envp[] = { "T_PROCFS2=yes", "EMPTY=", NULL };
	char path[64], ready[8] = "", buf[4096];
	int to[2], from[2], st;
	long long f[64];
	long n;
	char state;

	xpipe(to);
	xpipe(from);
	pid_t pid = xfork();
	if (pid == 0) {
		dup2(to[0], 0);
		dup2(from[1], 1);
		close(to[1]);
		close(from[0]);
		execve(self, argv, envp);
		_exit(errno == ENOEXEC ? 99 : 98);
	}
	close(to[0]);
	close(from[1]);
	if (read(from[0], ready, sizeof(ready) - 1) <= 0) {
		close(to[1]);
		st = wait_pid(pid);
		if (!on_holstein() && WIFEXITED(st) && WEXITSTATUS(st) == 99)
			t_skip("exec of a riscv64 binary (host has no binfmt_misc entry for qemu)");
		else
			CHECK(0, "the exec'd child said it was ready (%s)", status_str(st));
		close(from[0]);
		return;
	}
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	n = stat_fields(path, &state, f);
	CHECK(n >= 52 && f[1] == pid && f[4] == getpid() && f[5] == getpgrp() &&
		      f[6] == getsid(0),
	      "a child's stat: %ld fields, its pid, our pid as ppid, our pgrp and session", n);
	CHECK(f[22] <= uptime_ticks(), "its starttime %lld is not after now", f[22]);
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	n = read_small_file(path, buf, sizeof(buf));	/* NULs and all */
	/* qemu-user children show qemu's own arguments first: ours must end the text. */
	CHECK(n >= (long)sizeof(want_cmd) &&
		      !memcmp(buf + n - sizeof(want_cmd), want_cmd, sizeof(want_cmd)) &&
		      (!on_holstein() || n == (long)sizeof(want_cmd)),
	      "cmdline is argv, NUL after each, empty strings kept (%ld bytes)", n);
	snprintf(path, sizeof(path), "/proc/%d/environ", pid);
	n = read_small_file(path, buf, sizeof(buf));	/* NULs and all */
	CHECK(n >= (long)sizeof(want_env) && memmem(buf, (size_t)n, want_env, sizeof(want_env)) &&
		      (!on_holstein() || n == (long)sizeof(want_env)),
	      "environ is the environment exec gave (%ld bytes)", n);
	close(to[1]);
	CHECK_EXIT(wait_pid(pid), 0, "the child ends when its stdin closes");
	close(from[0]);
}

/* check_links - cwd follows chdir, root is "/"; /proc/filesystems lists tmpfs and proc. */
static void check_links(void)
{
	char cwd[256], link[256], buf[1024];
	ssize_t n;

	CHECK(chdir("/tmp") == 0 && getcwd(cwd, sizeof(cwd)), "chdir /tmp");
	n = readlink("/proc/self/cwd", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = 0;
	CHECK(n > 0 && !strcmp(link, cwd), "/proc/self/cwd -> %s (getcwd: %s)", link, cwd);
	n = readlink("/proc/self/root", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = 0;
	CHECK(!strcmp(link, "/"), "/proc/self/root -> %s", link);
	CHECK(read_small_file("/proc/filesystems", buf, sizeof(buf)) > 0 &&
		      strstr(buf, "nodev\ttmpfs\n") && strstr(buf, "nodev\tproc\n"),
	      "/proc/filesystems lists tmpfs and proc as nodev");
	CHECK(chdir("/") == 0, "chdir /");
}

/* check_syslog - syslog(2): the ring's size, its boot lines, and errors. */
static void check_syslog(void)
{
	static char buf[1 << 17];
	long size = syscall(SYS_syslog, 10, NULL, 0), n;

	if (size < 0 && !on_holstein() && (errno == EPERM || errno == ENOSYS)) {
		t_skip("syslog(2): the host keeps its log from us (%s)", strerror(errno));
		return;
	}
	CHECK(size > 0, "SIZE_BUFFER: %ld bytes", size);
	n = syscall(SYS_syslog, 3, buf, (int)sizeof(buf) - 1);
	CHECK(n > 0, "READ_ALL returns text (%ld bytes)", n);
	buf[n > 0 ? n : 0] = 0;
	CHECK(buf[0] == '<' && buf[1] >= '0' && buf[1] <= '7' && buf[2] == '>' && buf[3] == '[' &&
		      strstr(buf, "] "),
	      "lines are \"<level>[seconds.micro] text\": %.40s", buf);
	/* Tests before us may have logged enough to wrap the ring: then the boot lines are gone. */
	if (on_holstein() && n < size - 4096)
		CHECK(strstr(buf, "Holstein riscv64 kernel") && strstr(buf, "harts online"),
		      "it holds the boot lines");
	else if (on_holstein())
		CHECK(strchr(buf, '\n') && buf[n - 1] == '\n',
		      "the ring wrapped: it starts and ends at whole lines (%ld bytes)", n);
	n = syscall(SYS_syslog, 3, buf, 16);
	CHECK(n >= 0 && n <= 16, "READ_ALL with 16 bytes returns at most 16 (%ld)", n);
	CHECK(syscall(SYS_syslog, 9, NULL, 0) >= 0, "SIZE_UNREAD answers");
	if (on_holstein())	/* qemu-user hands the host a translated NULL: not EINVAL */
		CHECK_ERR(syscall(SYS_syslog, 3, NULL, 10), EINVAL, "READ_ALL into NULL -> EINVAL");
	CHECK_ERR(syscall(SYS_syslog, 8, NULL, 0), EINVAL, "CONSOLE_LEVEL 0 -> EINVAL");
	CHECK_ERR(syscall(SYS_syslog, 99, NULL, 0), EINVAL, "an unknown action -> EINVAL");
}

int main(int argc, char **argv)
{
	char c;

	if (argc > 1 && !strcmp(argv[1], "child")) {
		if (write(1, "ready", 5) != 5)
			return 2;
		while (read(0, &c, 1) > 0)
			;
		return 0;
	}
	t_init();
	check_stat_file();
	check_loadavg();
	check_sysinfo_loads();
	if (on_holstein())
		check_self_stat();
	else
		t_skip("/proc/self/stat: qemu-user makes up its own");
	check_child("/proc/self/exe");
	check_links();
	check_syslog();
	return t_done("t_procfs2");
}
