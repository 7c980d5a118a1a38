/*
 * t_abi - int-typed system call arguments with junk in their upper halves.
 *
 * riscv64 passes every argument in a 64-bit register. A C caller's int arrives
 * sign-extended (glibc's reboot() passes (int)0xfee1dead as 0xfffffffffee1dead), and a raw
 * syscall(2) caller may leave anything above bit 31. Linux 6.1 casts each register to the
 * declared type first (SYSCALL_DEFINE), so an int, pid_t or clockid_t argument is its low 32
 * bits sign-extended, an unsigned int (a descriptor, a command, a whence) its low 32 bits,
 * and a umode_t its low 16 bits. Every check below makes a raw call once as a C caller would
 * and then with several upper halves on its int-typed arguments, and wants the same answer
 * each time (the answer Linux gives, where it is fixed). The few checks qemu-user itself gets
 * wrong are skipped under the oracle (EXPECT_LINUX says how qemu errs).
 *
 * Classes: descriptors (read ... mmap's fd), dirfds (AT_FDCWD), flags and modes, pids and
 * signals, which/how/who/whence/resource/clock ids, sizes and counts typed int or unsigned
 * int, clone's flags (Linux keeps their low 32 bits), futex words, and reboot's magic.
 */
#include "ulib.h"
#include <limits.h>
#include <linux/futex.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <termios.h>

/* The upper halves each check tries. CLEAN (never a real upper half): as a C caller passes. */
#define CLEAN 1
static const uint64_t uppers[] = {
    CLEAN, 0, 0xffffffff00000000ULL, 0x5eed1e5500000000ULL, 0x8000000000000000ULL, 0x100000000ULL};
#define NUPPERS (sizeof(uppers) / sizeof(uppers[0]))
static uint64_t cur_upper = CLEAN;

/* D - a 32-bit argument v as the current upper half dresses it. */
static uint64_t D(uint64_t v)
{
	if (cur_upper == CLEAN)
		return (uint64_t)(int64_t)(int32_t)v;
	return (uint32_t)v | cur_upper;
}

/* DM - a umode_t argument: its low 16 bits, and junk in bits 16-31 as well as above. */
static uint64_t DM(uint64_t v)
{
	if (cur_upper == CLEAN)
		return v;
	return (uint16_t)v | 0x5a5a0000ULL | cur_upper;
}

/* P - a pointer argument. */
#define P(x) ((uint64_t)(uintptr_t)(x))

/* raw_ - syscall(2) returning -errno on failure; RAW() pads the arguments with zeros. */
static long raw_(long nr, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f,
		 ...)
{
	long r = syscall(nr, a, b, c, d, e, f);

	return r == -1 ? -errno : r;
}
#define RAW(...) raw_(__VA_ARGS__, 0, 0, 0, 0, 0, 0)

/* abi_report - one PASS/FAIL line for an EXPECT: which upper half broke it, if one did. */
static __attribute__((format(printf, 5, 6))) void abi_report(long want, long got, size_t i,
							     int line, const char *fmt, ...)
{
	char detail[160];
	va_list ap;

	snprintf(detail, sizeof(detail), "line %d: upper half %#llx gave %ld, want %ld", line,
		 (unsigned long long)uppers[i], got, want);
	va_start(ap, fmt);
	t_vreport(got == want, detail, fmt, ap);
	va_end(ap);
}

/* EXPECT(want, expr, what...) - expr gives want under every upper half in turn. */
#define EXPECT(want, expr, ...)                                                                    \
	do {                                                                                       \
		long want_ = (want), got_ = want_;                                                 \
		size_t i_ = 0;                                                                     \
		for (; i_ < NUPPERS; i_++) {                                                       \
			cur_upper = uppers[i_];                                                    \
			if ((got_ = (long)(expr)) != want_)                                        \
				break;                                                             \
		}                                                                                  \
		abi_report(want_, got_, i_ < NUPPERS ? i_ : 0, __LINE__, __VA_ARGS__);             \
		cur_upper = CLEAN;                                                                 \
	} while (0)

/*
 * EXPECT_LINUX(qemu_bug, want, expr, what...) - EXPECT, for a call qemu-user gets wrong with
 * junk upper halves where Linux does not (qemu_bug says how): skipped under the oracle.
 */
