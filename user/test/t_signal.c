/*
 * t_signal - signals: handlers for SIGUSR1/SIGINT/SIGCHLD, siginfo, masking during a
 * handler, sigprocmask blocking and delivery on unblock, SIG_IGN, default actions seen by
 * wait4, and the full FP state (f0-f31, fcsr) surviving asynchronous signals whose handler
 * clobbers it; alarm/setitimer, sigaltstack catching a stack overflow, and sigtimedwait.
 */
#include "ulib.h"
#include <math.h>
#include <setjmp.h>
#include <sys/time.h>

static volatile sig_atomic_t usr1_count, usr1_depth, usr1_max_depth, usr1_signo, info_signo;
static volatile sig_atomic_t int_count, chld_count, usr2_count, async_count, fp_bad;

/* set_handler - install fn for sig with the given sa_flags; returns sigaction's result. */
static int set_handler(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

/* on_usr1 - count, track nesting, and re-raise once: the re-raise must wait for return. */
static void on_usr1(int sig)
{
	usr1_signo = sig;
	usr1_depth++;
	if (usr1_depth > usr1_max_depth)
		usr1_max_depth = usr1_depth;
	if (++usr1_count == 1)
		kill(getpid(), SIGUSR1); /* blocked while we run: delivered after we return */
	usr1_depth--;
}

/* on_info - SA_SIGINFO handler recording si_signo. */
static void on_info(int sig, siginfo_t *info, void *uc)
{
	(void)uc;
	info_signo = info && info->si_signo == sig ? sig : -1;
}

/* on_int - count SIGINTs. */
static void on_int(int sig)
{
	(void)sig;
	int_count++;
}

/* on_chld - count SIGCHLDs. */
static void on_chld(int sig)
{
	(void)sig;
	chld_count++;
}

/* on_usr2 - count SIGUSR2s. */
static void on_usr2(int sig)
{
	(void)sig;
	usr2_count++;
}

/* check_handlers - handlers run with the right signo, nested delivery waits for return. */
static void check_handlers(void)
{
	struct sigaction sa, old;

	CHECK(set_handler(SIGUSR1, on_usr1, 0) == 0, "sigaction(SIGUSR1)");
	kill(getpid(), SIGUSR1);
	CHECK(usr1_count == 2 && usr1_signo == SIGUSR1,
	      "SIGUSR1 handler ran (count %d) with signo %d", (int)usr1_count, (int)usr1_signo);
	CHECK(usr1_max_depth == 1, "signal is blocked during its own handler (max depth %d)",
	      (int)usr1_max_depth);
	CHECK(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_handler == on_usr1,
	      "sigaction reads back the installed handler");

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_info;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR2, &sa, NULL);
	kill(getpid(), SIGUSR2);
	CHECK(info_signo == SIGUSR2, "SA_SIGINFO handler gets siginfo with si_signo");

	set_handler(SIGINT, on_int, 0);
	kill(getpid(), SIGINT);
	CHECK(int_count == 1, "SIGINT handler ran");
	CHECK_ERR(set_handler(SIGKILL, on_int, 0), EINVAL, "sigaction(SIGKILL) -> EINVAL");
	CHECK_ERR(set_handler(SIGSTOP, on_int, 0), EINVAL, "sigaction(SIGSTOP) -> EINVAL");
	CHECK_ERR(set_handler(0, on_int, 0), EINVAL, "sigaction(0) -> EINVAL");
	CHECK_ERR(kill(getpid(), 65), EINVAL, "kill with signal 65 -> EINVAL");
}

/* check_sigchld - a child's exit raises SIGCHLD in the parent. */
static void check_sigchld(void)
{
	pid_t pid;

	set_handler(SIGCHLD, on_chld, SA_RESTART);
	pid = xfork();
	if (pid == 0)
		_exit(0);
	wait_pid(pid);
	for (int i = 0; i < 100 && !chld_count; i++)
		sched_yield();
	CHECK(chld_count == 1, "SIGCHLD handler ran once for one child (%d)", (int)chld_count);
	signal(SIGCHLD, SIG_DFL);
}

