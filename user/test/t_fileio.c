/*
 * t_fileio - file descriptors on read-only files: openat/read/lseek/fstat/newfstatat/
 * getdents64 on the test's own binary and its directory, dup/dup3/fcntl, readv/writev,
 * ioctl, the error paths (EBADF, ENOENT, EFAULT, EINVAL, EISDIR, ENOTTY), and RLIMIT_NOFILE
 * and a descriptor table that grows past it once raised.
 * Nothing is ever written to a file (t_fs_file does that, in a scratch directory).
 */
#include "ulib.h"
#include <dirent.h>
#include <libgen.h>
#include <sys/ioctl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <termios.h>

/* check_read_seek - read the ELF magic, seek around, compare sizes from fstat and lseek. */
static void check_read_seek(const char *self)
{
	char buf[8];
	struct stat st, st2;
	off_t end;
	int fd = openat(AT_FDCWD, self, O_RDONLY);

	if (!CHECK(fd >= 0, "openat(own binary %s)", self))
		return;
	CHECK(read(fd, buf, 4) == 4 && !memcmp(buf, "\177ELF", 4), "read gives the ELF magic");
	CHECK(lseek(fd, 0, SEEK_CUR) == 4, "lseek SEEK_CUR reports the offset after read");
	CHECK(lseek(fd, 1, SEEK_SET) == 1 && read(fd, buf, 3) == 3 && !memcmp(buf, "ELF", 3),
	      "lseek SEEK_SET then read");
	end = lseek(fd, 0, SEEK_END);
	CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == end && end > 4096,
	      "fstat size %lld == lseek SEEK_END %lld", (long long)st.st_size, (long long)end);
	CHECK(read(fd, buf, sizeof(buf)) == 0, "read at end of file returns 0");
	CHECK(lseek(fd, -2, SEEK_END) == end - 2 && read(fd, buf, 8) == 2,
	      "read near the end is short");
	CHECK(lseek(fd, end + 100, SEEK_SET) == end + 100 && read(fd, buf, 8) == 0,
	      "seek past end is allowed and reads 0");
	CHECK_ERR(lseek(fd, 0, 99), EINVAL, "lseek whence 99 -> EINVAL");
	CHECK_ERR(lseek(fd, -1, SEEK_SET), EINVAL, "lseek to a negative offset -> EINVAL");
	CHECK(fstatat(AT_FDCWD, self, &st2, 0) == 0 && st2.st_size == st.st_size &&
		  st2.st_ino == st.st_ino && S_ISREG(st2.st_mode),
	      "newfstatat agrees with fstat");
	CHECK_ERR(write(fd, "x", 1), EBADF, "write to an O_RDONLY fd -> EBADF");
	CHECK_ERR(ioctl(fd, TCGETS, &(struct termios){0}), ENOTTY,
		  "ioctl TCGETS on a regular file -> ENOTTY");
	CHECK(isatty(fd) == 0, "isatty(regular file) is false");
	lseek(fd, 0, SEEK_SET); /* at end of file a read copies nothing, even to a bad buffer */
	CHECK_ERR(read(fd, hide_ptr(1), 4), EFAULT, "read into (void *)1 -> EFAULT");
	lseek(fd, 0, SEEK_SET);
	CHECK_ERR(read(fd, hide_ptr(KERNEL_ADDR), 4), EFAULT,
		  "read into a kernel address -> EFAULT");
	CHECK(close(fd) == 0, "close");
	CHECK_ERR(close(fd), EBADF, "second close -> EBADF");
}

/*
 * check_getdents - getdents64 on the directory holding our binary lists the binary,
 * ".", and continues across calls until it returns 0.
 */