#define EXPECT_LINUX(qemu_bug, want, expr, ...)                                                    \
	do {                                                                                       \
		if (on_holstein())                                                                 \
			EXPECT(want, expr, __VA_ARGS__);                                           \
		else                                                                               \
			t_skip("qemu-user: %s", qemu_bug);                                         \
	} while (0)

static char buf[4096], buf2[4096];
static int self_fd, null_fd, dir_fd;
static pid_t me;

/* closed_after - close fd r if the call made one; r either way. */
static long closed_after(long r)
{
	if (r >= 0)
		close((int)r);
	return r;
}

/* MISMATCH - what if_same() gives for different bytes: no call returns it. */
#define MISMATCH (-100000L)

/* if_same - a call's result r; MISMATCH if it succeeded but n bytes at got differ from want. */
static long if_same(long r, const void *got, const void *want, long n)
{
	if (r < 0)
		return r;
	return n >= 0 && memcmp(got, want, n) ? MISMATCH : r;
}

/* fd_flags_closed - fd r's F_GETFD flags, closing it; r itself if the call failed. */
static long fd_flags_closed(long r)
{
	if (r < 0)
		return r;
	long flags = fcntl((int)r, F_GETFD);
	close((int)r);
	return flags;
}

/* check_fds - unsigned int descriptors: file, /dev/null, directory, mmap's fd. */
static void check_fds(void)
{
	struct stat clean, st;
	struct iovec iov = {buf, 3};
	int free_fd = closed_fd();

	EXPECT(4, if_same(RAW(SYS_pread64, D(self_fd), P(buf), 4, 0), buf, "\177ELF", 4),
	       "pread64(fd) reads our ELF header");
	EXPECT(4, (lseek(self_fd, 0, SEEK_SET), RAW(SYS_read, D(self_fd), P(buf), 4)), "read(fd)");
	EXPECT(3, RAW(SYS_write, D(null_fd), P("abc"), 3), "write(fd) to /dev/null");
	EXPECT(3, RAW(SYS_writev, D(null_fd), P(&iov), 1), "writev(fd)");
	EXPECT(3, (lseek(self_fd, 0, SEEK_SET), RAW(SYS_readv, D(self_fd), P(&iov), 1)),
	       "readv(fd)");
	EXPECT_LINUX("takes all 64 bits of vlen", 3,
		     (lseek(self_fd, 0, SEEK_SET), RAW(SYS_readv, D(self_fd), P(&iov), D(1))),
		     "readv vlen (import_iovec's unsigned nr_segs)");
	EXPECT_LINUX("takes all 64 bits of vlen", 3, RAW(SYS_writev, D(null_fd), P(&iov), D(1)),
		     "writev vlen");
	EXPECT(-EBADF, RAW(SYS_read, D(-1), P(buf), 1), "read(-1) is EBADF");
	EXPECT(-EBADF, RAW(SYS_read, D(free_fd), P(buf), 1), "read of a closed fd is EBADF");
	fstat(self_fd, &clean);
	EXPECT(0,
	       RAW(SYS_fstat, D(self_fd), P(&st))
		   ?: st.st_ino != clean.st_ino || st.st_size != clean.st_size,
	       "fstat(fd) describes the same file");
	EXPECT(7, RAW(SYS_lseek, D(self_fd), 7, D(SEEK_SET)),
	       "lseek(fd, 7, SEEK_SET): fd and whence");
	EXPECT(clean.st_size - 1, RAW(SYS_lseek, D(self_fd), -1, D(SEEK_END)), "lseek(SEEK_END)");
	EXPECT(-EINVAL, RAW(SYS_lseek, D(self_fd), 0, D(5)), "lseek whence 5 is EINVAL");
	EXPECT(FD_CLOEXEC, RAW(SYS_fcntl, D(self_fd), D(F_GETFD)), "fcntl(F_GETFD): fd and cmd");
	EXPECT(fcntl(self_fd, F_GETFL), RAW(SYS_fcntl, D(self_fd), D(F_GETFL)), "fcntl(F_GETFL)");
	EXPECT(-EINVAL, RAW(SYS_fcntl, D(self_fd), D(9999)), "fcntl cmd 9999 is EINVAL");
	/* F_DUPFD's arg is an unsigned long, but f_dupfd() takes its low 32 bits. */
	EXPECT(closed_after(fcntl(self_fd, F_DUPFD, 40)),
	       closed_after(RAW(SYS_fcntl, D(self_fd), D(F_DUPFD), D(40))), "fcntl(F_DUPFD, 40)");
	EXPECT(0, RAW(SYS_fcntl, D(self_fd), D(F_SETFD), D(0)) ?: fcntl(self_fd, F_GETFD),
	       "fcntl(F_SETFD, 0) clears FD_CLOEXEC");
	EXPECT(FD_CLOEXEC,
	       RAW(SYS_fcntl, D(self_fd), D(F_SETFD), D(FD_CLOEXEC)) ?: fcntl(self_fd, F_GETFD),
	       "fcntl(F_SETFD, FD_CLOEXEC) sets it");
	EXPECT(closed_after(dup(self_fd)), closed_after(RAW(SYS_dup, D(self_fd))), "dup(fd)");
	EXPECT_LINUX("dup3's flags are checked as 64 bits (EINVAL)", FD_CLOEXEC, ({
			     long r = RAW(SYS_dup3, D(self_fd), D(free_fd), D(O_CLOEXEC));
			     r == free_fd ? fd_flags_closed(r) : r;
		     }),
		     "dup3(fd, newfd, O_CLOEXEC): both fds and the flags");
	EXPECT(-EINVAL, RAW(SYS_dup3, D(self_fd), D(self_fd), 0), "dup3(fd, fd) is EINVAL");
	EXPECT(-EBADF, ({
		dup2(self_fd, free_fd);
		RAW(SYS_close, D(free_fd)) ?: fcntl(free_fd, F_GETFD) < 0 ? -errno : 0;
	}),
	       "close(fd) closes that fd");
	EXPECT(-ENOTTY, RAW(SYS_ioctl, D(null_fd), D(TCGETS), P(buf)), "ioctl(/dev/null, TCGETS)");
	EXPECT(0, RAW(SYS_fsync, D(self_fd)), "fsync(fd)");
	EXPECT(-EBADF, RAW(SYS_fchmod, D(free_fd), DM(0644)), "fchmod(closed fd) is EBADF");
	EXPECT(-EBADF, RAW(SYS_fchown, D(free_fd), D(0), D(0)), "fchown(closed fd) is EBADF");
	EXPECT(-EBADF, RAW(SYS_ftruncate, D(free_fd), 0), "ftruncate(closed fd) is EBADF");
	lseek(dir_fd, 0, SEEK_SET);
	long n = syscall(SYS_getdents64, dir_fd, buf2, 512);
	EXPECT_LINUX("getdents64's count is taken as 64 bits", n,
		     (lseek(dir_fd, 0, SEEK_SET),
		      if_same(RAW(SYS_getdents64, D(dir_fd), P(buf), D(512)), buf, buf2, n)),
		     "getdents64(fd, buf, 512): fd and count (%ld bytes)", n);
	EXPECT(0x464c457f, ({
		       void *m =
			   (void *)RAW(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE, D(self_fd), 0);
		       long r = (long)m < 0 && (long)m > -4096 ? (long)m : *(int *)m;
		       if ((long)m > 0)
			       munmap(m, 4096);
		       r;
	       }),
	       "mmap(fd) maps our file");
	EXPECT(0, ({
		       long m =
			   RAW(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, D(-1), 0);
		       m > 0 ? munmap((void *)m, 4096) : m;
	       }),
	       "mmap(MAP_ANONYMOUS, fd -1)");
}