/* check_mask - a blocked signal stays pending and is delivered by the unblocking call. */
static void check_mask(void)
{
	sigset_t set, old, cur;

	set_handler(SIGUSR2, on_usr2, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	CHECK(sigprocmask(SIG_BLOCK, &set, &old) == 0 && !sigismember(&old, SIGUSR2),
	      "sigprocmask(SIG_BLOCK, SIGUSR2)");
	kill(getpid(), SIGUSR2);
	kill(getpid(), SIGUSR2);
	CHECK(usr2_count == 0, "blocked SIGUSR2 is not delivered");
	CHECK(sigprocmask(SIG_SETMASK, NULL, &cur) == 0 && sigismember(&cur, SIGUSR2),
	      "the mask reads back with SIGUSR2 in it");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	CHECK(usr2_count == 1, "unblocking delivers the pending SIGUSR2 exactly once (%d)",
	      (int)usr2_count);
	sigfillset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	sigprocmask(SIG_SETMASK, NULL, &cur);
	CHECK(!sigismember(&cur, SIGKILL) && !sigismember(&cur, SIGSTOP),
	      "SIGKILL and SIGSTOP cannot be blocked");
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	CHECK_ERR(sigprocmask(99, &set, NULL), EINVAL, "sigprocmask with how 99 -> EINVAL");
}

/* check_ignore - SIG_IGN discards the signal; the ignored disposition survives fork. */
static void check_ignore(void)
{
	pid_t pid;

	usr2_count = 0;
	signal(SIGUSR2, SIG_IGN);
	kill(getpid(), SIGUSR2);
	CHECK(usr2_count == 0, "ignored SIGUSR2 does nothing");
	pid = xfork();
	if (pid == 0) {
		kill(getpid(), SIGUSR2);
		_exit(0);
	}
	CHECK_EXIT(wait_pid(pid), 0, "child inherits SIG_IGN for SIGUSR2");
	signal(SIGUSR2, SIG_DFL);
}

/* check_defaults - default actions: termination by SIGTERM, SIGKILL, SIGUSR1. */
static void check_defaults(void)
{
	int p[2];
	pid_t pid;
	char c;

	pid = xfork();
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		kill(getpid(), SIGTERM);
		_exit(0);
	}
	CHECK_SIG(wait_pid(pid), SIGTERM, "child killing itself with SIGTERM dies of SIGTERM");

	xpipe(p);
	pid = xfork();
	if (pid == 0) {
		close(p[1]);
		read(p[0], &c, 1); /* blocks until killed */
		_exit(0);
	}
	close(p[0]);
	kill(pid, SIGKILL);
	CHECK_SIG(wait_pid(pid), SIGKILL, "SIGKILL interrupts a child blocked in read");
	close(p[1]);

	pid = xfork();
	if (pid == 0) {
		signal(SIGUSR1, SIG_DFL);
		kill(getpid(), SIGUSR1);
		_exit(0);
	}
	CHECK_SIG(wait_pid(pid), SIGUSR1, "SIGUSR1's default action terminates");

	pid = xfork();
	if (pid == 0) {
		signal(SIGCHLD, SIG_DFL);
		kill(getpid(), SIGCHLD);
		_exit(5);
	}
	CHECK_EXIT(wait_pid(pid), 5, "SIGCHLD's default action is to ignore");
}

/* spin_math - some floating-point work whose result is known. */
static double spin_math(int n)
{
	volatile double x = 1.0;

	for (int i = 1; i <= n; i++)
		x = x * 1.0001 + sqrt((double)i) / (i + 1.0);
	return x;
}