static void check_getdents(const char *self)
{
	char dirbuf[512], namebuf[512], buf[1024];
	const char *dir, *name;
	int fd, found = 0, dot = 0, calls = 0;
	long n;

	snprintf(dirbuf, sizeof(dirbuf), "%s", self);
	snprintf(namebuf, sizeof(namebuf), "%s", self);
	dir = dirname(dirbuf);
	name = basename(namebuf);
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (!CHECK(fd >= 0, "open directory %s", dir))
		return;
	/* A small buffer forces several calls on any real directory. */
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		calls++;
		for (long off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);

			found |= !strcmp(d->d_name, name);
			dot |= !strcmp(d->d_name, ".");
			off += d->d_reclen;
		}
	}
	CHECK(n == 0 && found, "getdents64 lists %s in %s (%d calls)", name, dir, calls);
	CHECK(dot, "getdents64 lists \".\"");
	/* Linux says EISDIR; qemu-user reports EINVAL. */
	CHECK_ERR2(read(fd, buf, sizeof(buf)), EISDIR, EINVAL, "read on a directory fails");
	close(fd);
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK_ERR(syscall(SYS_getdents64, fd, hide_ptr(KERNEL_ADDR), sizeof(buf)), EFAULT,
		  "getdents64 into a kernel address -> EFAULT");
	close(fd);
	fd = open(self, O_RDONLY);
	CHECK_ERR(syscall(SYS_getdents64, fd, buf, sizeof(buf)), ENOTDIR,
		  "getdents64 on a regular file -> ENOTDIR");
	close(fd);
	CHECK_ERR(open(self, O_RDONLY | O_DIRECTORY), ENOTDIR, "O_DIRECTORY on a file -> ENOTDIR");
}

