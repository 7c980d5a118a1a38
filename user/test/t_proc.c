/*
 * t_proc - processes: fork/wait4 exit codes, ids, WNOHANG, ECHILD, execve (of ourselves,
 * of missing and of non-ELF files), orphans being re-parented, kill(pid, 0), ESRCH,
 * process groups and sessions, and posix_spawn (glibc's CLONE_VM|CLONE_VFORK path).
 *
 * "t_proc exit42" is the mode the exec checks start: it exits with 42.
 */
#include "ulib.h"
#include <spawn.h>

static const char *self;

/* check_exit_codes - every exit code 0..255 survives the trip through wait4. */
static void check_exit_codes(void)
{
	int bad = -1;

	for (int code = 0; code < 256; code++) {
		pid_t pid = xfork();
		int st;

		if (pid == 0)
			_exit(code);
		st = wait_pid(pid);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != code) {
			bad = code;
			break;
		}
	}
	CHECK(bad < 0, "exit codes 0..255 round-trip through wait4 (first bad: %d)", bad);
}

/* check_ids - getpid/getppid/gettid in parent and child agree with fork's result. */
static void check_ids(void)
{
	pid_t me = getpid(), pid;
	int p[2], st;
	long ids[3] = {0, 0, 0};

	CHECK(me > 0 && gettid() == me, "gettid() == getpid() with a single thread");
	xpipe(p);
	pid = xfork();
	if (pid == 0) {
		ids[0] = getpid();
		ids[1] = getppid();
		ids[2] = gettid();
		write(p[1], ids, sizeof(ids));
		_exit(0);
	}
	read(p[0], ids, sizeof(ids));
	st = wait_pid(pid);
	CHECK(ids[0] == pid && ids[1] == me && ids[2] == pid,
	      "child sees getpid() == fork's result, getppid() == parent, gettid() == pid");
	CHECK(WIFEXITED(st), "child exits");
	CHECK(pid != me, "child pid differs from parent pid");
	close(p[0]);
	close(p[1]);
}

/* check_wait - WNOHANG on a live child, several children in any order, ECHILD. */
static void check_wait(void)
{
	int p[2], st, seen = 0;
	pid_t pid, kids[5];
	char c;

	xpipe(p);
	pid = xfork();
	if (pid == 0) {
		close(p[1]);
		read(p[0], &c, 1); /* wait until the parent hangs up */
		_exit(7);
	}
	close(p[0]);
	CHECK(wait4(pid, &st, WNOHANG, NULL) == 0, "wait4 WNOHANG on a running child -> 0");
	CHECK(wait4(-1, &st, WNOHANG, NULL) == 0, "wait4(-1, WNOHANG) with a running child -> 0");
	close(p[1]);
	CHECK(wait4(pid, &st, 0, NULL) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 7,
	      "blocking wait4 collects the child once it exits");

	for (int i = 0; i < 5; i++) {
		kids[i] = xfork();
		if (kids[i] == 0)
			_exit(10 + i);
	}
	for (int i = 0; i < 5; i++) {
		pid = wait4(-1, &st, 0, NULL);
		for (int k = 0; k < 5; k++)
			if (pid == kids[k] && WIFEXITED(st) && WEXITSTATUS(st) == 10 + k)
				seen |= 1 << k;
	}
	CHECK(seen == 0x1f, "wait4(-1) collects 5 children, each with its own status");
	CHECK_ERR(wait4(-1, &st, 0, NULL), ECHILD, "wait4(-1) with no children -> ECHILD");
	CHECK_ERR(wait4(-1, &st, WNOHANG, NULL), ECHILD,
		  "wait4(-1, WNOHANG), no children -> ECHILD");
	CHECK_ERR(wait4(getppid(), &st, 0, NULL), ECHILD, "wait4 on our parent -> ECHILD");
	CHECK_ERR(wait4(getpid(), &st, 0, NULL), ECHILD, "wait4 on ourselves -> ECHILD");
	CHECK_ERR(wait4(pid, &st, 0, NULL), ECHILD, "wait4 on an already reaped child -> ECHILD");
}

/* exec_status - fork, execve(path, argv) in the child; the wait status (errno as exit). */
static int exec_status(const char *path, char *const argv[])
{
	pid_t pid = xfork();

	if (pid == 0) {
		execve(path, argv, environ);
		_exit(errno < 100 ? errno : 100);
	}
	return wait_pid(pid);
}