/* on_async - SIGUSR1 handler for the FP test: uses and clobbers FP registers and fcsr. */
static void on_async(int sig)
{
	static double want = -1;
	double got;

	(void)sig;
	async_count++;
	/* The handler inherits the interrupted code's rounding mode (fp_hold sets
	 * round-towards-zero): choose our own so the result is comparable. */
	asm volatile("fsrmi 0");
	got = spin_math(50);
	if (want < 0)
		want = got;
	else if (got != want)
		fp_bad = 1;
	/* Trash every FP register and the rounding mode; the kernel must restore them all. */
	asm volatile("fcvt.d.w f0, %0\n\tfmv.d f1, f0\n\tfmv.d f2, f0\n\tfmv.d f3, f0\n\t"
		     "fmv.d f4, f0\n\tfmv.d f5, f0\n\tfmv.d f6, f0\n\tfmv.d f7, f0\n\t"
		     "fmv.d f10, f0\n\tfmv.d f11, f0\n\tfmv.d f12, f0\n\tfmv.d f13, f0\n\t"
		     "fmv.d f14, f0\n\tfmv.d f15, f0\n\tfmv.d f16, f0\n\tfmv.d f17, f0\n\t"
		     "fmv.d f28, f0\n\tfmv.d f29, f0\n\tfmv.d f30, f0\n\tfmv.d f31, f0\n\t"
		     "fsrmi 3\n\t"
		     :
		     : "r"(-12345)
		     : "f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f10", "f11", "f12", "f13",
		       "f14", "f15", "f16", "f17", "f28", "f29", "f30", "f31");
}

#define FLD(n) "fld f" #n ", " #n "*8(%[in])\n\t"
#define FSD(n) "fsd f" #n ", " #n "*8(%[out])\n\t"
#define TENS(M, a) M(a##0) M(a##1) M(a##2) M(a##3) M(a##4) M(a##5) M(a##6) M(a##7) M(a##8) M(a##9)

/*
 * fp_hold - load f0-f31 from in, set the rounding mode to round-towards-zero, spin for
 * iters loop turns, then store f0-f31 to out and return the rounding mode then in force.
 * Signals arriving during the spin must not change anything.
 */
static long fp_hold(const double *in, double *out, long iters)
{
	long frm;

	/* clang-format off */
	asm volatile(FLD(0) FLD(1) FLD(2) FLD(3) FLD(4) FLD(5) FLD(6) FLD(7) FLD(8) FLD(9)
		     TENS(FLD, 1) TENS(FLD, 2) FLD(30) FLD(31)
		     "fsrmi 1\n\t"
		     "1: addi %[n], %[n], -1\n\t"
		     "bnez %[n], 1b\n\t"
		     "frrm %[frm]\n\t"
		     FSD(0) FSD(1) FSD(2) FSD(3) FSD(4) FSD(5) FSD(6) FSD(7) FSD(8) FSD(9)
		     TENS(FSD, 1) TENS(FSD, 2) FSD(30) FSD(31)
		     "fsrmi 0\n\t"
		     : [n] "+r"(iters), [frm] "=&r"(frm)
		     : [in] "r"(in), [out] "r"(out)
		     : "memory", "f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10",
		       "f11", "f12", "f13", "f14", "f15", "f16", "f17", "f18", "f19", "f20", "f21",
		       "f22", "f23", "f24", "f25", "f26", "f27", "f28", "f29", "f30", "f31");
	/* clang-format on */
	return frm;
}

/*
 * check_fp - a child bombards us with SIGUSR1 while every FP register holds a known value
 * in a spin loop; afterwards all 32 registers and the rounding mode must be intact. Also
 * synchronous signals in the middle of ordinary FP code must not change its result.
 */
static void check_fp(void)
{
	double in[32], out[32], want = spin_math(2000), got = 0;
	int bad_regs = 0, bad_frm = 0, rounds = 0, p[2];
	uint64_t deadline = now_ns() + 60000000000ULL;	/* only if the signals stop coming */
	pid_t pid;

	set_handler(SIGUSR1, on_async, SA_RESTART);
	for (int i = 0; i < 32; i++)
		in[i] = 1.5 + i * 1024.25;
	if (pipe2(p, O_NONBLOCK) < 0)
		die("pipe2: %s", strerror(errno));
	pid = xfork();
	if (pid == 0) {
		char c;

		close(p[1]);
		/* Keep signalling until the parent hangs up (read sees end of file). */
		while (read(p[0], &c, 1) < 0 && errno == EAGAIN) {
			kill(getppid(), SIGUSR1);
			sched_yield();
		}
		_exit(0);
	}
	close(p[0]);
	while ((async_count < 50 || rounds < 20) && now_ns() < deadline) {
		memset(out, 0, sizeof(out));
		bad_frm |= fp_hold(in, out, 200000) != 1;
		bad_regs += memcmp(in, out, sizeof(in)) != 0;
		rounds++;
	}
	close(p[1]);
	wait_pid(pid);
	CHECK(async_count > 0, "asynchronous SIGUSR1s arrived during FP work (%d in %d rounds)",
	      (int)async_count, rounds);
	CHECK(!bad_regs, "f0-f31 survive asynchronous signals (%d bad rounds)", bad_regs);
	CHECK(!bad_frm, "the rounding mode in fcsr survives asynchronous signals");
	CHECK(!fp_bad, "FP math inside the handler computes correctly");

	async_count = 0;
	{
		volatile double x = 1.0;

		for (int i = 1; i <= 2000; i++) {
			x = x * 1.0001 + sqrt((double)i) / (i + 1.0);
			if (i % 100 == 0)
				kill(getpid(), SIGUSR1);
		}
		got = x;
	}
	CHECK(got == want && async_count == 20,
	      "FP results unchanged by 20 signals taken mid-computation");
	signal(SIGUSR1, SIG_DFL);
}