/* check_dup_fcntl - dup, dup3 and fcntl share the open file and manage FD_CLOEXEC. */
static void check_dup_fcntl(const char *self)
{
	int fd = open(self, O_RDONLY), fd2, fd3;

	fd2 = dup(fd);
	CHECK(fd2 > fd, "dup returns a new descriptor");
	CHECK(lseek(fd, 100, SEEK_SET) == 100 && lseek(fd2, 0, SEEK_CUR) == 100,
	      "dup'ed descriptors share the file offset");
	CHECK(fcntl(fd2, F_GETFD) == 0, "dup clears FD_CLOEXEC");
	fd3 = dup3(fd, 40, O_CLOEXEC);
	CHECK(fd3 == 40 && fcntl(40, F_GETFD) == FD_CLOEXEC, "dup3(fd, 40, O_CLOEXEC)");
	CHECK(fcntl(40, F_SETFD, 0) == 0 && fcntl(40, F_GETFD) == 0,
	      "F_SETFD clears close-on-exec");
	CHECK(fcntl(40, F_SETFD, FD_CLOEXEC) == 0 && fcntl(40, F_GETFD) == FD_CLOEXEC,
	      "F_SETFD sets close-on-exec");
	CHECK(dup3(fd2, 40, 0) == 40 && fcntl(40, F_GETFD) == 0,
	      "dup3 onto an open descriptor replaces it");
	CHECK_ERR(dup3(fd, fd, 0), EINVAL, "dup3(fd, fd) -> EINVAL");
	CHECK(fcntl(fd, F_DUPFD, 50) >= 50, "F_DUPFD returns a descriptor >= 50");
	CHECK((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY, "F_GETFL says O_RDONLY");
	CHECK_ERR(fcntl(FAR_FD, F_GETFD), EBADF, "fcntl on a bad fd -> EBADF");
	CHECK_ERR(dup(FAR_FD), EBADF, "dup of a bad fd -> EBADF");
	close(fd);
	close(fd2);
	close(40);
}

/* check_vectors - readv from a file and /dev/null, writev to /dev/null. */
static void check_vectors(const char *self)
{
	char a[2], b[3], x[10] = "abcdefghi";
	struct iovec rv[2] = {{a, sizeof(a)}, {b, sizeof(b)}};
	struct iovec wv[3] = {{x, 3}, {x + 3, 0}, {x + 3, 6}};
	int fd = open(self, O_RDONLY), nul = open("/dev/null", O_RDWR);

	CHECK(readv(fd, rv, 2) == 5 && !memcmp(a, "\177E", 2) && !memcmp(b, "LF", 2),
	      "readv scatters the ELF magic over two buffers");
	CHECK(nul >= 0, "open /dev/null");
	CHECK(writev(nul, wv, 3) == 9, "writev of 9 bytes in 3 vectors to /dev/null");
	CHECK(write(nul, x, 5) == 5, "write to /dev/null");
	CHECK(readv(nul, rv, 2) == 0, "readv from /dev/null is end of file");
	CHECK(read(nul, a, 1) == 0, "read from /dev/null is end of file");
	CHECK((fcntl(nul, F_GETFL) & O_ACCMODE) == O_RDWR, "F_GETFL says O_RDWR");
	close(fd);
	close(nul);
}

/* check_devices - /dev/zero, /dev/full and /dev/urandom behave as on Linux. */
static void check_devices(void)
{
	unsigned char buf[300];
	struct stat st;
	int zero = open("/dev/zero", O_RDWR), full = open("/dev/full", O_RDWR);
	int rnd = open("/dev/urandom", O_RDONLY);
	size_t nonzero = 0;

	memset(buf, 0xa5, sizeof(buf));
	CHECK(zero >= 0 && read(zero, buf, sizeof(buf)) == sizeof(buf) && !buf[0] &&
		      !memcmp(buf, buf + 1, sizeof(buf) - 1),
	      "/dev/zero reads zeros");
	CHECK(write(zero, buf, 10) == 10, "/dev/zero swallows writes");
	CHECK(fstat(zero, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 5),
	      "/dev/zero is character device 1:5");
	char *m = mmap(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, zero, 0);
	CHECK(m != MAP_FAILED && !m[0] && !m[PAGE_SIZE + 7] && (m[5] = 9) == 9,
	      "a private map of /dev/zero is zeroed, writable memory");
	if (m != MAP_FAILED)
		munmap(m, 2 * PAGE_SIZE);
	CHECK_ERR(write(full, buf, 1), ENOSPC, "writing /dev/full -> ENOSPC");
	buf[0] = 1;
	CHECK(read(full, buf, 8) == 8 && !buf[0], "/dev/full reads zeros");
	CHECK(rnd >= 0 && read(rnd, buf, sizeof(buf)) == sizeof(buf), "/dev/urandom reads");
	for (size_t i = 0; i < sizeof(buf); i++)
		nonzero += buf[i] != 0;
	CHECK(nonzero > sizeof(buf) / 2, "... bytes that are not all zero (%zu of %zu)", nonzero,
	      sizeof(buf));
	close(zero);
	close(full);
	close(rnd);
}

/* check_proc_files - /proc/uptime, /proc/version and /proc/cpuinfo exist in Linux's formats. */
static void check_proc_files(void)
{
	char buf[4096];
	double up = -1, idle = -1;

	CHECK(read_small_file("/proc/uptime", buf, sizeof(buf)) > 0 &&
		      sscanf(buf, "%lf %lf", &up, &idle) == 2 && up > 0 && idle >= 0,
	      "/proc/uptime: seconds up and idle (%.2f %.2f)", up, idle);
	CHECK(read_small_file("/proc/version", buf, sizeof(buf)) > 0 &&
		      !strncmp(buf, "Linux version ", 14),
	      "/proc/version starts \"Linux version\"");
	CHECK(read_small_file("/proc/cpuinfo", buf, sizeof(buf)) > 0 &&
		      !strncmp(buf, "processor\t: ", 12),
	      "/proc/cpuinfo starts with a processor line");
}

/* check_errors - bad descriptors, missing paths and bad pointers. */
static void check_errors(void)
{
	char buf[8];
	struct stat st;
	int p[2];

	CHECK_ERR(read(-1, buf, 1), EBADF, "read(-1) -> EBADF");
	CHECK_ERR(read(FAR_FD, buf, 1), EBADF, "read(a far fd) -> EBADF");
	CHECK_ERR(write(FAR_FD, buf, 1), EBADF, "write(a far fd) -> EBADF");
	CHECK_ERR(close(FAR_FD), EBADF, "close(a far fd) -> EBADF");
	CHECK_ERR(read(closed_fd(), buf, 1), EBADF, "read of a closed fd -> EBADF");
	int self_fd = open("/proc/self/exe", O_RDONLY);
	CHECK_ERR(syscall(SYS_pread64, self_fd, buf, SIZE_MAX, 0L), EFAULT,
		  "pread with a length past the end of memory -> EFAULT, nothing written");
	close(self_fd);
	CHECK_ERR(fstat(FAR_FD, &st), EBADF, "fstat(a far fd) -> EBADF");
	CHECK_ERR(lseek(FAR_FD, 0, SEEK_SET), EBADF, "lseek(a far fd) -> EBADF");
	CHECK_ERR(open("/no/such/file", O_RDONLY), ENOENT, "open a missing path -> ENOENT");
	CHECK_ERR(open("/nonexistent", O_RDONLY), ENOENT, "open /nonexistent -> ENOENT");
	CHECK_ERR(stat("/nonexistent", &st), ENOENT, "stat a missing path -> ENOENT");
	CHECK_ERR(open(hide_ptr(1), O_RDONLY), EFAULT, "open with path (char *)1 -> EFAULT");
	CHECK_ERR(open(hide_ptr(KERNEL_ADDR), O_RDONLY), EFAULT,
		  "open with a kernel-address path -> EFAULT");
	CHECK_ERR(fstat(0, hide_ptr(KERNEL_ADDR)), EFAULT, "fstat into a kernel address -> EFAULT");
	if (!CHECK(pipe(p) == 0, "pipe for the EFAULT writes"))
		return;
	CHECK_ERR(write(p[1], hide_ptr(1), 4), EFAULT, "write from (void *)1 -> EFAULT");
	CHECK_ERR(write(p[1], hide_ptr(KERNEL_ADDR), 4), EFAULT,
		  "write from a kernel address -> EFAULT");
	close(p[0]);
	close(p[1]);
}

/* check_proc_self - /proc/self/stat starts with our pid, "(comm)" and state. */
static void check_proc_self(void)
{
	char buf[512];
	int pid = 0;

	CHECK(read_small_file("/proc/self/stat", buf, sizeof(buf)) > 0 &&
		  sscanf(buf, "%d", &pid) == 1 && pid == getpid() && strchr(buf, '('),
	      "/proc/self/stat begins with our pid (%d)", pid);
}

/* fill_to_emfile - dup @fd until EMFILE; the highest descriptor made (-1 if none) in *@top. */
static int fill_to_emfile(int fd, int *top)
{
	int n = 0, d;

	*top = -1;
	while ((d = dup(fd)) >= 0) {
		*top = d;
		n++;
	}
	return errno == EMFILE ? n : -1;
}

/* close_above - close every descriptor in [lo, hi]. */
static void close_above(int lo, int hi)
{
	for (int d = lo; d <= hi; d++)
		close(d);
}

/*
 * check_fd_limits - RLIMIT_NOFILE: 1024 of 65536 on Holstein; EMFILE at the soft limit,
 * EBADF from dup2 and EINVAL from F_DUPFD past it; raised to 4096, the table grows to
 * thousands of descriptors, which fork copies (close-on-exec bits too) and poll takes.
 */
static void check_fd_limits(void)
{
	struct rlimit old, r;
	int top, p[2], st;

	CHECK(dup2(1, 100) == 100 && fcntl(100, F_GETFD) == 0, "dup2(1, 100) works");
	close(100);
	if (!CHECK(getrlimit(RLIMIT_NOFILE, &old) == 0, "getrlimit(RLIMIT_NOFILE)"))
		return;
	if (on_holstein()) {
		CHECK(old.rlim_cur == 1024 && old.rlim_max == 65536,
		      "RLIMIT_NOFILE is 1024 of 65536 (%llu of %llu)",
		      (unsigned long long)old.rlim_cur, (unsigned long long)old.rlim_max);
		r = (struct rlimit){ 1024, 65537 };
		CHECK_ERR(setrlimit(RLIMIT_NOFILE, &r), EPERM, "a hard limit past nr_open -> EPERM");
	}
	r = (struct rlimit){ old.rlim_max, old.rlim_cur };
	if (old.rlim_max > old.rlim_cur)
		CHECK_ERR(setrlimit(RLIMIT_NOFILE, &r), EINVAL, "soft limit above the hard -> EINVAL");

	r = (struct rlimit){ 64, old.rlim_max };
	if (!CHECK(setrlimit(RLIMIT_NOFILE, &r) == 0, "lower the soft limit to 64"))
		return;
	CHECK(fill_to_emfile(0, &top) > 0 && top == 63, "dup fills the table to 63, then EMFILE");
	close_above(3, 63);
	CHECK_ERR(dup2(1, 64), EBADF, "dup2 to the soft limit -> EBADF");
	CHECK_ERR(fcntl(1, F_DUPFD, 64), EINVAL, "F_DUPFD from the soft limit -> EINVAL");
	CHECK(fcntl(1, F_DUPFD, 63) == 63, "F_DUPFD just below the limit works");
	close(63);

	r = (struct rlimit){ 4096, old.rlim_max };
	if (old.rlim_max < 4096 || setrlimit(RLIMIT_NOFILE, &r) != 0) {
		t_skip("cannot raise RLIMIT_NOFILE to 4096 here");
		setrlimit(RLIMIT_NOFILE, &old);
		return;
	}
	CHECK(dup2(1, 4000) == 4000, "dup2(1, 4000) grows the table");
	CHECK(fcntl(1, F_DUPFD_CLOEXEC, 3500) == 3500 && fcntl(3500, F_GETFD) == FD_CLOEXEC,
	      "F_DUPFD_CLOEXEC at 3500");
	close(4000);
	int ok = 1;
	for (int i = 0; i < 3000 && ok; i++)
		ok = dup(0) >= 0;
	CHECK(ok, "3000 more descriptors");
	pid_t pid = xfork();
	if (pid == 0)
		_exit(fcntl(3001, F_GETFD) == 0 && fcntl(3500, F_GETFD) == FD_CLOEXEC &&
		      fcntl(4000, F_GETFD) < 0 ? 0 : 1);
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "fork copies the grown table and its close-on-exec bits");
	close_above(3, 3500);

	if (CHECK(pipe(p) == 0, "pipe")) {
		enum { N = 700 };	/* more pollfds than one page of them */
		static struct pollfd pf[N];
		for (int i = 0; i < N; i++)
			pf[i] = (struct pollfd){ .fd = dup(p[1]), .events = POLLOUT };
		CHECK(poll(pf, N, 0) == N && pf[N - 1].revents == POLLOUT,
		      "poll of %d descriptors", N);
		for (int i = 0; i < N; i++)
			close(pf[i].fd);
		close(p[0]);
		close(p[1]);
	}
	r = (struct rlimit){ 16, old.rlim_max };
	CHECK(setrlimit(RLIMIT_NOFILE, &r) == 0, "lower the limit below the open descriptors");
	{
		struct pollfd pf[17];
		for (int i = 0; i < 17; i++)
			pf[i] = (struct pollfd){ .fd = -1 };
		CHECK_ERR(poll(pf, 17, 0), EINVAL, "poll of more fds than RLIMIT_NOFILE -> EINVAL");
	}
	CHECK(setrlimit(RLIMIT_NOFILE, &old) == 0, "restore RLIMIT_NOFILE");
}

/* main - run every group of checks against our own binary. */
int main(int argc, char **argv)
{
	const char *self = self_path(argv[0]);

	(void)argc;
	t_init();
	check_read_seek(self);
	check_getdents(self);
	check_dup_fcntl(self);
	check_fd_limits();
	check_vectors(self);
	check_devices();
	check_proc_files();
	check_errors();
	check_proc_self();
	return t_done("t_fileio");
}