/* check_exec - execve ourselves, a missing file and a file that is not an ELF binary. */
static void check_exec(void)
{
	char *argv[] = {(char *)self, "exit42", NULL};
	char *nargv[] = {"x", NULL};
	int st = exec_status(self, argv);

	if (!on_holstein() && WIFEXITED(st) && WEXITSTATUS(st) == ENOEXEC)
		t_skip("execve of a riscv64 binary (host has no binfmt_misc entry for qemu)");
	else
		CHECK_EXIT(st, 42, "execve of our own binary runs it (exits 42)");
	st = exec_status("/no/such/program", nargv);
	CHECK_EXIT(st, ENOENT, "execve of a missing file -> ENOENT");
	st = exec_status("/", nargv);
	CHECK_EXIT(st, EACCES, "execve of a directory -> EACCES");
	/* /proc/meminfo is text: ENOEXEC, or EACCES where the mode bits forbid exec first. */
	st = exec_status("/proc/meminfo", nargv);
	CHECK(WIFEXITED(st) && (WEXITSTATUS(st) == ENOEXEC || WEXITSTATUS(st) == EACCES),
	      "execve of a non-ELF file fails (%s)", status_str(st));
	errno = 0;
	CHECK(execve("/no/such/program", nargv, environ) == -1 && errno == ENOENT,
	      "failed execve returns to the caller");
}

/*
 * check_spawn - posix_spawn of ourselves: glibc uses clone(CLONE_VM|CLONE_VFORK), and the
 * child reports an exec failure through the shared memory. qemu-user runs CLONE_VFORK as a
 * plain fork, so there an exec failure shows up only as the child's exit 127.
 */
static void check_spawn(void)
{
	char *argv[] = {(char *)self, "exit42", NULL};
	char *nargv[] = {"x", NULL};
	pid_t pid;
	int st, err = posix_spawn(&pid, self, NULL, NULL, argv, environ);

	st = err ? -1 : wait_pid(pid);
	if (!on_holstein() && (err == ENOEXEC || (WIFEXITED(st) && WEXITSTATUS(st) == 127)))
		t_skip("posix_spawn of a riscv64 binary (host has no binfmt_misc entry)");
	else if (CHECK(err == 0, "posix_spawn of our own binary (%s)", strerror(err)))
		CHECK_EXIT(st, 42, "spawned child exits 42");

	err = posix_spawn(&pid, "/no/such/program", NULL, NULL, nargv, environ);
	st = err ? -1 : wait_pid(pid);
	if (!on_holstein() && WIFEXITED(st) && WEXITSTATUS(st) == 127)
		t_skip("posix_spawn error reporting (qemu-user runs vfork as fork)");
	else
		CHECK(err == ENOENT, "posix_spawn of a missing file reports ENOENT (%s)",
		      strerror(err));
	CHECK_ERR(wait4(-1, NULL, WNOHANG, NULL), ECHILD, "no child left behind by posix_spawn");
}

/*
 * check_orphan - a grandchild whose parent exits is re-parented: to init (pid 1) on
 * Holstein; under qemu-user the host may pick a subreaper, so just "not the old parent".
 */
static void check_orphan(void)
{
	int p[2], st;
	long info[2] = {0, 0};
	pid_t child;
	ssize_t n;

	xpipe(p);
	child = xfork();
	if (child == 0) {
		pid_t me = getpid();

		if (xfork() == 0) {
			/* A limit for a re-parenting that never happens, not a wait. */
			uint64_t deadline = now_ns() + 60000000000ULL;

			while (getppid() == me && now_ns() < deadline)
				sched_yield();
			info[0] = me;
			info[1] = getppid();
			write(p[1], info, sizeof(info));
			_exit(0);
		}
		_exit(0);
	}
	close(p[1]);
	st = wait_pid(child);
	CHECK_EXIT(st, 0, "middle process exits");
	/* Reading to end of file also waits until the grandchild has exited. */
	n = read(p[0], info, sizeof(info));
	CHECK(n == sizeof(info) && info[0] == child, "grandchild reports");
	if (on_holstein())
		CHECK(info[1] == 1, "orphan is re-parented to init (ppid %ld)", info[1]);
	else
		CHECK(info[1] != child && info[1] > 0, "orphan is re-parented (ppid %ld)", info[1]);
	while (read(p[0], info, sizeof(info)) > 0)
		;
	close(p[0]);
}

/* check_kill - kill(pid, 0) probes, ESRCH for a gone process, EINVAL for a bad signal. */
static void check_kill(void)
{
	int p[2];
	pid_t pid;
	char c;

	CHECK(kill(getpid(), 0) == 0, "kill(self, 0) succeeds");
	xpipe(p);
	pid = xfork();
	if (pid == 0) {
		close(p[1]);
		read(p[0], &c, 1);
		_exit(0);
	}
	close(p[0]);
	CHECK(kill(pid, 0) == 0, "kill(child, 0) succeeds while it lives");
	CHECK_ERR(kill(pid, 99), EINVAL, "kill with signal 99 -> EINVAL");
	close(p[1]);
	wait_pid(pid);
	CHECK_ERR(kill(pid, 0), ESRCH, "kill(reaped child, 0) -> ESRCH");
	CHECK_ERR(kill(999999, SIGTERM), ESRCH, "kill(999999) -> ESRCH");

	/* A zombie still exists for kill until it is reaped. */
	xpipe(p);
	pid = xfork();
	if (pid == 0)
		_exit(0);
	close(p[1]);
	read(p[0], &c, 1); /* end of file: the child has exited (or is exiting) */
	close(p[0]);
	CHECK(kill(pid, 0) == 0, "kill(exited but unreaped child, 0) succeeds");
	wait_pid(pid);
}