/* check_dirfds - int dirfds (AT_FDCWD is -100), flags and modes of the path calls. */
static void check_dirfds(void)
{
	const char *nope = "/nonexistent-holstein-abi";
	struct stat clean, st;
	char link[64];
	long n;

	EXPECT(closed_after(open("/dev/null", O_RDONLY | O_CLOEXEC)),
	       closed_after(
		   RAW(SYS_openat, D(AT_FDCWD), P("/dev/null"), D(O_RDONLY | O_CLOEXEC), DM(0))),
	       "openat(AT_FDCWD, /dev/null, O_CLOEXEC): dirfd, flags, mode");
	EXPECT(
	    FD_CLOEXEC,
	    fd_flags_closed(RAW(SYS_openat, D(AT_FDCWD), P("/dev/null"), D(O_RDONLY | O_CLOEXEC))),
	    "openat's O_CLOEXEC survives the junk");
	stat("/dev/null", &clean);
	EXPECT(0,
	       RAW(SYS_newfstatat, D(AT_FDCWD), P("/dev/null"), P(&st), D(0))
		   ?: st.st_rdev != clean.st_rdev,
	       "newfstatat(AT_FDCWD): dirfd and flag");
	lstat("/proc/self", &clean);
	EXPECT(0,
	       RAW(SYS_newfstatat, D(AT_FDCWD), P("/proc/self"), P(&st), D(AT_SYMLINK_NOFOLLOW))
		   ?: !S_ISLNK(st.st_mode),
	       "newfstatat(AT_SYMLINK_NOFOLLOW) sees the link");
	EXPECT(0, RAW(SYS_newfstatat, D(self_fd), P(""), P(&st), D(AT_EMPTY_PATH)),
	       "newfstatat(fd, \"\", AT_EMPTY_PATH)");
	EXPECT(0, RAW(SYS_faccessat, D(AT_FDCWD), P("/dev/null"), D(R_OK)),
	       "faccessat(AT_FDCWD, R_OK)");
	EXPECT(-ENOENT, RAW(SYS_faccessat, D(AT_FDCWD), P(nope), D(F_OK)),
	       "faccessat of a missing file");
	n = readlink("/proc/self", link, sizeof(link));
	EXPECT_LINUX(
	    "readlinkat's bufsiz is taken as 64 bits (EFAULT)", n,
	    if_same(RAW(SYS_readlinkat, D(AT_FDCWD), P("/proc/self"), P(buf), D(sizeof(buf))), buf,
		    link, n),
	    "readlinkat(AT_FDCWD, /proc/self, bufsiz): dirfd and bufsiz");
	EXPECT_LINUX("readlinkat's bufsiz is taken as 64 bits (EFAULT)", n < 2 ? n : 2,
		     RAW(SYS_readlinkat, D(AT_FDCWD), P("/proc/self"), P(buf), D(2)),
		     "readlinkat bufsiz 2");
	EXPECT_LINUX("readlinkat(bufsiz -1) is EFAULT, not EINVAL", -EINVAL,
		     RAW(SYS_readlinkat, D(AT_FDCWD), P("/proc/self"), P(buf), D(-1)),
		     "readlinkat bufsiz -1 is EINVAL");
	EXPECT(-EEXIST, RAW(SYS_mkdirat, D(AT_FDCWD), P("/"), DM(0755)),
	       "mkdirat(AT_FDCWD, /) is EEXIST");
	EXPECT_LINUX("mknodat's dev reaches the host's glibc as 64 bits (EINVAL)", -EEXIST,
		     RAW(SYS_mknodat, D(AT_FDCWD), P("/"), DM(S_IFREG | 0644), D(0)),
		     "mknodat(/) is EEXIST");
	EXPECT(-EEXIST, RAW(SYS_symlinkat, P("x"), D(AT_FDCWD), P("/")),
	       "symlinkat(x, AT_FDCWD, /)");
	EXPECT(-ENOENT, RAW(SYS_unlinkat, D(AT_FDCWD), P(nope), D(0)),
	       "unlinkat of a missing file");
	EXPECT(-ENOENT, RAW(SYS_fchmodat, D(AT_FDCWD), P(nope), DM(0644)),
	       "fchmodat of a missing file");
	EXPECT(-ENOENT, RAW(SYS_fchownat, D(AT_FDCWD), P(nope), D(0), D(0), D(0)),
	       "fchownat of a missing file");
	EXPECT(-ENOENT, RAW(SYS_utimensat, D(AT_FDCWD), P(nope), 0, D(0)),
	       "utimensat of a missing file");
	/* riscv64 has no renameat: Linux leaves number 38 out of the table, and so must we. */
	EXPECT(-ENOSYS, RAW(38, D(AT_FDCWD), P(nope), D(AT_FDCWD), P("/tmp-abi")),
	       "syscall 38 (renameat, not on riscv64) is ENOSYS");
	EXPECT(-ENOENT, RAW(SYS_renameat2, D(AT_FDCWD), P(nope), D(AT_FDCWD), P("/tmp-abi"), D(0)),
	       "renameat2 of a missing file");
	EXPECT(-ENOENT, RAW(SYS_linkat, D(AT_FDCWD), P(nope), D(AT_FDCWD), P("/tmp-abi"), D(0)),
	       "linkat of a missing file");
}

