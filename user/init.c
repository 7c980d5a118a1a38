/*
 * init - Holstein's PID 1.
 *
 * Runs one main command (its arguments, which the kernel takes from the boot arguments
 * after "--", or an interactive login shell, BusyBox's ash as "-sh", which reads
 * /etc/profile), reaps every process that ends up as its child, and exits with the main
 * command's status when it ends, which powers the machine off.
 *
 * BusyBox's poweroff, halt and reboot (without -f) ask PID 1 to stop the machine, as they
 * ask BusyBox's init: SIGUSR2, SIGUSR1 and SIGTERM.  init then does what BusyBox's init
 * does: every other process gets SIGTERM, then SIGKILL, the file systems are synced, and
 * reboot(2) stops the machine.
 */
#include "ulib.h"
#include <sys/reboot.h>

/* Signals the terminal generates: init ignores them; the main command gets the defaults. */
static const int tty_signals[] = {SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU};

/* set_tty_signals - set every terminal-generated signal to handler. */
static void set_tty_signals(void (*handler)(int))
{
	for (size_t i = 0; i < sizeof(tty_signals) / sizeof(tty_signals[0]); i++)
		signal(tty_signals[i], handler);
}

/* The reboot(2) command a stop signal asked for (0: none yet); set by on_stop_signal. */
static int stop_cmd;

/* on_stop_signal - note which of poweroff (SIGUSR2), halt (SIGUSR1), reboot (SIGTERM) came. */
static void on_stop_signal(int sig)
{
	stop_cmd = sig == SIGUSR2 ? RB_POWER_OFF : sig == SIGUSR1 ? RB_HALT_SYSTEM : RB_AUTOBOOT;
}

/* reap_all - wait for children until none is left or @seconds pass (SIGALRM interrupts wait4). */
static void reap_all(unsigned seconds)
{
	alarm(seconds);
	while (wait4(-1, NULL, 0, NULL) > 0)
		;
	alarm(0);
}

/* on_wake - SIGALRM only interrupts reap_all's wait4 (SIGCHLD's never runs: it stays blocked). */
static void on_wake(int sig)
{
	(void)sig;
}

/*
 * stop_machine - what BusyBox's init does for poweroff, halt and reboot: SIGTERM to every
 * other process (kill(-1) spares PID 1), a few seconds for them to go, SIGKILL for the
 * rest, sync, then reboot(2) with @cmd.  Returns only if reboot(2) fails.
 */
static void stop_machine(int cmd)
{
	struct sigaction sa = { .sa_handler = on_wake };

	sigaction(SIGALRM, &sa, NULL);
	kill(-1, SIGCONT);
	kill(-1, SIGTERM);
	reap_all(2);
	kill(-1, SIGKILL);
	reap_all(2);
	sync();
	reboot(cmd);
	fprintf(stderr, "init: reboot: %s\n", strerror(errno));
}

/*
 * Tries of a fork or exec that failed for want of memory: under fault injection
 * (fail_alloc=N) one of them fails now and then, and the run must still start.
 */
#define START_TRIES 100

/* out_of_memory - whether the last call failed for want of memory, worth another try. */
static int out_of_memory(void)
{
	return errno == ENOMEM || errno == EAGAIN;
}

/*
 * start_main - fork and exec the main command (argv, or a login shell when argv is empty).
 * The child gets its own process group and the console, so Ctrl-C reaches it and not
 * init. Returns the child's pid; exec failure makes the child exit 127.
 */
static pid_t start_main(char **argv)
{
	static char *shell[] = {"-sh", NULL};
	pid_t pid = fork();

	for (int i = 1; pid < 0 && out_of_memory() && i < START_TRIES; i++)
		pid = fork();
	if (pid != 0)
		return pid;
	/* Errors are fine: without a terminal there is nothing to hand over. */
	setpgid(0, 0);
	tcsetpgrp(0, getpid());
	set_tty_signals(SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigprocmask(SIG_SETMASK, &(sigset_t){ 0 }, NULL);
	for (int i = 0; i < START_TRIES && (i == 0 || out_of_memory()); i++) {
		if (!argv[0])
			execv("/bin/sh", shell);	/* "-sh": a login shell: /etc/profile */
		else
			execvp(argv[0], argv);
	}
	fprintf(stderr, "init: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/*
 * main - set up the environment, start the main command and reap until it exits.
 * Returns the main command's exit code, or 128+signal if a signal killed it.
 */
int main(int argc, char **argv)
{
	struct sigaction wake = { .sa_handler = on_wake };
	sigset_t waited;
	pid_t main_pid, pid;
	int st, sig;

	(void)argc;
	/* The kernel passes PATH=/bin; BusyBox has applets in /sbin and /usr/bin too. */
	setenv("PATH", "/sbin:/usr/sbin:/bin:/usr/bin", 1);
	setenv("HOME", "/", 0);
	setenv("TERM", "vt100", 0);
	set_tty_signals(SIG_IGN);
	/*
	 * Children's ends and the stop signals stay blocked and are taken with sigwaitinfo:
	 * none can slip in before the wait, and no handler frame ever grows PID 1's stack
	 * (testrun counts every page against the test that ran meanwhile).  SIGCHLD gets a
	 * handler only so that it is not ignored, which would discard it.
	 */
	sigemptyset(&waited);
	sigaddset(&waited, SIGCHLD);
	sigaddset(&waited, SIGUSR1);
	sigaddset(&waited, SIGUSR2);
	sigaddset(&waited, SIGTERM);
	sigprocmask(SIG_BLOCK, &waited, NULL);
	sigaction(SIGCHLD, &wake, NULL);

	main_pid = start_main(argv + 1);
	if (main_pid < 0) {
		fprintf(stderr, "init: fork: %s\n", strerror(errno));
		return 1;
	}
	/* Orphans are re-parented to us: reap them all, and stop when the main one ends. */
	for (;;) {
		while ((pid = wait4(-1, &st, WNOHANG, NULL)) > 0) {
			if (pid != main_pid)
				continue;
			/* A poweroff that was the main command sent its signal before it ended. */
			struct timespec now = { 0, 0 };
			sigset_t stops = waited;
			sigdelset(&stops, SIGCHLD);
			if ((sig = sigtimedwait(&stops, NULL, &now)) > 0)
				on_stop_signal(sig);
			if (stop_cmd)
				stop_machine(stop_cmd);
			return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
		}
		if (pid < 0 && errno != ECHILD && errno != EINTR) {
			fprintf(stderr, "init: wait4: %s\n", strerror(errno));
			return 1;
		}
		sig = sigwaitinfo(&waited, NULL);
		if (sig > 0 && sig != SIGCHLD) {
			on_stop_signal(sig);
			stop_machine(stop_cmd);
		}
	}
}
