/*
 * t_fs_fd - the descriptor table and RLIMIT_NOFILE, as Linux behaves: the default soft limit
 * (1024 on Holstein; the host's under the oracle), setrlimit up to the hard limit, EMFILE
 * once every number below the soft limit is in use, dup2 and F_DUPFD against the limit
 * (EBADF and EINVAL), descriptors above a lowered limit staying usable, and a table that
 * grows to thousands of descriptors and shrinks back.
 *
 * Needs no files: /dev/null and dup of stdin provide the descriptors. Descriptors 0-2
 * must be open (they are under testrun and the oracle); the test closes all it opens.
 */
#include "ulib.h"
#include <sys/resource.h>

/* fd_open - whether fd is an open descriptor. */
static int fd_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

/* set_soft - set RLIMIT_NOFILE's soft limit to soft, keeping the hard one; 0 or -1. */
static int set_soft(rlim_t soft)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &r) < 0)
		return -1;
	r.rlim_cur = soft;
	return setrlimit(RLIMIT_NOFILE, &r);
}

/*
 * fill_table - open /dev/null until EMFILE, recording each fd in fds (room for max). Returns
 * how many were opened; *err gets the errno of the failure that stopped it (0 if max).
 */
static int fill_table(int *fds, int max, int *err)
{
	int n = 0;

	*err = 0;
	while (n < max) {
		int fd = open("/dev/null", O_RDONLY);

		if (fd < 0) {
			*err = errno;
			break;
		}
		fds[n++] = fd;
	}
	return n;
}

/* close_all - close the n descriptors in fds. */
static void close_all(const int *fds, int n)
{
	for (int i = 0; i < n; i++)
		close(fds[i]);
}

/* check_default - the limits a process starts with, and that children inherit. */
static void check_default(struct rlimit *start)
{
	struct rlimit r;
	pid_t pid;

	CHECK(getrlimit(RLIMIT_NOFILE, start) == 0 && start->rlim_cur <= start->rlim_max,
	      "getrlimit(RLIMIT_NOFILE): soft %llu, hard %llu", (unsigned long long)start->rlim_cur,
	      (unsigned long long)start->rlim_max);
	if (on_holstein()) {
		CHECK(start->rlim_cur == 1024, "the default soft limit is 1024");
		CHECK(start->rlim_max >= 65536, "the hard limit is at least 65536");
	} else {
		t_skip("default soft limit 1024 (the host gives %llu, hard %llu)",
		       (unsigned long long)start->rlim_cur, (unsigned long long)start->rlim_max);
	}
	CHECK(fd_open(0) && fd_open(1) && fd_open(2), "descriptors 0, 1 and 2 are open");
	CHECK(set_soft(start->rlim_max) == 0 && getrlimit(RLIMIT_NOFILE, &r) == 0 &&
		      r.rlim_cur == start->rlim_max,
	      "setrlimit raises the soft limit to the hard limit");
	r.rlim_cur = r.rlim_max + 1;
	CHECK_ERR(setrlimit(RLIMIT_NOFILE, &r), EINVAL, "a soft limit above the hard -> EINVAL");
	CHECK(set_soft(300) == 0, "lower the soft limit to 300");
	pid = must_fork();
	if (pid == 0)
		_exit(getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur == 300 ? 0 : 1);
	CHECK_EXIT(wait_pid(pid), 0, "a child inherits the limit");
	if (geteuid() != 0) {
		r = *start;
		r.rlim_max++;
		CHECK_ERR(setrlimit(RLIMIT_NOFILE, &r), EPERM,
			  "raising the hard limit unprivileged -> EPERM");
	}
}

/* check_emfile - with a soft limit of 64, EMFILE exactly when 0..63 are all in use. */
static void check_emfile(void)
{
	int fds[100], n, err, hi = -1, fd;

	CHECK(set_soft(64) == 0, "lower the soft limit to 64");
	n = fill_table(fds, 100, &err);
	for (int i = 0; i < n; i++)
		hi = fds[i] > hi ? fds[i] : hi;
	CHECK(err == EMFILE, "opening stops with EMFILE (errno %d after %d opens)", err, n);
	CHECK(hi == 63, "the last descriptor given was 63 (%d)", hi);
	int all = 1;

	for (int i = 0; i < 64; i++)
		all &= fd_open(i);
	CHECK(all, "every descriptor below the limit is in use");
	CHECK_ERR(dup(0), EMFILE, "dup with a full table -> EMFILE");
	CHECK_ERR(fcntl(0, F_DUPFD, 0), EMFILE, "F_DUPFD with a full table -> EMFILE");
	CHECK_ERR(pipe((int[2]){0}), EMFILE, "pipe with a full table -> EMFILE");
	close(fds[n / 2]);
	fd = open("/dev/null", O_RDONLY);
	CHECK(fd == fds[n / 2], "one close frees exactly that number, and open reuses it");
	CHECK_ERR(open("/dev/null", O_RDONLY), EMFILE, "then the table is full again");
	close_all(fds, n);
}