/* check_flags - int and unsigned int flag words. */
static void check_flags(char *page)
{
	int p[2];

	EXPECT(FD_CLOEXEC + O_NONBLOCK, ({
		       long r = RAW(SYS_pipe2, P(p), D(O_CLOEXEC | O_NONBLOCK));
		       if (!r) {
			       r = fcntl(p[0], F_GETFD) + (fcntl(p[1], F_GETFL) & O_NONBLOCK);
			       close(p[0]);
			       close(p[1]);
		       }
		       r;
	       }),
	       "pipe2(O_CLOEXEC | O_NONBLOCK)");
	EXPECT(-EINVAL, RAW(SYS_pipe2, P(p), D(O_WRONLY)), "pipe2 with a bad flag is EINVAL");
	EXPECT(8, RAW(SYS_getrandom, P(buf), 8, D(1 /* GRND_NONBLOCK */)), "getrandom flags");
	EXPECT(-EINVAL, RAW(SYS_getrandom, P(buf), 8, D(8)), "getrandom flag 8 is EINVAL");
	EXPECT(0, RAW(SYS_msync, P(page), 4096, D(MS_SYNC)), "msync(MS_SYNC)");
	EXPECT(-EINVAL, RAW(SYS_msync, P(page), 4096, D(MS_SYNC | MS_ASYNC)),
	       "msync(MS_SYNC | MS_ASYNC)");
	EXPECT(0, RAW(SYS_madvise, P(page), 4096, D(MADV_NORMAL)), "madvise(MADV_NORMAL)");
	EXPECT(-EINVAL, RAW(SYS_mlockall, D(0)), "mlockall(0) is EINVAL");
	EXPECT(-EINVAL, RAW(SYS_mlockall, D(8)), "mlockall(8) is EINVAL");
	mode_t old = umask(0);
	EXPECT(022, (RAW(SYS_umask, D(022)), umask(0)), "umask(022) sets 022");
	EXPECT(022, (umask(022), RAW(SYS_umask, D(0))), "umask returns the old mask");
	umask(old);
}

