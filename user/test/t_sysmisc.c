/*
 * t_sysmisc - the small calls programs reach at start-up or in passing: the
 * scheduling-policy calls (sched_getscheduler and friends), personality,
 * sethostname/setdomainname, posix_fadvise and close_range.  Each checks
 * Linux's answers and errnos; under the oracle (qemu-riscv64 as root on
 * the host) nothing is changed that would change the host.
 */
#include "ulib.h"
#include <sched.h>
#include <sys/personality.h>
#include <sys/syscall.h>

/* check_sched_policy - SCHED_OTHER/BATCH/IDLE are read back; bad pairs are EINVAL. */
static void check_sched_policy(void)
{
	struct sched_param sp = { 0 };

	CHECK(sched_getscheduler(0) == SCHED_OTHER, "the default policy is SCHED_OTHER");
	CHECK(sched_getparam(0, &sp) == 0 && sp.sched_priority == 0, "priority 0");
	CHECK(sched_get_priority_max(SCHED_FIFO) == 99 && sched_get_priority_min(SCHED_FIFO) == 1,
	      "SCHED_FIFO priorities 1..99");
	CHECK(sched_get_priority_max(SCHED_OTHER) == 0 && sched_get_priority_min(SCHED_OTHER) == 0,
	      "SCHED_OTHER priority 0");
	CHECK_ERR(sched_get_priority_max(42), EINVAL, "an unknown policy -> EINVAL");
	CHECK(sched_setscheduler(0, SCHED_BATCH, &sp) == 0 && sched_getscheduler(0) == SCHED_BATCH,
	      "SCHED_BATCH is set and read back");
	CHECK(sched_setscheduler(0, SCHED_OTHER, &sp) == 0 && sched_getscheduler(0) == SCHED_OTHER,
	      "and SCHED_OTHER again");
	sp.sched_priority = 5;
	CHECK_ERR(sched_setscheduler(0, SCHED_OTHER, &sp), EINVAL, "SCHED_OTHER with priority 5");
	CHECK_ERR(sched_setparam(0, &sp), EINVAL, "setparam priority 5 under SCHED_OTHER");
	sp.sched_priority = 0;
	CHECK_ERR(sched_setscheduler(0, SCHED_FIFO, &sp), EINVAL, "SCHED_FIFO with priority 0");
	CHECK_ERR(sched_setscheduler(0, 42, &sp), EINVAL, "an unknown policy");
	CHECK_ERR(syscall(SYS_sched_setscheduler, -1, SCHED_OTHER, &sp), EINVAL, "pid -1");
	CHECK_ERR(syscall(SYS_sched_getscheduler, 999999), ESRCH, "no such pid -> ESRCH");
	CHECK_ERR(syscall(SYS_sched_getparam, 0, NULL), EINVAL, "getparam NULL -> EINVAL");
	CHECK_ERR(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, hide_ptr(KERNEL_ADDR)), EFAULT,
		  "a kernel address -> EFAULT");
	if (on_holstein()) {
		/* (qemu-user 7.2 answers EFAULT here: its translation of the call is wrong.) */
		struct timespec ts;
		CHECK(sched_rr_get_interval(0, &ts) == 0 && ts.tv_sec == 0 && ts.tv_nsec > 0,
		      "sched_rr_get_interval: a slice under a second");
		sp.sched_priority = 10;
		CHECK_ERR(sched_setscheduler(0, SCHED_FIFO, &sp), EPERM,
			  "SCHED_FIFO: EPERM, there is no real-time class");
	}
	/* Inherited by a child, as on Linux. */
	sp.sched_priority = 0;
	CHECK(sched_setscheduler(0, SCHED_IDLE, &sp) == 0, "SCHED_IDLE");
	pid_t pid = fork();
	if (pid == 0)
		_exit(sched_getscheduler(0) == SCHED_IDLE ? 0 : 1);
	int st;
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "a child inherits SCHED_IDLE");
	/* Leaving SCHED_IDLE needs privilege on Linux without RLIMIT_NICE; root has it. */
	sched_setscheduler(0, SCHED_OTHER, &sp);
}

/* check_personality - stored, read back with 0xffffffff, inherited by a child. */
static void check_personality(void)
{
	int old = personality(0xffffffff);

	CHECK(old == PER_LINUX, "the personality is PER_LINUX (%#x)", old);
	CHECK(personality(PER_LINUX | ADDR_NO_RANDOMIZE) == PER_LINUX, "set: the old value back");
	CHECK(personality(0xffffffff) == (PER_LINUX | ADDR_NO_RANDOMIZE), "read back");
	pid_t pid = fork();
	if (pid == 0)
		_exit(personality(0xffffffff) == (PER_LINUX | ADDR_NO_RANDOMIZE) ? 0 : 1);
	int st;
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "a child inherits it");
	personality(PER_LINUX);
}

