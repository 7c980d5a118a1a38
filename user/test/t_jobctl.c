/*
 * t_jobctl - job control stops: SIGSTOP/SIGTSTP stop a process, wait4 with WUNTRACED and
 * waitid with WSTOPPED report it, /proc shows 'T', a stopped process runs no user code and
 * takes no input, SIGCONT resumes it with no spurious EINTR and is reported to WCONTINUED, SIGKILL ends a stopped process, a caught or ignored
 * SIGTSTP does not stop, a blocked one stops on unblock, the parent gets SIGCHLD unless
 * SA_NOCLDSTOP, and reading the console from a background group means SIGTTIN.
 */
#include "ulib.h"
#include <poll.h>
#include <sys/time.h>

/*
 * quiet_for - 1 if nothing can be read from @fd (O_NONBLOCK) for @ms milliseconds. A
 * stopped process must stay silent however long we look, so this can only miss a bug,
 * never invent one.
 */
static int quiet_for(int fd, int ms)
{
	char c;
	uint64_t end = now_ns() + (uint64_t)ms * 1000000ULL;

	while (now_ns() < end) {
		if (read(fd, &c, 1) == 1)
			return 0;
		sched_yield();
	}
	return 1;
}

/*
 * byte_comes - 1 once a byte can be read from @fd (O_NONBLOCK), waiting as long as that
 * takes; 0 at end of file. However slow the host, no deadline: a byte that never comes is a
 * hang that testrun's per-test timeout reports.
 */
static int byte_comes(int fd)
{
	char c;
	int got;

	fcntl(fd, F_SETFL, 0);
	got = read(fd, &c, 1) == 1;
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return got;
}