/* check_procs - pids, signals, clone flags, exit codes and the wait options. */
static void check_procs(void)
{
	struct sigaction clean, old;
	struct {
		uintptr_t handler;
		unsigned long flags;
		uint64_t mask;
	} act = {(uintptr_t)SIG_IGN, 0, 0};
	uint64_t set = 1ULL << (SIGUSR2 - 1), mask;
	siginfo_t si;
	int st;

	EXPECT(0, RAW(SYS_kill, D(me), D(0)), "kill(me, 0)");
	EXPECT(0, RAW(SYS_kill, D(0), D(0)), "kill(0, 0): our group");
	EXPECT(0, RAW(SYS_kill, D(-getpgrp()), D(0)), "kill(-pgrp, 0)");
	EXPECT(-ESRCH, RAW(SYS_kill, D(INT_MAX), D(0)), "kill(INT_MAX, 0) is ESRCH");
	EXPECT(-EINVAL, RAW(SYS_kill, D(me), D(65)), "kill(me, 65) is EINVAL");
	EXPECT(-EINVAL, RAW(SYS_kill, D(me), D(-1)), "kill(me, -1) is EINVAL");
	EXPECT(0, RAW(SYS_tkill, D(me), D(0)), "tkill(me, 0)");
	EXPECT(-EINVAL, RAW(SYS_tkill, D(0), D(0)), "tkill(0, 0) is EINVAL");
	EXPECT(0, RAW(SYS_tgkill, D(me), D(me), D(0)), "tgkill(me, me, 0)");
	EXPECT(getpgrp(), RAW(SYS_getpgid, D(0)), "getpgid(0)");
	EXPECT(getpgrp(), RAW(SYS_getpgid, D(me)), "getpgid(me)");
	EXPECT(-ESRCH, RAW(SYS_getpgid, D(INT_MAX)), "getpgid(INT_MAX) is ESRCH");
	EXPECT(getsid(0), RAW(SYS_getsid, D(me)), "getsid(me)");
	EXPECT(-ESRCH, RAW(SYS_getsid, D(-1)), "getsid(-1) is ESRCH");
	EXPECT(-EINVAL, RAW(SYS_setpgid, D(me), D(-1)), "setpgid(me, -1) is EINVAL");
	EXPECT(-ESRCH, RAW(SYS_setpgid, D(INT_MAX), D(0)), "setpgid(INT_MAX, 0) is ESRCH");
	sigaction(SIGUSR1, NULL, &clean);
	EXPECT(0,
	       RAW(SYS_rt_sigaction, D(SIGUSR1), 0, P(&old), 8)
		   ?: old.sa_handler != clean.sa_handler,
	       "rt_sigaction(SIGUSR1) reads the action");
	EXPECT((long)SIG_IGN,
	       (RAW(SYS_rt_sigaction, D(SIGUSR1), P(&act), 0, 8), sigaction(SIGUSR1, &clean, &old),
		(long)old.sa_handler),
	       "rt_sigaction(SIGUSR1) sets it");
	EXPECT(-EINVAL, RAW(SYS_rt_sigaction, D(0), 0, P(&old), 8), "rt_sigaction(0) is EINVAL");
	EXPECT(-EINVAL, RAW(SYS_rt_sigaction, D(65), 0, P(&old), 8), "rt_sigaction(65) is EINVAL");
	EXPECT(1,
	       (RAW(SYS_rt_sigprocmask, D(SIG_BLOCK), P(&set), 0, 8),
		syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, &mask, 8),
		(long)((mask & set) != 0)),
	       "rt_sigprocmask(SIG_BLOCK): how");
	EXPECT(-EINVAL, RAW(SYS_rt_sigprocmask, D(3), P(&set), 0, 8),
	       "rt_sigprocmask how 3 is EINVAL");
	EXPECT(7, ({
		       long pid = RAW(SYS_clone, D(SIGCHLD), 0, 0, 0, 0);
		       if (pid == 0)
			       syscall(SYS_exit_group, D(7));
		       pid > 0 && RAW(SYS_wait4, D(pid), P(&st), D(0), 0) == pid &&WIFEXITED(st)
			   ? WEXITSTATUS(st)
			   : -1;
	       }),
	       "clone(SIGCHLD), exit_group(7), wait4(pid, 0)");
	EXPECT(SIGCHLD, ({
		       pid_t pid = xfork();
		       if (pid == 0)
			       _exit(0);
		       memset(&si, 0, sizeof(si));
		       RAW(SYS_waitid, D(P_PID), D(pid), P(&si), D(WEXITED), 0)
		       ?: si.si_pid == pid ? si.si_signo : -1;
	       }),
	       "waitid(P_PID, pid, WEXITED): which, pid, options");
	EXPECT(-ECHILD, RAW(SYS_wait4, D(-1), 0, D(WNOHANG), 0),
	       "wait4(-1, WNOHANG) without children");
	EXPECT(-EINVAL, RAW(SYS_wait4, D(-1), 0, D(0x100000), 0),
	       "wait4 with a bad option is EINVAL");
}