static volatile sig_atomic_t suspend_sig;

/* on_suspend - records which signal ended a pause()/sigsuspend(). */
static void on_suspend(int sig)
{
	suspend_sig = sig;
}

/*
 * kill_parent_from_child - fork a child that sends @sig to us.  0 (a failed
 * check) if fork fails: under fail_alloc the signal would never come.
 */
static int kill_parent_from_child(int sig)
{
	pid_t pid = xfork();

	if (pid == 0) {
		kill(getppid(), sig);
		_exit(0);
	}
	CHECK(pid > 0, "fork a child to send signal %d", sig);
	return pid > 0;
}

/*
 * check_suspend - pause() and sigsuspend() sleep until a handled signal
 * arrives (here from a child), return -1/EINTR, and sigsuspend's temporary
 * mask goes away again afterwards.
 */
static void check_suspend(void)
{
	sigset_t block, old, now;
	int r;

	set_handler(SIGUSR1, on_suspend, 0);
	set_handler(SIGUSR2, on_suspend, 0);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, &old);

	/* Blocked while the child sends it: the signal waits for pause/sigsuspend. */
	if (!kill_parent_from_child(SIGUSR2)) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		return;
	}
	reap_any();
	suspend_sig = 0;
	r = sigsuspend(&old);
	CHECK(r == -1 && errno == EINTR && suspend_sig == SIGUSR2,
	      "sigsuspend returns EINTR after the handler ran (sig %d)", (int)suspend_sig);
	sigprocmask(SIG_SETMASK, NULL, &now);
	CHECK(sigismember(&now, SIGUSR2) && sigismember(&now, SIGUSR1),
	      "sigsuspend's temporary mask is gone again afterwards");

	sigprocmask(SIG_SETMASK, &old, NULL);
	suspend_sig = 0;
	if (!kill_parent_from_child(SIGUSR1))
		return;
	while (!suspend_sig)
		r = pause();
	CHECK(r == -1 && errno == EINTR && suspend_sig == SIGUSR1, "pause returns EINTR after SIGUSR1");
	reap_any();
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
}

static volatile sig_atomic_t alrm_count;

static void on_alrm(int sig)
{
	(void)sig;
	alrm_count++;
}

/*
 * check_alarm - ITIMER_REAL: alarm() wakes pause() with SIGALRM, getitimer
 * reports what is left, a periodic timer fires again and again, setting 0
 * disarms, a child does not inherit the timer, and the default action of
 * SIGALRM kills.
 */
static void child_has_no_timer(void *arg)
{
	struct itimerval c;

	(void)arg;
	getitimer(ITIMER_REAL, &c);
	_exit(c.it_value.tv_sec || c.it_value.tv_usec ? 1 : 0);
}