/* drain - read everything @fd (O_NONBLOCK) holds right now. */
static void drain(int fd)
{
	char buf[256];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

/* A running child that stops, continues and is killed, as wait4 and /proc see it. */
static void check_stop_running(void)
{
	int p[2], st = 0;

	if (pipe(p) < 0)
		die("pipe");
	pid_t pid = xfork();
	if (pid == 0) {
		close(p[0]);
		fcntl(p[1], F_SETFL, O_NONBLOCK);
		for (;;)	/* busy: it is on a hart whenever it runs */
			if (write(p[1], "x", 1) < 0 && errno != EAGAIN)
				_exit(3);
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	if (!byte_comes(p[0]))		/* it has started (or died: fail_alloc) */
		die("the busy child never wrote");
	CHECK(kill(pid, SIGSTOP) == 0, "kill SIGSTOP");
	CHECK(wait4(pid, &st, WUNTRACED, NULL) == pid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP,
	      "wait4 WUNTRACED reports the stop (%s, raw %#x)", status_str(st), st);
	CHECK(proc_state(pid) == 'T', "/proc/%d/stat says T while stopped (%c)", (int)pid,
	      proc_state(pid));
	drain(p[0]);
	CHECK(quiet_for(p[0], 60), "a stopped process writes nothing");
	CHECK(waitpid(pid, &st, WUNTRACED | WNOHANG) == 0, "a stop is reported only once");
	CHECK(kill(pid, SIGCONT) == 0, "kill SIGCONT");
	CHECK(waitpid(pid, &st, WCONTINUED) == pid && WIFCONTINUED(st),
	      "waitpid WCONTINUED reports the continue (raw %#x)", st);
	CHECK(byte_comes(p[0]), "after SIGCONT it writes again");
	CHECK(kill(pid, SIGSTOP) == 0 && waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st),
	      "stopped a second time");
	kill(pid, SIGKILL);
	st = wait_pid(pid);
	CHECK_SIG(st, SIGKILL, "SIGKILL ends a stopped process");
	close(p[0]);
}

/*
 * A child asleep in read(): stopped, it takes none of the input that arrives (another
 * reader still finds it) and does nothing; continued, its read() returns the next byte
 * (no EINTR) and it answers.
 */
static void check_stop_sleeping(void)
{
	int to[2], back[2], st = 0;
	char c;

	if (pipe(to) < 0 || pipe(back) < 0)
		die("pipe");
	pid_t pid = xfork();
	if (pid == 0) {
		close(to[1]);
		close(back[0]);
		if (write(back[1], "r", 1) != 1)
			_exit(2);	/* (fail_alloc): the parent must not wait for it */
		ssize_t n = read(to[0], &c, 1);
		char reply = n == 1 ? c : n < 0 && errno == EINTR ? 'I' : 'E';
		write(back[1], &reply, 1);
		_exit(0);
	}
	close(back[1]);
	if (read(back[0], &c, 1) != 1)	/* it is about to read ... */
		die("no ready byte");
	wait_asleep(pid);		/* ... and now it is asleep in read() */
	fcntl(back[0], F_SETFL, O_NONBLOCK);
	CHECK(kill(pid, SIGTSTP) == 0, "kill SIGTSTP to a child asleep in read");
	CHECK(waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP,
	      "it stops with SIGTSTP (%s)", status_str(st));
	write(to[1], "k", 1);
	CHECK(quiet_for(back[0], 60), "stopped, it does nothing");
	struct pollfd pf = { to[0], POLLIN, 0 };
	c = 0;
	CHECK(poll(&pf, 1, 0) == 1 && read(to[0], &c, 1) == 1 && c == 'k',
	      "the stopped reader took nothing: the byte is still in the pipe (%c)", c ? c : '-');
	write(to[1], "m", 1);
	kill(pid, SIGCONT);
	fcntl(back[0], F_SETFL, 0);
	c = 0;
	CHECK(read(back[0], &c, 1) == 1 && c == 'm',
	      "continued, its read() returns the next byte, not EINTR (%c)", c ? c : '-');
	st = wait_pid(pid);
	CHECK_EXIT(st, 0, "it then exits normally");
	close(to[0]);
	close(to[1]);
	close(back[0]);
}

/*
 * waitid sees stops and continues as CLD_STOPPED / CLD_CONTINUED, and WNOWAIT keeps them.
 * The child waits for our word before it exits: a zombie has no continue left to report,
 * so WCONTINUED would wait forever for a child that resumed and exited first (Linux too).
 */
static void check_waitid(void)
{
	siginfo_t si;
	int st, go[2];

	xpipe(go);
	pid_t pid = xfork();
	if (pid == 0) {
		char c;

		close(go[1]);
		raise(SIGSTOP);
		read(go[0], &c, 1);	/* until the parent has seen the continue */
		_exit(7);
	}
	close(go[0]);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_PID, pid, &si, WSTOPPED | WNOWAIT) == 0 && si.si_code == CLD_STOPPED &&
		      si.si_status == SIGSTOP && si.si_pid == pid,
	      "waitid WSTOPPED|WNOWAIT: CLD_STOPPED, status SIGSTOP (code %d status %d)",
	      si.si_code, si.si_status);
	CHECK(waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st),
	      "WNOWAIT left the stop to report again");
	kill(pid, SIGCONT);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_PID, pid, &si, WCONTINUED) == 0 && si.si_code == CLD_CONTINUED &&
		      si.si_status == SIGCONT,
	      "waitid WCONTINUED: CLD_CONTINUED, status SIGCONT (code %d status %d)", si.si_code,
	      si.si_status);
	close(go[1]);
	st = wait_pid(pid);
	CHECK_EXIT(st, 7, "raise(SIGSTOP) returns after SIGCONT and the child goes on");
}

static volatile sig_atomic_t tstp_caught, cont_caught;

static void on_tstp(int sig)
{
	(void)sig;
	tstp_caught++;
}

static void on_cont(int sig)
{
	(void)sig;
	cont_caught++;
}