/* check_which - which/who/how/resource/clock ids, counts and sizes typed int. */
static void check_which(void)
{
	struct itimerval it, zero = {{0, 0}, {0, 0}};
	struct timespec ts, clean, ts0 = {0, 0}, ts1ms = {0, 1000000};
	uint64_t lim[2], lim_clean[2];
	struct pollfd pfd = {null_fd, POLLOUT, 0};
	uint64_t wset;
	unsigned char cpus[128], cpus_clean[128];
	char name[16], name_clean[16];
	uint32_t word = 5;
	long n;

	EXPECT(0, RAW(SYS_getitimer, D(ITIMER_REAL), P(&it)), "getitimer(ITIMER_REAL)");
	EXPECT(-EINVAL, RAW(SYS_getitimer, D(3), P(&it)), "getitimer(3) is EINVAL");
	EXPECT(-EINVAL, RAW(SYS_getitimer, D(-1), P(&it)), "getitimer(-1) is EINVAL");
	EXPECT(0, RAW(SYS_setitimer, D(ITIMER_REAL), P(&zero), P(&it)),
	       "setitimer(ITIMER_REAL, 0)");
	EXPECT(0, RAW(SYS_getrusage, D(RUSAGE_SELF), P(buf)), "getrusage(RUSAGE_SELF)");
	EXPECT(0, RAW(SYS_getrusage, D(RUSAGE_CHILDREN), P(buf)), "getrusage(RUSAGE_CHILDREN): -1");
	EXPECT(-EINVAL, RAW(SYS_getrusage, D(2), P(buf)), "getrusage(2) is EINVAL");
	n = getpriority(PRIO_PROCESS, 0);
	EXPECT(20 - n, RAW(SYS_getpriority, D(PRIO_PROCESS), D(0)), "getpriority(PRIO_PROCESS, 0)");
	EXPECT(20 - n, RAW(SYS_getpriority, D(PRIO_PROCESS), D(me)),
	       "getpriority(PRIO_PROCESS, me)");
	EXPECT(-EINVAL, RAW(SYS_getpriority, D(3), D(0)), "getpriority(3, 0) is EINVAL");
	EXPECT(-ESRCH, RAW(SYS_getpriority, D(PRIO_PROCESS), D(INT_MAX)),
	       "getpriority of no process");
	EXPECT(0, RAW(SYS_setpriority, D(PRIO_PROCESS), D(0), D(n)),
	       "setpriority(PRIO_PROCESS, 0, nice)");
	syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, lim_clean);
	EXPECT(0,
	       if_same(RAW(SYS_prlimit64, D(0), D(RLIMIT_NOFILE), 0, P(lim)), lim, lim_clean, 16),
	       "prlimit64(0, RLIMIT_NOFILE): pid and resource");
	EXPECT(0, RAW(SYS_prlimit64, D(me), D(RLIMIT_NOFILE), 0, P(lim)), "prlimit64(me)");
	EXPECT(-EINVAL, RAW(SYS_prlimit64, D(0), D(99), 0, P(lim)),
	       "prlimit64 resource 99 is EINVAL");
	EXPECT(-ESRCH, RAW(SYS_prlimit64, D(INT_MAX), D(RLIMIT_NOFILE), 0, P(lim)),
	       "prlimit64 of no process");
	EXPECT(0, RAW(SYS_clock_gettime, D(CLOCK_MONOTONIC), P(&ts)),
	       "clock_gettime(CLOCK_MONOTONIC)");
	EXPECT(0, RAW(SYS_clock_gettime, D(CLOCK_REALTIME), P(&ts)),
	       "clock_gettime(CLOCK_REALTIME)");
	EXPECT(-EINVAL, RAW(SYS_clock_gettime, D(100), P(&ts)), "clock_gettime(100) is EINVAL");
	clock_getres(CLOCK_MONOTONIC, &clean);
	EXPECT(0,
	       if_same(RAW(SYS_clock_getres, D(CLOCK_MONOTONIC), P(&ts)), &ts, &clean, sizeof(ts)),
	       "clock_getres(CLOCK_MONOTONIC)");
	EXPECT(-EINVAL, RAW(SYS_clock_getres, D(100), P(&ts)), "clock_getres(100) is EINVAL");
	EXPECT(0, RAW(SYS_clock_nanosleep, D(CLOCK_MONOTONIC), D(0), P(&ts0), 0),
	       "clock_nanosleep(0 s)");
	EXPECT(0, RAW(SYS_clock_nanosleep, D(CLOCK_MONOTONIC), D(TIMER_ABSTIME), P(&ts0), 0),
	       "clock_nanosleep(TIMER_ABSTIME, 0)");
	EXPECT(1, RAW(SYS_ppoll, P(&pfd), D(1), P(&ts0), 0, 8), "ppoll(nfds 1)");
	EXPECT(1,
	       (wset = 1ULL << null_fd, RAW(SYS_pselect6, D(null_fd + 1), 0, P(&wset), 0, P(&ts0))),
	       "pselect6(n): n is an int");
	EXPECT(-EINVAL, RAW(SYS_pselect6, D(-1), 0, 0, 0, P(&ts0), 0), "pselect6(n -1) is EINVAL");
	n = syscall(SYS_sched_getaffinity, 0, sizeof(cpus_clean), cpus_clean);
	EXPECT_LINUX("sched_getaffinity's len is taken as 64 bits", n,
		     if_same(RAW(SYS_sched_getaffinity, D(0), D(sizeof(cpus)), P(cpus)), cpus,
			     cpus_clean, n),
		     "sched_getaffinity(0, len): pid and len");
	EXPECT(-ESRCH, RAW(SYS_sched_getaffinity, D(INT_MAX), D(sizeof(cpus)), P(cpus)),
	       "sched_getaffinity of no process");
	prctl(PR_GET_NAME, name_clean);
	EXPECT_LINUX("prctl's option is taken as 64 bits (EINVAL)", 0,
		     RAW(SYS_prctl, D(PR_GET_NAME), P(name)) ?: strcmp(name, name_clean) != 0,
		     "prctl(PR_GET_NAME)");
	EXPECT(-EINVAL, RAW(SYS_prctl, D(9999), 0), "prctl(9999) is EINVAL");
	n = getgroups(0, NULL);
	EXPECT(n, RAW(SYS_getgroups, D(0), 0), "getgroups(0)");
	EXPECT(-EINVAL, RAW(SYS_getgroups, D(-1), 0), "getgroups(-1) is EINVAL");
	EXPECT(0, RAW(SYS_futex, P(&word), D(FUTEX_WAKE_PRIVATE), D(1), 0, 0, 0),
	       "futex(FUTEX_WAKE): op");
	EXPECT(-EAGAIN, RAW(SYS_futex, P(&word), D(FUTEX_WAIT_PRIVATE), D(6), P(&ts1ms), 0, 0),
	       "futex(FUTEX_WAIT, 6) on a 5 is EAGAIN");
	/* The value is a u32: 5 under junk equals the word, so the wait sleeps until its timeout.
	 */
	EXPECT(-ETIMEDOUT, RAW(SYS_futex, P(&word), D(FUTEX_WAIT_PRIVATE), D(5), P(&ts1ms), 0, 0),
	       "futex(FUTEX_WAIT, 5) on a 5 waits: val is a u32");
}