static void check_alarm(void)
{
	struct itimerval it, left;
	uint64_t t0;
	int st;

	set_handler(SIGALRM, on_alrm, 0);
	alrm_count = 0;
	t0 = now_ns();
	CHECK(alarm(1) == 0, "alarm(1) with none pending returns 0");
	while (!alrm_count && now_ns() - t0 < 60000000000ULL)
		pause();
	CHECK(alrm_count == 1 && now_ns() - t0 >= 900000000ULL,
	      "alarm(1) delivers one SIGALRM after about a second (%d, %llu ms)", (int)alrm_count,
	      (unsigned long long)((now_ns() - t0) / 1000000));

	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = 100;
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0, "setitimer arms 100 s");
	CHECK(getitimer(ITIMER_REAL, &left) == 0 && left.it_value.tv_sec >= 98 &&
		      left.it_value.tv_sec <= 100 && left.it_interval.tv_sec == 0,
	      "getitimer reports the time left (%ld s)", (long)left.it_value.tv_sec);
	st = run_child(child_has_no_timer, NULL);
	CHECK_EXIT(st, 0, "a forked child has no timer");
	CHECK(alarm(0) >= 98, "alarm(0) returns the seconds left and disarms");
	CHECK(getitimer(ITIMER_REAL, &left) == 0 && !left.it_value.tv_sec && !left.it_value.tv_usec,
	      "after alarm(0) no timer is left");

	alrm_count = 0;
	it.it_value.tv_sec = 0;
	it.it_value.tv_usec = 20000;
	it.it_interval.tv_usec = 20000;
	t0 = now_ns();
	setitimer(ITIMER_REAL, &it, NULL);
	while (alrm_count < 3 && now_ns() - t0 < 60000000000ULL)
		pause();
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK(alrm_count >= 3, "a 20 ms periodic timer fires repeatedly (%d)", (int)alrm_count);

	/*
	 * An SA_RESTART handler restarts wait4 and waitid instead of failing them with EINTR.
	 * The child exits 150 ms (of guest time, as the timer counts) after the parent fell
	 * asleep in waitid, so the 10 ms timer fires during the wait however busy the host is.
	 */
	set_handler(SIGALRM, on_alrm, SA_RESTART);
	pid_t slow = xfork();
	if (slow == 0) {
		wait_asleep(getppid());
		sleep_ns(150000000ULL);
		_exit(3);
	}
	alrm_count = 0;
	it.it_value.tv_usec = 10000;
	it.it_interval.tv_usec = 10000;
	setitimer(ITIMER_REAL, &it, NULL);
	siginfo_t si = { 0 };
	int wr = waitid(P_PID, slow, &si, WEXITED | WNOWAIT);
	int w4 = wait4(slow, &st, 0, NULL);
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK(wr == 0 && w4 == slow && WIFEXITED(st) && WEXITSTATUS(st) == 3 && alrm_count > 0,
	      "SA_RESTART restarts waitid and wait4 (%d, %d, %d signals)", wr, w4,
	      (int)alrm_count);
	set_handler(SIGALRM, on_alrm, 0);

	it.it_value.tv_usec = 1000000;
	CHECK_ERR(setitimer(ITIMER_REAL, &it, NULL), EINVAL, "tv_usec of a million -> EINVAL");
	CHECK_ERR(setitimer(ITIMER_REAL, (void *)8, NULL), EFAULT, "a bad new value -> EFAULT");
	CHECK_ERR(getitimer(ITIMER_REAL, (void *)8), EFAULT, "a bad current value -> EFAULT");
	signal(SIGALRM, SIG_DFL);

	pid_t pid = xfork();
	if (pid == 0) {
		alarm(1);
		for (;;)
			pause();
	}
	st = wait_pid(pid);
	CHECK_SIG(st, SIGALRM, "an unhandled SIGALRM kills");
}

static volatile char *altstack_base;
static volatile size_t altstack_size;
static volatile sig_atomic_t alt_ok;
static sigjmp_buf alt_jmp;

static void on_overflow(int sig)
{
	char here;
	stack_t now;

	(void)sig;
	sigaltstack(NULL, &now);
	alt_ok = &here >= altstack_base && &here < altstack_base + altstack_size &&
		 (now.ss_flags & SS_ONSTACK);
	siglongjmp(alt_jmp, 1);
}

static volatile int depth_limit = 1 << 30;	/* deeper than any stack */

/* recurse - about 4 KiB of stack per level until the stack runs out. */
static __attribute__((noinline)) int recurse(int depth)
{
	volatile char pad[4096];

	pad[0] = (char)depth;
	if (depth >= depth_limit)
		return 0;
	return recurse(depth + 1) + pad[0];
}

