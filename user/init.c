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
 *
 * With a first argument --share=DISK:DIR (scripts/run-qemu --share), init mounts the ext4
 * file system DISK on DIR before the main command and syncs and unmounts it after, so the
 * host finds everything the run wrote there in a clean image.  DISK is /dev/vdX, or
 * UUID=... to find the disk by its file system's UUID whatever its name.
 */
#include "ulib.h"
#include <dirent.h>
#include <sys/mount.h>
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

/* Where the --share file system is mounted (NULL: none). */
static const char *share_dir;

/*
 * ext4_uuid_of - whether @dev holds an ext2/3/4 super block; its UUID into @uuid.
 * Returns 1 if so, 0 if @dev reads but holds none, -1 if it cannot be read.
 */
static int ext4_uuid_of(const char *dev, unsigned char uuid[16])
{
	unsigned char sb[1024];
	int fd = open(dev, O_RDONLY | O_CLOEXEC);
	ssize_t got = fd < 0 ? -1 : pread(fd, sb, sizeof(sb), 1024);

	if (fd >= 0)
		close(fd);
	if (got != (ssize_t)sizeof(sb))
		return -1;
	/* s_magic (0xEF53, little-endian) at 0x38, s_uuid at 0x68. */
	if (sb[0x38] != 0x53 || sb[0x39] != 0xEF)
		return 0;
	memcpy(uuid, sb + 0x68, 16);
	return 1;
}

/* parse_uuid - the 16 bytes of "xxxxxxxx-xxxx-..." (hex digits, dashes ignored); 0 if bad. */
static int parse_uuid(const char *s, unsigned char out[16])
{
	int n = 0;

	for (; *s && n < 32; s++) {
		if (*s == '-')
			continue;
		char c = (char)(*s | 0x20);
		int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (v < 0)
			return 0;
		out[n / 2] = (unsigned char)(n % 2 ? out[n / 2] | v : v << 4);
		n++;
	}
	return n == 32 && !*s;
}

/*
 * find_disk_by_uuid - the /dev/vd* whose file system has UUID @want into @dev; 0 if none.
 * If no disk can be read from user space at all but there is just one, that one: it can
 * only be the share (the file system's own check at mount is then the only one).
 */
static int find_disk_by_uuid(const char *want, char *dev, size_t len)
{
	unsigned char w[16], u[16];
	char only[300] = "";
	struct dirent *d;
	DIR *dir;
	int found = 0, disks = 0, readable = 0, r;

	if (!parse_uuid(want, w) || !(dir = opendir("/dev")))
		return 0;
	while (!found && (d = readdir(dir))) {
		if (strncmp(d->d_name, "vd", 2))
			continue;
		if ((size_t)snprintf(dev, len, "/dev/%s", d->d_name) >= len)
			continue;
		r = ext4_uuid_of(dev, u);
		found = r == 1 && !memcmp(u, w, 16);
		readable += r >= 0;
		if (disks++ == 0)
			snprintf(only, sizeof(only), "%s", dev);
	}
	closedir(dir);
	if (!found && !readable && disks == 1) {
		snprintf(dev, len, "%s", only);
		found = 1;
	}
	return found;
}

/* mkdir_p - make @path and its parents (an existing directory is fine); 0 or -1. */
static int mkdir_p(const char *path)
{
	char buf[256];

	if (strlen(path) >= sizeof(buf))
		return errno = ENAMETOOLONG, -1;
	strcpy(buf, path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0755) && errno != EEXIST ? -1 : 0;
}

/*
 * share_mount - mount the ext4 file system @spec names ("DISK:DIR", see the top) on DIR.
 * Returns 0, or -1 after saying why on a line starting "init: share: " (run-qemu shows it).
 */
static int share_mount(char *spec)
{
	char dev[300], *dir = strrchr(spec, ':');

	if (!dir || dir[1] != '/') {
		fprintf(stderr, "init: share: bad --share=%s (want DISK:/DIR)\n", spec);
		return -1;
	}
	*dir++ = 0;
	if (!strncmp(spec, "UUID=", 5)) {
		if (!find_disk_by_uuid(spec + 5, dev, sizeof(dev))) {
			fprintf(stderr, "init: share: no /dev/vd* holds the file system %s\n", spec);
			return -1;
		}
	} else {
		snprintf(dev, sizeof(dev), "%s", spec);
	}
	if (mkdir_p(dir) || mount(dev, dir, "ext4", 0, NULL)) {
		fprintf(stderr, "init: share: mount %s on %s: %s\n", dev, dir, strerror(errno));
		return -1;
	}
	share_dir = dir;
	return 0;
}

/*
 * share_unmount - sync and unmount the share, so the host finds a clean image.  Processes
 * that still hold files there are killed first (the run is over; the machine stops next).
 */
static void share_unmount(void)
{
	struct sigaction sa = { .sa_handler = on_wake };
	int rc;

	if (!share_dir)
		return;
	sync();
	rc = umount(share_dir);
	if (rc && errno == EBUSY) {
		sigaction(SIGALRM, &sa, NULL);	/* reap_all's alarm only interrupts */
		kill(-1, SIGKILL);
		reap_all(2);
		rc = umount(share_dir);
	}
	if (rc)
		fprintf(stderr, "init: share: umount %s: %s\n", share_dir, strerror(errno));
	share_dir = NULL;
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
	share_unmount();
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

	if (argv[1] && !strncmp(argv[1], "--share=", 8)) {
		if (share_mount(argv[1] + 8))
			return 1;
		argv++;
	}
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
			share_unmount();
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