/* check_dup_limits - dup2 and F_DUPFD at and around the soft limit. */
static void check_dup_limits(struct rlimit *start)
{
	int fd;

	CHECK(set_soft(start->rlim_max >= 2048 ? 2048 : start->rlim_max) == 0,
	      "raise the soft limit again");
	CHECK(dup2(1, 100) == 100 && fd_open(100) && fcntl(100, F_GETFD) == 0,
	      "dup2(1, 100) works, without FD_CLOEXEC");
	CHECK(write(100, "", 0) == 0, "the copy is usable");
	CHECK(dup2(100, 100) == 100, "dup2 of a descriptor onto itself returns it");
	CHECK(dup3(1, 100, O_CLOEXEC) == 100 && fcntl(100, F_GETFD) == FD_CLOEXEC,
	      "dup3 onto an open descriptor replaces it, with O_CLOEXEC");
	CHECK_ERR(dup3(100, 100, 0), EINVAL, "dup3 onto itself -> EINVAL");
	close(100);

	CHECK(set_soft(64) == 0, "lower the soft limit to 64");
	CHECK(dup2(1, 63) == 63, "dup2 to 63, the last below the limit");
	close(63);
	CHECK_ERR(dup2(1, 64), EBADF, "dup2 to 64, the limit -> EBADF");
	CHECK_ERR(dup2(1, FAR_FD), EBADF, "dup2 far beyond it -> EBADF");
	CHECK_ERR(dup2(FAR_FD, 5), EBADF, "dup2 from a bad descriptor -> EBADF");
	fd = fcntl(1, F_DUPFD, 60);
	CHECK(fd >= 60 && fd < 64, "F_DUPFD at 60 gives the lowest free from 60 (%d)", fd);
	close(fd);
	CHECK_ERR(fcntl(1, F_DUPFD, 64), EINVAL, "F_DUPFD at the limit -> EINVAL");
	CHECK_ERR(fcntl(1, F_DUPFD_CLOEXEC, 64), EINVAL, "F_DUPFD_CLOEXEC at the limit -> EINVAL");
	CHECK_ERR(fcntl(1, F_DUPFD, -1), EINVAL, "F_DUPFD at -1 -> EINVAL");

	CHECK(set_soft(2048) == 0 || set_soft(start->rlim_max) == 0, "raise the limit");
	fd = fcntl(1, F_DUPFD, 1000);
	CHECK(fd == 1000, "F_DUPFD at 1000 gives 1000 (%d)", fd);
	CHECK(set_soft(10) == 0, "lower the soft limit to 10 below an open 1000");
	CHECK(fd_open(1000) && write(1000, "", 0) == 0 && close(1000) == 0,
	      "the descriptor above the new limit stays usable and closes");
	CHECK_ERR(dup2(1, 1000), EBADF, "but nothing new may go there -> EBADF");
}

/* check_growth - thousands of descriptors: consecutive, all usable, all closable. */
static void check_growth(struct rlimit *start)
{
	static int fds[3000];
	int want = start->rlim_max >= 3100 ? 3000 : (int)start->rlim_max - 100, n, err, ok = 1;
	int lowest = closed_fd();
	pid_t pid;

	if (want < 1000 && !on_holstein()) {
		t_skip("a table of 1000 descriptors (the host's hard limit is %llu)",
		       (unsigned long long)start->rlim_max);
		return;
	}
	if (!CHECK(want >= 1000, "the hard limit leaves room for 1000 more descriptors (%llu)",
		   (unsigned long long)start->rlim_max))
		return;

	CHECK(set_soft(want + 100) == 0, "raise the soft limit to %d", want + 100);
	for (n = 0; n < want; n++) {
		fds[n] = dup(0);
		if (fds[n] < 0)
			break;
	}
	err = errno;
	CHECK(n == want, "%d dups succeed (%d; errno %d)", want, n, err);
	/* Each is the lowest free number: any skipped number was open before (a harness's). */
	for (int i = 1; i < n; i++) {
		ok &= fds[i] > fds[i - 1];
		for (int g = fds[i - 1] + 1; g < fds[i]; g++)
			ok &= fd_open(g);
	}
	CHECK(ok, "each is the lowest free number");
	CHECK(n > 0 && fcntl(fds[n - 1], F_GETFL) >= 0 && fcntl(fds[n - 1], F_SETFD, 1) == 0,
	      "the highest one (%d) works", n > 0 ? fds[n - 1] : -1);
	pid = must_fork();
	if (pid == 0) {
		int bad = 0;

		for (int i = 0; i < n; i++)
			bad += !fd_open(fds[i]);
		_exit(bad != 0);
	}
	CHECK_EXIT(wait_pid(pid), 0, "a forked child inherits all %d", n);
	close_all(fds, n);
	ok = 1;
	for (int i = 0; i < n; i++)
		ok &= !fd_open(fds[i]);
	CHECK(ok, "all closed again");
	CHECK(dup(0) == lowest && close(lowest) == 0, "the lowest free descriptor is %d again",
	      lowest);
}

int main(void)
{
	struct rlimit start;

	t_init();
	check_default(&start);
	check_emfile();
	check_dup_limits(&start);
	check_growth(&start);
	CHECK(setrlimit(RLIMIT_NOFILE, &start) == 0, "restore the starting limits");
	return t_done("t_fs_fd");
}