/* check_groups - setpgid/getpgid in a child, and setsid making a new session. */
static void check_groups(void)
{
	int p[2], st;
	long info[4] = {0, 0, 0, 0};
	pid_t pid;

	/*
	 * Linux reports 0 when the group or session leader lives outside our pid
	 * namespace (a CI container), so the oracle can only ask for success.
	 */
	CHECK(getpgid(0) != -1 && getsid(0) != -1, "getpgid(0) and getsid(0) succeed");
	if (on_holstein())
		CHECK(getpgid(0) > 0 && getsid(0) > 0, "getpgid(0) and getsid(0) name a process");
	CHECK(getpgid(0) == getpgrp(), "getpgid(0) == getpgrp()");
	xpipe(p);
	pid = xfork();
	if (pid == 0) {
		info[0] = setpgid(0, 0) == 0 ? getpgid(0) : -1;
		info[1] = getsid(0);
		info[2] = setsid();
		info[3] = getsid(0) == getpid() && getpgid(0) == getpid();
		write(p[1], info, sizeof(info));
		_exit(0);
	}
	read(p[0], info, sizeof(info));
	st = wait_pid(pid);
	CHECK(info[0] == pid, "setpgid(0, 0) makes the child a group leader");
	CHECK(info[1] == getsid(0), "the child is in our session until setsid");
	CHECK(info[2] == -1, "setsid by a group leader fails (EPERM)");
	CHECK(WIFEXITED(st), "setpgid child exits");

	pid = xfork();
	if (pid == 0)
		_exit(setsid() == getpid() && getsid(0) == getpid() && getpgid(0) == getpid() ? 0
											      : 1);
	CHECK_EXIT(wait_pid(pid), 0, "setsid in a non-leader child creates a session and group");
	CHECK_ERR(getpgid(999999), ESRCH, "getpgid of a missing process -> ESRCH");
	close(p[0]);
	close(p[1]);
}

/* main - dispatch the exec helper mode, otherwise run the checks. */
/* exit_with - child body: exit with the status in arg. */
static void exit_with(void *arg)
{
	_exit((int)(intptr_t)arg);
}

/* check_waitid - waitid: siginfo for exits and kills, WNOWAIT, WNOHANG, P_PGID, errors. */
static void check_waitid(void)
{
	siginfo_t si;
	pid_t pid;

	pid = xfork();
	if (pid == 0)
		exit_with((void *)7);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) == 0 && si.si_pid == pid &&
		      si.si_signo == SIGCHLD && si.si_code == CLD_EXITED && si.si_status == 7,
	      "waitid(WNOWAIT) reports exit 7 (pid %d code %d status %d)", (int)si.si_pid,
	      si.si_code, si.si_status);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_ALL, 0, &si, WEXITED) == 0 && si.si_pid == pid && si.si_status == 7,
	      "... and the child is still there to be reaped");
	CHECK_ERR(waitid(P_PID, (id_t)pid, &si, WEXITED), ECHILD, "reaped: waitid -> ECHILD");

	pid = xfork();
	if (pid == 0) {
		setpgid(0, 0);
		for (;;)
			pause();
	}
	setpgid(pid, pid);	/* both sides, so the group exists whoever runs first */
	memset(&si, 0, sizeof(si));
	si.si_pid = 12345;
	CHECK(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG) == 0 && si.si_pid == 0,
	      "WNOHANG with a live child returns 0 and si_pid 0");
	kill(pid, SIGTERM);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_PGID, (id_t)pid, &si, WEXITED) == 0 && si.si_pid == pid &&
		      si.si_code == CLD_KILLED && si.si_status == SIGTERM,
	      "P_PGID finds the child killed by SIGTERM (code %d status %d)", si.si_code,
	      si.si_status);
	CHECK_ERR(waitid(P_PID, (id_t)getpid(), &si, 0), EINVAL, "waitid without WEXITED -> EINVAL");
	CHECK_ERR(waitid(7, 0, &si, WEXITED), EINVAL, "waitid with id type 7 -> EINVAL");
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exit42"))
		return 42;
	self = self_path(argv[0]);
	t_init();
	check_exit_codes();
	check_ids();
	check_wait();
	check_exec();
	check_spawn();
	check_orphan();
	check_kill();
	check_groups();
	check_waitid();
	return t_done("t_proc");
}