/* overflow - in a child: install @arg as the SIGSEGV action and recurse without end. */
static void overflow(void *arg)
{
	sigaction(SIGSEGV, arg, NULL);
	if (sigsetjmp(alt_jmp, 1) == 0)
		recurse(0);
	_exit(alt_ok ? 0 : 1);
}

/*
 * check_altstack - sigaltstack: the setting reads back; a SIGSEGV from
 * stack overflow runs its SA_ONSTACK handler on the alternate stack (the
 * only way to survive it), in a child that inherits the setting; too small a stack is ENOMEM, bad flags EINVAL.
 */
static void check_altstack(void)
{
	stack_t ss, old;
	struct sigaction sa;
	int st;

	CHECK(sigaltstack(NULL, &old) == 0 && (old.ss_flags & SS_DISABLE),
	      "no alternate stack at first");
	altstack_size = 65536;
	altstack_base = malloc(altstack_size);
	ss.ss_sp = (void *)altstack_base;
	ss.ss_size = altstack_size;
	ss.ss_flags = 0;
	CHECK(sigaltstack(&ss, NULL) == 0, "sigaltstack installs 64 KiB");
	CHECK(sigaltstack(NULL, &old) == 0 && old.ss_sp == altstack_base &&
		      old.ss_size == altstack_size && old.ss_flags == 0,
	      "sigaltstack reads the setting back");
	ss.ss_size = 1024;
	CHECK_ERR(sigaltstack(&ss, NULL), ENOMEM, "a 1 KiB alternate stack -> ENOMEM");
	ss.ss_size = altstack_size;
	ss.ss_flags = 0x40;
	CHECK_ERR(sigaltstack(&ss, NULL), EINVAL, "unknown flags -> EINVAL");
	CHECK_ERR(sigaltstack((void *)8, NULL), EFAULT, "a bad stack_t -> EFAULT");

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_overflow;
	sa.sa_flags = SA_ONSTACK;
	st = run_child(overflow, &sa);
	CHECK_EXIT(st, 0, "stack overflow is caught on the alternate stack");
	/* Without SA_ONSTACK the overflow still kills: t_isolation checks that. */
	ss.ss_flags = SS_DISABLE;
	CHECK(sigaltstack(&ss, NULL) == 0 && sigaltstack(NULL, &old) == 0 &&
		      (old.ss_flags & SS_DISABLE),
	      "SS_DISABLE turns it off");
}

static void do_nothing(void *arg)
{
	(void)arg;
}

/*
 * check_timedwait - sigtimedwait takes a blocked signal without running a
 * handler, times out with EAGAIN, and a blocked SIGCHLD stays pending
 * (ignored by default, but blocked signals are kept) for it to take.
 */
static void check_timedwait(void)
{
	sigset_t set, old;
	siginfo_t si;
	struct timespec ts = {0, 20000000};
	int st;

	set_handler(SIGUSR1, on_usr1, 0);
	usr1_count = 0;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	CHECK_ERR(sigtimedwait(&set, &si, &ts), EAGAIN, "nothing pending: EAGAIN after the timeout");
	kill(getpid(), SIGUSR1);
	memset(&si, 0, sizeof(si));
	CHECK(sigtimedwait(&set, &si, &ts) == SIGUSR1 && si.si_signo == SIGUSR1 && usr1_count == 0,
	      "a pending SIGUSR1 is taken, its handler does not run");
	st = run_child(do_nothing, NULL);
	CHECK_EXIT(st, 0, "child for SIGCHLD");
	ts.tv_sec = 5;
	CHECK(sigtimedwait(&set, &si, &ts) == SIGCHLD, "the blocked SIGCHLD waits for sigtimedwait");
	if (kill_parent_from_child(SIGUSR1)) {
		int got = 0;
		/* The child's SIGCHLD may come first: take it and wait on. */
		for (int i = 0; i < 2 && got != SIGUSR1; i++)
			got = sigwaitinfo(&set, &si);
		CHECK(got == SIGUSR1, "sigwaitinfo sleeps until another process sends the signal");
		reap_any();
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
}

/* main - run the signal checks. */
int main(void)
{
	t_init();
	check_handlers();
	check_sigchld();
	check_mask();
	check_ignore();
	check_defaults();
	check_suspend();
	check_alarm();
	check_altstack();
	check_timedwait();
	check_fp();
	return t_done("t_signal");
}
