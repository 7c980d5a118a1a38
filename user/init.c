/*
 * init - Holstein's PID 1.
 *
 * Runs one main command (its arguments, which the kernel takes from the boot arguments
 * after "--", or an interactive /bin/sh), reaps every process that ends up as its child,
 * and exits with the main command's status when it ends, which powers the machine off.
 */
#include "ulib.h"

/* Signals the terminal generates: init ignores them; the main command gets the defaults. */
static const int tty_signals[] = {SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU};

/* set_tty_signals - set every terminal-generated signal to handler. */
static void set_tty_signals(void (*handler)(int))
{
	for (size_t i = 0; i < sizeof(tty_signals) / sizeof(tty_signals[0]); i++)
		signal(tty_signals[i], handler);
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
 * start_main - fork and exec the main command (argv, or /bin/sh when argv is empty).
 * The child gets its own process group and the console, so Ctrl-C reaches it and not
 * init. Returns the child's pid; exec failure makes the child exit 127.
 */
static pid_t start_main(char **argv)
{
	static char *shell[] = {"sh", NULL};
	pid_t pid = fork();

	for (int i = 1; pid < 0 && out_of_memory() && i < START_TRIES; i++)
		pid = fork();
	if (pid != 0)
		return pid;
	if (!argv[0])
		argv = shell;
	/* Errors are fine: without a terminal there is nothing to hand over. */
	setpgid(0, 0);
	tcsetpgrp(0, getpid());
	set_tty_signals(SIG_DFL);
	execvp(argv[0], argv);
	for (int i = 1; out_of_memory() && i < START_TRIES; i++)
		execvp(argv[0], argv);
	fprintf(stderr, "init: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/*
 * main - set up the environment, start the main command and reap until it exits.
 * Returns the main command's exit code, or 128+signal if a signal killed it.
 */
int main(int argc, char **argv)
{
	pid_t main_pid, pid;
	int st;

	(void)argc;
	setenv("PATH", "/bin", 0);
	setenv("HOME", "/", 0);
	setenv("TERM", "vt100", 0);
	set_tty_signals(SIG_IGN);

	main_pid = start_main(argv + 1);
	if (main_pid < 0) {
		fprintf(stderr, "init: fork: %s\n", strerror(errno));
		return 1;
	}
	/* Orphans are re-parented to us: reap them all, and stop when the main one ends. */
	for (;;) {
		pid = wait4(-1, &st, 0, NULL);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "init: wait4: %s\n", strerror(errno));
			return 1;
		}
		if (pid != main_pid)
			continue;
		if (WIFSIGNALED(st))
			return 128 + WTERMSIG(st);
		return WEXITSTATUS(st);
	}
}