/* A caught or ignored SIGTSTP does not stop; a blocked one stops when unblocked. */
static void check_tstp_actions(void)
{
	struct sigaction sa;
	sigset_t set;
	int st;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_tstp;
	sigaction(SIGTSTP, &sa, NULL);
	raise(SIGTSTP);
	CHECK(tstp_caught == 1, "a caught SIGTSTP runs its handler instead of stopping");
	signal(SIGTSTP, SIG_IGN);
	CHECK(raise(SIGTSTP) == 0, "an ignored SIGTSTP does nothing");
	signal(SIGTSTP, SIG_DFL);

	int go[2];
	if (pipe(go) < 0)
		die("pipe");
	pid_t pid = xfork();
	if (pid == 0) {
		char c;
		sigemptyset(&set);
		sigaddset(&set, SIGTSTP);
		sigprocmask(SIG_BLOCK, &set, NULL);
		signal(SIGCONT, on_cont);
		raise(SIGTSTP);		/* blocked: stays pending */
		read(go[0], &c, 1);
		sigprocmask(SIG_UNBLOCK, &set, NULL);	/* now it stops */
		_exit(cont_caught == 1 ? 0 : 10 + cont_caught);
	}
	CHECK(waitpid(pid, &st, WUNTRACED | WNOHANG) == 0, "a blocked SIGTSTP does not stop");
	write(go[1], "g", 1);
	CHECK(waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP,
	      "unblocked, the pending SIGTSTP stops it (%s)", status_str(st));
	kill(pid, SIGCONT);
	st = wait_pid(pid);
	CHECK_EXIT(st, 0, "SIGCONT's handler ran once after the continue");
	close(go[0]);
	close(go[1]);
}

/* The parent hears of a stop through SIGCHLD, unless it asked for SA_NOCLDSTOP. */
static void check_sigchld(void)
{
	struct sigaction sa;
	sigset_t chld;
	struct timespec ts = { 60, 0 };	/* a limit for a missing SIGCHLD, not a wait */
	int st;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_cont;	/* any handler: SIGCHLD must not be ignored */
	sigaction(SIGCHLD, &sa, NULL);

	pid_t pid = xfork();
	if (pid == 0) {
		raise(SIGSTOP);
		_exit(0);
	}
	CHECK(sigtimedwait(&chld, NULL, &ts) == SIGCHLD, "SIGCHLD when the child stops");
	CHECK(waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st), "and it is stopped");
	kill(pid, SIGCONT);
	CHECK(sigtimedwait(&chld, NULL, &ts) == SIGCHLD, "SIGCHLD when it continues (or exits)");
	wait_pid(pid);
	while (sigtimedwait(&chld, NULL, &(struct timespec){ 0, 0 }) == SIGCHLD)
		;

	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	pid = xfork();
	if (pid == 0) {
		raise(SIGSTOP);
		_exit(0);
	}
	CHECK(waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st), "a child stops");
	/* qemu-user passes only SA_RESTART on to the host's sigaction, so the oracle cannot. */
	if (on_holstein())
		CHECK(sigtimedwait(&chld, NULL, &(struct timespec){ 0, 0 }) < 0 && errno == EAGAIN,
		      "SA_NOCLDSTOP: no SIGCHLD for the stop");
	else
		t_skip("SA_NOCLDSTOP (qemu-user does not pass it to the host)");
	kill(pid, SIGKILL);
	wait_pid(pid);
	signal(SIGCHLD, SIG_DFL);
	sigprocmask(SIG_UNBLOCK, &chld, NULL);
}

/* A reader outside the terminal's foreground group gets SIGTTIN, which stops it. */
static void check_ttin(void)
{
	int st;

	if (!on_holstein()) {
		t_skip("SIGTTIN for a background read of /dev/console (Holstein only)");
		return;
	}
	pid_t pid = xfork();
	if (pid == 0) {
		char c;
		int fd = open("/dev/console", O_RDONLY);

		setpgid(0, 0);
		read(fd, &c, 1);
		_exit(1);
	}
	CHECK(waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTIN,
	      "a background read of the console stops with SIGTTIN (%s)", status_str(st));
	kill(pid, SIGKILL);
	wait_pid(pid);

	pid = xfork();
	if (pid == 0) {
		char c;
		int fd = open("/dev/console", O_RDONLY);

		setpgid(0, 0);
		signal(SIGTTIN, SIG_IGN);
		_exit(read(fd, &c, 1) < 0 && errno == EIO ? 0 : 1);
	}
	st = wait_pid(pid);
	CHECK_EXIT(st, 0, "with SIGTTIN ignored, that read fails with EIO");
}

int main(void)
{
	t_init();
	check_stop_running();
	check_stop_sleeping();
	check_waitid();
	check_tstp_actions();
	check_sigchld();
	check_ttin();
	return t_done("t_jobctl");
}