/*
 * check_reboot - reboot's int magics and unsigned int command. Holstein only: under the
 * oracle the call would go to the host kernel, which must never be asked to reboot.
 */
static void check_reboot(void)
{
	const uint64_t magic1 = 0xfee1dead, magic2 = 672274793;

	if (!on_holstein()) {
		t_skip("reboot's magic and command (never called on the host)");
		return;
	}
	EXPECT(0, RAW(SYS_reboot, D(magic1), D(magic2), D(0 /* CAD_OFF */), 0), "reboot(CAD_OFF)");
	EXPECT(0, RAW(SYS_reboot, D(magic1), D(85072278), D(0x89abcdef /* CAD_ON */), 0),
	       "reboot(CAD_ON) with the second magic");
	EXPECT(-EINVAL, RAW(SYS_reboot, D(magic1 + 1), D(magic2), D(0), 0),
	       "a wrong magic1 is EINVAL");
	EXPECT(-EINVAL, RAW(SYS_reboot, D(magic1), D(magic2 + 1), D(0), 0),
	       "a wrong magic2 is EINVAL");
	EXPECT(-EINVAL, RAW(SYS_reboot, D(magic1), D(magic2), D(0xdeadbeef), 0),
	       "an unknown command is EINVAL");
}

/* main - open the files the checks share and run each class. */
int main(int argc, char **argv)
{
	char *page;

	(void)argc;
	t_init();
	me = getpid();
	self_fd = open(self_path(argv[0]), O_RDONLY | O_CLOEXEC);
	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	dir_fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (self_fd < 0 || null_fd < 0 || dir_fd < 0 || page == MAP_FAILED)
		die("t_abi: setup: %s", strerror(errno));
	if (null_fd >= 64)
		die("t_abi: /dev/null is fd %d: too high for one fd_set word", null_fd);
	check_fds();
	check_dirfds();
	check_flags(page);
	check_procs();
	check_which();
	check_reboot();
	return t_done("t_abi");
}