/* check_hostname - bounds and EFAULT everywhere; a real change (and back) on Holstein only. */
static void check_hostname(void)
{
	struct utsname u;
	char name[80];

	memset(name, 'x', sizeof(name));
	CHECK_ERR(sethostname(name, 65), EINVAL, "a 65-byte host name -> EINVAL");
	CHECK_ERR(setdomainname(name, 65), EINVAL, "a 65-byte domain name -> EINVAL");
	CHECK_ERR(sethostname(hide_ptr(KERNEL_ADDR), 4), EFAULT, "from a kernel address -> EFAULT");
	if (!on_holstein())
		return;		/* the oracle's host is root: leave its name alone */
	CHECK(uname(&u) == 0, "uname");
	char old[65];
	strcpy(old, u.nodename);
	CHECK(sethostname("cowbox.trailing", 6) == 0, "sethostname uses only len bytes");
	CHECK(uname(&u) == 0 && !strcmp(u.nodename, "cowbox"), "uname: cowbox (%s)", u.nodename);
	CHECK(setdomainname("example.org", 11) == 0 && uname(&u) == 0 &&
	      !strcmp(u.domainname, "example.org"), "setdomainname (%s)", u.domainname);
	CHECK(sethostname(old, strlen(old)) == 0 && setdomainname("(none)", 6) == 0, "restored");
}

/* check_fadvise - hints are accepted on files; pipes are ESPIPE, bad fds EBADF. */
static void check_fadvise(void)
{
	char path[64];
	int fd, p[2];

	snprintf(path, sizeof(path), "/tmp/t_sysmisc.%d", getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0, "create %s", path);
	CHECK(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL) == 0, "FADV_SEQUENTIAL");
	CHECK(posix_fadvise(fd, 0, 4096, POSIX_FADV_DONTNEED) == 0, "FADV_DONTNEED");
	CHECK(posix_fadvise(fd, 0, 0, 99) == EINVAL, "an unknown advice -> EINVAL");
	CHECK(posix_fadvise(fd, 0, -1, POSIX_FADV_NORMAL) == EINVAL, "a negative length -> EINVAL");
	CHECK(posix_fadvise(-1, 0, 0, POSIX_FADV_NORMAL) == EBADF, "fd -1 -> EBADF");
	CHECK(pipe(p) == 0, "pipe");
	CHECK(posix_fadvise(p[0], 0, 0, POSIX_FADV_NORMAL) == ESPIPE, "a pipe -> ESPIPE");
	close(p[0]);
	close(p[1]);
	close(fd);
	unlink(path);
}

/* check_close_range - closes a range, marks close-on-exec, checks its arguments. */
static void check_close_range(void)
{
	int base = dup(0);

	CHECK(base >= 0, "dup");
	CHECK(dup2(0, base + 1) == base + 1 && dup2(0, base + 2) == base + 2 &&
	      dup2(0, base + 5) == base + 5, "four descriptors");
	CHECK(syscall(SYS_close_range, base + 1, base + 2, 0) == 0, "close_range(b+1, b+2)");
	CHECK(fcntl(base + 1, F_GETFD) < 0 && errno == EBADF && fcntl(base + 2, F_GETFD) < 0,
	      "both closed");
	CHECK(fcntl(base, F_GETFD) == 0 && fcntl(base + 5, F_GETFD) == 0, "the others are open");
	CHECK(syscall(SYS_close_range, base, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */) == 0,
	      "CLOSE_RANGE_CLOEXEC to the end");
	CHECK(fcntl(base, F_GETFD) == FD_CLOEXEC && fcntl(base + 5, F_GETFD) == FD_CLOEXEC,
	      "both marked close-on-exec");
	CHECK_ERR(syscall(SYS_close_range, 5, 4, 0), EINVAL, "first > last -> EINVAL");
	CHECK_ERR(syscall(SYS_close_range, 0, 1, 1), EINVAL, "an unknown flag -> EINVAL");
	CHECK(syscall(SYS_close_range, base, ~0U, 2 /* CLOSE_RANGE_UNSHARE */) == 0,
	      "CLOSE_RANGE_UNSHARE to the end");
	CHECK(fcntl(base, F_GETFD) < 0 && fcntl(base + 5, F_GETFD) < 0 && fcntl(0, F_GETFD) >= 0,
	      "closed from base on; stdin still open");
	CHECK(syscall(SYS_close_range, 100000, 200000, 0) == 0, "a range past the table is fine");
}

int main(void)
{
	t_init();
	check_sched_policy();
	check_personality();
	check_hostname();
	check_fadvise();
	check_close_range();
	return t_done("t_sysmisc");
}
