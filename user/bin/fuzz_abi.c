/*
 * fuzz_abi.c - the fuzzer's ABI mode (fuzz -a), included by fuzz.c after worker_setup().
 *
 * Linux takes an int or unsigned int argument (a descriptor, flags, a pid, a signal, a
 * which/how/whence, a clock id) from the low 32 bits of its register and a umode_t from the
 * low 16: whatever is above must not matter. Each iteration draws one call whose answer is
 * deterministic and repeatable, makes it as a C caller would (ints sign-extended), undoes
 * what it changed, then makes it again with random junk above bit 31 of every int-typed
 * argument (above bit 15 of a mode), and compares the results: the return value or errno,
 * the bytes of its output buffer, and what it left behind (a new descriptor's number and
 * flags, an offset, a signal mask or action, the umask). A difference prints both calls
 * and ends the worker with status 4 (an ABI mismatch, a failure of the run).
 *
 * Under qemu-user (t_fuzz runs this mode as a test of the test), the few arguments qemu
 * itself takes as 64 bits, where Linux does not, stay clean (qemu_clean below); t_abi
 * checks those on Holstein.
 */
#include <linux/futex.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>

#define ABI_OUT_MAX 1024
#define ABI_FRESH 0x7ffffff0u /* close's fd: replaced by a fresh dup's number */
#define ABI_MISMATCH 4	      /* a worker's exit status when the two calls differed */

/* How a probe is made and compared (see abi_call()). */
enum abi_how {
	H_PLAIN,   /* the result and the output buffer */
	H_SIGN,	   /* only success (0) or -errno: the value moves with time */
	H_NEWFD,   /* the result is a new descriptor: its number and flags; closed again */
	H_SEEK,	   /* arg 0 is rewound first; the offset after is compared */
	H_FDSTATE, /* fcntl: arg 0's flags after are compared, then restored */
	H_CLOSE,   /* close: arg 0 is a fresh dup; compared: whether it is gone */
	H_PIPE,	   /* pipe2: the two descriptors and their flags; closed again */
	H_MMAP,	   /* success, and the first word of the mapping; unmapped again */
	H_SIGMASK, /* rt_sigprocmask: the mask after; restored */
	H_SIGACT,  /* rt_sigaction: the handler after; restored */
	H_UMASK,   /* the umask after; restored */
	H_CLONE,   /* success (1) or -errno; the child leaves at once and is reaped */
	H_STAT,	   /* the output is a struct stat: compared without its times */
};

/* abi_probe - one call: which arguments are int-typed, its output buffer, how to judge it. */
struct abi_probe {
	long nr;
	const char *name;
	uint8_t ints;	    /* bit k: argument k is an int or unsigned int */
	uint8_t modes;	    /* bit k: argument k is a umode_t */
	uint8_t qemu_clean; /* bit k: qemu-user takes argument k as 64 bits: clean off Holstein */
	int8_t out;	    /* the argument that points at the output buffer, or -1 */
	uint16_t out_len;
	uint8_t how;
};

/*
 * The probes; ints and modes follow Linux 6.1's declarations (kernel/syscall.c has them
 * too). fcntl's arg is an unsigned long, but the commands drawn use its low 32 bits only.
 */
/* clang-format off */
static const struct abi_probe abi_probes[] = {
	{ SYS_fcntl, "fcntl", 07, 0, 0, -1, 0, H_FDSTATE },
	{ SYS_lseek, "lseek", 05, 0, 0, -1, 0, H_SEEK },
	{ SYS_read, "read", 01, 0, 0, 1, 64, H_SEEK },
	{ SYS_pread64, "pread64", 01, 0, 0, 1, 64, H_PLAIN },
	{ SYS_write, "write", 01, 0, 0, -1, 0, H_PLAIN },
	{ SYS_getdents64, "getdents64", 05, 0, 04, 1, 1024, H_SEEK },
	{ SYS_fstat, "fstat", 01, 0, 0, 1, sizeof(struct stat), H_STAT },
	{ SYS_dup, "dup", 01, 0, 0, -1, 0, H_NEWFD },
	{ SYS_dup3, "dup3", 07, 0, 04, -1, 0, H_NEWFD },
	{ SYS_close, "close", 01, 0, 0, -1, 0, H_CLOSE },
	{ SYS_ioctl, "ioctl", 03, 0, 0, 2, 8, H_SEEK },
	{ SYS_openat, "openat", 05, 010, 0, -1, 0, H_NEWFD },
	{ SYS_newfstatat, "newfstatat", 011, 0, 0, 2, sizeof(struct stat), H_STAT },
	{ SYS_faccessat, "faccessat", 05, 0, 0, -1, 0, H_PLAIN },
	{ SYS_readlinkat, "readlinkat", 011, 0, 010, 2, 256, H_PLAIN },
	{ SYS_mkdirat, "mkdirat", 01, 04, 0, -1, 0, H_PLAIN },
	{ SYS_pipe2, "pipe2", 02, 0, 0, -1, 0, H_PIPE },
	{ SYS_mmap, "mmap", 020, 0, 0, -1, 0, H_MMAP },
	{ SYS_kill, "kill", 03, 0, 0, -1, 0, H_PLAIN },
	{ SYS_tkill, "tkill", 03, 0, 0, -1, 0, H_PLAIN },
	{ SYS_tgkill, "tgkill", 07, 0, 0, -1, 0, H_PLAIN },
	{ SYS_getpgid, "getpgid", 01, 0, 0, -1, 0, H_PLAIN },
	{ SYS_getsid, "getsid", 01, 0, 0, -1, 0, H_PLAIN },
	{ SYS_setpgid, "setpgid", 03, 0, 0, -1, 0, H_PLAIN },
	{ SYS_getpriority, "getpriority", 03, 0, 0, -1, 0, H_PLAIN },
	{ SYS_wait4, "wait4", 05, 0, 0, 1, 4, H_PLAIN },
	{ SYS_waitid, "waitid", 013, 0, 0, 2, 128, H_PLAIN },
	{ SYS_clone, "clone", 01, 0, 0, -1, 0, H_CLONE },
	{ SYS_rt_sigprocmask, "rt_sigprocmask", 01, 0, 0, 2, 8, H_SIGMASK },
	{ SYS_rt_sigaction, "rt_sigaction", 01, 0, 0, 2, 24, H_SIGACT },
	{ SYS_prlimit64, "prlimit64", 03, 0, 0, 3, 16, H_PLAIN },
	{ SYS_getrusage, "getrusage", 01, 0, 0, -1, 0, H_SIGN },
	{ SYS_umask, "umask", 01, 0, 0, -1, 0, H_UMASK },
	{ SYS_getrandom, "getrandom", 04, 0, 0, -1, 0, H_PLAIN },
	{ SYS_clock_gettime, "clock_gettime", 01, 0, 0, -1, 0, H_SIGN },
	{ SYS_clock_getres, "clock_getres", 01, 0, 0, 1, 16, H_PLAIN },
	{ SYS_clock_nanosleep, "clock_nanosleep", 03, 0, 0, -1, 0, H_PLAIN },
	{ SYS_getitimer, "getitimer", 01, 0, 0, 1, 32, H_PLAIN },
	{ SYS_sched_getaffinity, "sched_getaffinity", 03, 0, 02, 2, 128, H_PLAIN },
	{ SYS_ppoll, "ppoll", 02, 0, 0, 0, 32, H_PLAIN },
	{ SYS_pselect6, "pselect6", 01, 0, 0, 1, 256, H_PLAIN },
	{ SYS_futex, "futex", 046, 0, 0, -1, 0, H_PLAIN },
	{ SYS_getgroups, "getgroups", 01, 0, 0, 1, 256, H_PLAIN },
	{ SYS_prctl, "prctl", 01, 0, 01, 1, 16, H_PLAIN },
	{ SYS_msync, "msync", 04, 0, 0, -1, 0, H_PLAIN },
	{ SYS_madvise, "madvise", 04, 0, 0, -1, 0, H_PLAIN },
	{ SYS_mlockall, "mlockall", 01, 0, 0, -1, 0, H_PLAIN },
};
/* clang-format on */
#define ABI_NPROBES ((int)(sizeof(abi_probes) / sizeof(abi_probes[0])))

static int abi_self, abi_dir, abi_null, abi_pipe[2], abi_sleeper_fd = -1;
static int64_t abi_bad_fds[8];			/* numbers not open: checked, a host may lend us some */
static int abi_nbad;
static pid_t abi_sleeper, abi_me;
static struct pollfd abi_pfds[4];
static uint64_t abi_sets[2][16];		/* pselect6's read and write sets (1024 bits) */
static struct timespec abi_ts0;		/* zero; a call may write the time left back */
static uint32_t *abi_word;			/* a futex word in the arena */

/* abi_setup - the descriptors the probes use (self: our binary), and a child that sleeps. */
static void abi_setup(const char *self)
{
	static const int64_t bad[] = { -1, 64, 1000, 1 << 20, FAR_FD, INT_MAX, INT_MIN, -100 };
	int p[2];

	abi_me = getpid();
	abi_self = open(self ? self : "/bin/sh", O_RDONLY | O_CLOEXEC);
	abi_dir = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	abi_null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (abi_self < 0 || abi_dir < 0 || abi_null < 0 || pipe2(abi_pipe, O_CLOEXEC | O_NONBLOCK) ||
	    pipe2(p, O_CLOEXEC))
		_exit(3);
	abi_sleeper = fork();
	if (abi_sleeper == 0) {
		char c;
		close(p[1]);
		_exit(read(p[0], &c, 1) == 0 ? 0 : 1); /* until every write end is closed */
	}
	close(p[0]);
	abi_sleeper_fd = p[1];
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (fcntl((int)bad[i], F_GETFD) < 0 && errno == EBADF)
			abi_bad_fds[abi_nbad++] = bad[i];
	abi_word = (uint32_t *)(arena + 64);
	*abi_word = 5;
}

/* abi_leave - end the worker: let the sleeper go and reap it, then exit with status. */
static void abi_leave(int status)
{
	close(abi_sleeper_fd);
	if (abi_sleeper > 0)
		waitpid(abi_sleeper, NULL, 0);
	_exit(status);
}

/* abi_int - a 32-bit value as a C caller passes it: sign-extended. */
static uint64_t abi_int(int64_t v)
{
	return (uint64_t)(int64_t)(int32_t)v;
}

/* abi_fd - a descriptor: one of the probes' own, or one that is not open. */
static uint64_t abi_fd(void)
{
	int ours[] = { abi_self, abi_dir, abi_null, abi_pipe[0], abi_pipe[1] };

	return abi_int(chance(80) || !abi_nbad ? ours[below(5)] : abi_bad_fds[below(abi_nbad)]);
}

/* abi_pid - a pid: ours, our group or session, none, or the special ones. */
static uint64_t abi_pid(void)
{
	int64_t pids[] = { abi_me, 0, -1, -getpgrp(), getpgrp(), INT_MAX, INT_MIN, abi_sleeper };

	return abi_int(PICK(pids));
}

/* abi_path - a path no call here can change anything at. */
static uint64_t abi_path(void)
{
	static const char *const p[] = { "/", "/dev/null", "/proc", "/proc/self", "/proc/meminfo",
					 "/nonexistent-fuzz/x", "", "proc", "dev/null", "." };
	return (uintptr_t)PICK(p);
}

/* abi_draw - the clean arguments of probe p (ints sign-extended, as a C caller has them). */
static void abi_draw(const struct abi_probe *p, uint64_t *a)
{
	static const int64_t fcntl_cmds[] = { F_GETFD, F_GETFL, F_SETFD, F_SETFL, F_DUPFD,
					      F_DUPFD_CLOEXEC, 9999, -1 };
	static const int64_t small[] = { 0, 1, 2, 3, 4, 5, 7, 8, 16, 63, 64, 100, -1, -2, INT_MAX, INT_MIN };
	static const int64_t clocks[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 100, -1, -6, INT_MIN };
	static const int64_t open_flags[] = { O_RDONLY, O_CLOEXEC, O_NONBLOCK, O_DIRECTORY,
					      O_NOFOLLOW, O_NOCTTY, O_CLOEXEC | O_DIRECTORY };
	static const int64_t clone_flags[] = { SIGCHLD, 0, CLONE_VM | CLONE_VFORK | SIGCHLD,
					       CLONE_THREAD, 0x7f };
	int64_t dirfd = chance(60) ? AT_FDCWD : (int64_t)abi_fd();

	memset(a, 0, 6 * sizeof(*a));
	switch (p->nr) {
	case SYS_fcntl:
		a[0] = abi_fd();
		a[1] = abi_int(PICK(fcntl_cmds));
		a[2] = a[1] == F_SETFL ? O_NONBLOCK | (chance(50) ? O_APPEND : 0) : abi_int(PICK(small));
		break;
	case SYS_lseek:
	case SYS_ioctl:
		a[0] = abi_fd();
		a[1] = p->nr == SYS_ioctl ? abi_int(chance(50) ? FIONREAD : chance(50) ? TCGETS : 0xdeadbeef)
					  : (uint64_t)(int64_t)(chance(50) ? (int64_t)below(200) : -50);
		a[2] = p->nr == SYS_ioctl ? 1 : abi_int(PICK(small) & (chance(80) ? 3 : ~0));
		break;
	case SYS_read:
	case SYS_pread64:
	case SYS_fstat:
	case SYS_dup:
	case SYS_getdents64:
		a[0] = abi_fd();
		a[1] = 1;
		a[2] = chance(80) ? below(p->nr == SYS_getdents64 ? 1024 : 64) : 0;
		a[3] = below(100);
		break;
	case SYS_write: /* never to our pipe: it would fill up */
		a[0] = abi_int(chance(70) ? abi_null : chance(50) ? abi_self : -1);
		a[1] = (uintptr_t)arena;
		a[2] = below(64);
		break;
	case SYS_dup3:
		a[0] = abi_fd();
		a[1] = abi_int(chance(70) ? 40 + (int64_t)below(10) : chance(50) ? (int64_t)a[0] : -1);
		a[2] = abi_int(chance(70) ? O_CLOEXEC : PICK(small));
		break;
	case SYS_close:
		a[0] = chance(70) ? ABI_FRESH : abi_int(PICK(small) | 1 << 20);
		break;
	case SYS_openat:
		a[0] = abi_int(dirfd);
		a[1] = abi_path();
		a[2] = abi_int(PICK(open_flags));
		a[3] = 0644;
		break;
	case SYS_newfstatat:
	case SYS_faccessat:
	case SYS_readlinkat:
		a[0] = abi_int(dirfd);
		a[1] = abi_path();
		a[2] = p->nr == SYS_faccessat ? abi_int(below(9)) : 1;
		a[3] = abi_int(p->nr == SYS_readlinkat ? PICK(small)
			       : chance(50)		 ? 0
			       : chance(50)		 ? AT_SYMLINK_NOFOLLOW
							 : AT_EMPTY_PATH);
		break;
	case SYS_mkdirat: /* absolute paths that exist, or whose parent does not: nothing made */
		a[0] = abi_int(dirfd);
		a[1] = (uintptr_t)(chance(50) ? "/proc" : chance(50) ? "/" : "/nonexistent-fuzz/x");
		a[2] = 0755;
		break;
	case SYS_pipe2:
		a[0] = 1;
		a[1] = abi_int(chance(60) ? (int64_t)(below(2) * O_CLOEXEC | below(2) * O_NONBLOCK) : PICK(small));
		break;
	case SYS_mmap:
		a[1] = PAGE_SIZE * (1 + below(2));
		a[2] = chance(80) ? PROT_READ : PROT_READ | PROT_WRITE;
		a[3] = chance(40) ? MAP_PRIVATE | MAP_ANONYMOUS : chance(70) ? MAP_PRIVATE : MAP_SHARED;
		a[4] = chance(80) ? abi_int(chance(50) ? abi_self : -1) : abi_fd();
		break;
	case SYS_kill:
	case SYS_tkill:
	case SYS_tgkill:
		a[0] = abi_pid();
		a[1] = p->nr == SYS_tgkill ? abi_pid() : abi_int(chance(70) ? 0 : chance(50) ? 65 : -1);
		a[2] = p->nr == SYS_tgkill ? abi_int(chance(70) ? 0 : 65) : 0;
		if (p->nr == SYS_tgkill && chance(50))
			a[0] = a[1] = abi_int(abi_me);
		break;
	case SYS_getpgid:
	case SYS_getsid:
		a[0] = abi_pid();
		break;
	case SYS_setpgid: /* only calls that fail: nothing moves */
		a[0] = abi_int(chance(50) ? abi_me : INT_MAX);
		a[1] = abi_int(a[0] == (uint64_t)abi_me ? -1 : 0);
		break;
	case SYS_getpriority:
		a[0] = abi_int(PICK(small) & (chance(80) ? 3 : ~0));
		a[1] = abi_pid();
		break;
	case SYS_wait4:
	case SYS_waitid:
		a[0] = p->nr == SYS_wait4 ? abi_pid() : abi_int(below(5));
		a[1] = p->nr == SYS_wait4 ? (chance(50) ? 1 : 0) : abi_pid();
		a[2] = p->nr == SYS_wait4 ? abi_int(WNOHANG | (chance(50) ? 0 : 1 << below(31))) : 1;
		a[3] = p->nr == SYS_waitid ? abi_int(WNOHANG | WEXITED | (chance(50) ? 0 : 1 << below(31))) : 0;
		break;
	case SYS_clone:
		if (nclones + 2 > MAX_CLONES)
			a[0] = abi_int(CLONE_THREAD); /* fails: no child */
		else
			a[0] = abi_int(PICK(clone_flags));
		break;
	case SYS_rt_sigprocmask:
		a[0] = abi_int(PICK(small) & (chance(80) ? 3 : ~0));
		fuzz_set = rnd();
		a[1] = chance(80) ? (uintptr_t)&fuzz_set : 0;
		a[2] = 1;
		a[3] = 8;
		break;
	case SYS_rt_sigaction:
		a[0] = abi_int(chance(80) ? 1 + (int64_t)below(64) : PICK(small));
		act.handler = chance(50) ? (uintptr_t)SIG_IGN : (uintptr_t)SIG_DFL;
		act.flags = 0;
		act.mask = 0;
		a[1] = chance(40) ? (uintptr_t)&act : 0;
		a[2] = 1;
		a[3] = 8;
		break;
	case SYS_prlimit64:
		a[0] = abi_pid();
		a[1] = abi_int(chance(80) ? (int64_t)below(16) : PICK(small));
		a[3] = 1;
		break;
	case SYS_getrusage:
		a[0] = abi_int(PICK(small) - 2);
		a[1] = (uintptr_t)arena;
		break;
	case SYS_umask:
		a[0] = abi_int(chance(70) ? (int64_t)below(01000) : (int64_t)rnd());
		break;
	case SYS_getrandom:
		a[0] = (uintptr_t)arena;
		a[1] = below(17);
		a[2] = abi_int(chance(70) ? (int64_t)below(8) | 1 : PICK(small));
		break;
	case SYS_clock_gettime:
	case SYS_clock_getres:
	case SYS_clock_nanosleep:
		a[0] = abi_int(PICK(clocks));
		a[1] = p->nr == SYS_clock_nanosleep ? abi_int(below(3)) : chance(90) ? 1 : 0;
		a[2] = (uintptr_t)&abi_ts0;
		if (p->nr == SYS_clock_gettime)
			a[1] = (uintptr_t)arena;
		break;
	case SYS_getitimer:
		a[0] = abi_int(PICK(small) & (chance(80) ? 3 : ~0));
		a[1] = 1;
		break;
	case SYS_sched_getaffinity:
		a[0] = abi_pid();
		a[1] = abi_int(chance(70) ? 128 : (int64_t)below(3) * 8 - below(2)); /* qemu: no huge len */
		a[2] = 1;
		break;
	case SYS_ppoll:
		for (int i = 0; i < 4; i++)
			abi_pfds[i] = (struct pollfd){ (int)abi_fd(), POLLIN | POLLOUT, 0 };
		a[0] = 1;
		a[1] = abi_int(chance(80) ? (int64_t)below(5) : PICK(small));
		a[2] = (uintptr_t)&abi_ts0;
		a[4] = 8;
		break;
	case SYS_pselect6:
		memset(abi_sets, 0, sizeof(abi_sets));
		abi_sets[0][0] = 1ULL << abi_pipe[0] | 1ULL << abi_self;
		abi_sets[1][0] = 1ULL << abi_null | 1ULL << abi_pipe[1];
		a[0] = abi_int(chance(70) ? (int64_t)below(65) : chance(50) ? 1024 : -1); /* qemu: <= 1024 */
		a[1] = 1; /* the read set; the write set follows it in the buffer */
		a[2] = 1;
		a[4] = (uintptr_t)&abi_ts0;
		break;
	case SYS_futex:
		a[0] = (uintptr_t)abi_word;
		a[1] = abi_int(PICK(small) & (chance(80) ? FUTEX_PRIVATE_FLAG | 0xf : ~0));
		if ((a[1] & 0x7f) != FUTEX_WAIT && (a[1] & 0x7f) != FUTEX_WAIT_BITSET && (a[1] & 0x7f) != FUTEX_WAKE &&
		    (a[1] & 0x7f) != FUTEX_WAKE_BITSET)
			a[1] = abi_int(FUTEX_WAKE | FUTEX_PRIVATE_FLAG * below(2)); /* nothing to requeue */
		a[2] = abi_int(chance(50) ? 5 : PICK(small));
		a[3] = (uintptr_t)&abi_ts0; /* an equal word times out at once */
		a[5] = abi_int(chance(80) ? ~0 : (int64_t)below(4));
		break;
	case SYS_getgroups:
		a[0] = abi_int(PICK(small));
		a[1] = 1;
		break;
	case SYS_prctl:
		a[0] = abi_int(chance(70) ? PR_GET_NAME : PICK(small) + 9000);
		a[1] = 1;
		break;
	case SYS_msync:
	case SYS_madvise:
		a[0] = (uintptr_t)arena + PAGE_SIZE * below(ARENA_PAGES);
		a[1] = PAGE_SIZE;
		a[2] = abi_int(p->nr == SYS_msync ? PICK(small) : (int64_t)below(4)); /* no DONTNEED */
		break;
	case SYS_mlockall:
		a[0] = abi_int(chance(50) ? 0 : 1 << (2 + below(4))); /* flags that fail: nothing locked */
		break;
	}
}

/* abi_outcome - what one call gave: result, what it left behind, its output bytes. */
struct abi_outcome {
	long r;
	int64_t after;
	unsigned char out[ABI_OUT_MAX];
};

/* abi_fd_state - fd's descriptor flags and status flags in one number; -1 if not open. */
static int64_t abi_fd_state(int fd)
{
	int d = fcntl(fd, F_GETFD), fl = fcntl(fd, F_GETFL);

	return d < 0 || fl < 0 ? -1 : (int64_t)d << 32 | (uint32_t)fl;
}

/*
 * abi_call - make probe p's call with arguments args (clean or dirty) and fill o; undo
 * what it changed, so the next call starts from the same state.
 */
static void abi_call(const struct abi_probe *p, const uint64_t *args, struct abi_outcome *o)
{
	uint64_t a[6], mask_before = 0;
	int fd = (int)args[0], saved_fd_state = -1, saved_fl = -1;
	struct { uintptr_t handler; unsigned long flags; uint64_t mask; } act_before, act_after;

	memcpy(a, args, sizeof(a));
	memset(o, 0, sizeof(*o));
	memset(o->out, 0xa5, sizeof(o->out));
	if (p->out >= 0 && a[p->out])
		a[p->out] = (uintptr_t)o->out;
	if (p->nr == SYS_ppoll)
		memcpy(o->out, abi_pfds, sizeof(abi_pfds));
	if (p->nr == SYS_pselect6) {
		memcpy(o->out, abi_sets, sizeof(abi_sets));
		a[2] = (uintptr_t)o->out + sizeof(abi_sets[0]);
	}
	memset(&abi_ts0, 0, sizeof(abi_ts0));
	switch (p->how) { /* before */
	case H_SEEK:
		lseek(fd, 0, SEEK_SET);
		break;
	case H_FDSTATE:
		saved_fd_state = fcntl(fd, F_GETFD);
		saved_fl = fcntl(fd, F_GETFL);
		break;
	case H_CLOSE:
		if ((uint32_t)a[0] == ABI_FRESH)
			a[0] = (a[0] & ~0xffffffffULL) | (uint32_t)dup(abi_null);
		fd = (int)a[0];
		break;
	case H_SIGMASK:
		syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &mask_before, 8);
		break;
	case H_SIGACT:
		syscall(SYS_rt_sigaction, (int)a[0], NULL, &act_before, 8);
		break;
	case H_UMASK:
		umask(022);
		break;
	}
	if (p->how == H_CLONE) {
		nclones++;
		o->r = clone_and_leave(a[0], 0, 0, 0, 0);
	} else {
		o->r = syscall(p->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	}
	if (o->r == -1)
		o->r = -errno;
	switch (p->how) { /* after: what to compare, and undo */
	case H_SIGN:
		o->r = o->r > 0 ? 0 : o->r;
		break;
	case H_NEWFD:
		if (o->r >= 0) {
			o->after = abi_fd_state((int)o->r);
			close((int)o->r);
		}
		break;
	case H_SEEK:
		o->after = lseek(fd, 0, SEEK_CUR);
		break;
	case H_FDSTATE:
		if (o->r >= 0 && ((int)a[1] == F_DUPFD || (int)a[1] == F_DUPFD_CLOEXEC)) {
			o->after = abi_fd_state((int)o->r);
			close((int)o->r);
		} else {
			o->after = abi_fd_state(fd);
		}
		if (saved_fd_state >= 0) {
			fcntl(fd, F_SETFD, saved_fd_state);
			fcntl(fd, F_SETFL, saved_fl);
		}
		break;
	case H_CLOSE:
		o->after = abi_fd_state(fd);
		if (o->r < 0 && (uint32_t)args[0] == ABI_FRESH)
			close(fd);
		break;
	case H_PIPE:
		if (o->r == 0) {
			int *pfd = (int *)(uintptr_t)a[0];
			o->r = (long)pfd[0] << 16 | pfd[1];
			o->after = abi_fd_state(pfd[0]) ^ abi_fd_state(pfd[1]) << 1;
			close(pfd[0]);
			close(pfd[1]);
		}
		break;
	case H_MMAP:
		if (o->r >= 0 || o->r < -4095) {
			o->after = *(volatile uint64_t *)(uintptr_t)o->r;
			munmap((void *)(uintptr_t)o->r, a[1]);
			o->r = 0;
		}
		break;
	case H_SIGMASK:
		syscall(SYS_rt_sigprocmask, SIG_SETMASK, NULL, &o->after, 8);
		syscall(SYS_rt_sigprocmask, SIG_SETMASK, &mask_before, NULL, 8);
		break;
	case H_SIGACT:
		if (syscall(SYS_rt_sigaction, (int)a[0], NULL, &act_after, 8) == 0) {
			o->after = (int64_t)act_after.handler;
			syscall(SYS_rt_sigaction, (int)a[0], &act_before, NULL, 8);
		}
		break;
	case H_UMASK:
		o->after = umask(022);
		break;
	case H_CLONE:
		if (o->r > 0) {
			if (wait4((pid_t)o->r, NULL, __WALL, NULL) < 0 && errno == EINVAL)
				wait4((pid_t)o->r, NULL, 0, NULL);
			o->r = 1;
		}
		break;
	case H_STAT: {
		struct stat *st = (struct stat *)o->out;
		st->st_nlink = 0; /* /proc's link count follows the number of processes */
		memset(&st->st_atim, 0, 3 * sizeof(st->st_atim));
		break;
	}
	}
}

/* abi_dirty - the clean arguments with junk above bit 31 of each int (bit 15 of a mode). */
static void abi_dirty(const struct abi_probe *p, const uint64_t *clean, uint64_t *dirty)
{
	static const uint64_t uppers[] = { 0, 0xffffffff00000000ULL, 1ULL << 32, 1ULL << 63 };
	uint8_t keep = holstein ? 0 : p->qemu_clean;

	for (int k = 0; k < 6; k++) {
		uint64_t junk = chance(50) ? rnd() : PICK(uppers);
		dirty[k] = clean[k];
		if ((p->ints >> k & 1) && !(keep >> k & 1))
			dirty[k] = (uint32_t)clean[k] | (junk & ~0xffffffffULL);
		if ((p->modes >> k & 1) && !(keep >> k & 1))
			dirty[k] = (uint16_t)clean[k] | (junk & ~0xffffULL);
	}
}

/* abi_show - append one call to buf: "fuzz:   how name(args) = result, after N". */
static void abi_show(char *buf, size_t size, const char *how, const struct abi_probe *p,
		     const uint64_t *a, const struct abi_outcome *o)
{
	size_t n = strlen(buf);

	snprintf(buf + n, size - n,
		 "fuzz:   %s %s(%#llx, %#llx, %#llx, %#llx, %#llx, %#llx) = %ld%s%s%s, after %#llx\n",
		 how, p->name, (unsigned long long)a[0], (unsigned long long)a[1],
		 (unsigned long long)a[2], (unsigned long long)a[3], (unsigned long long)a[4],
		 (unsigned long long)a[5], o->r, o->r < 0 && o->r > -4096 ? " (" : "",
		 o->r < 0 && o->r > -4096 ? strerror((int)-o->r) : "",
		 o->r < 0 && o->r > -4096 ? ")" : "", (unsigned long long)o->after);
}

/*
 * abi_worker - the ABI mode's worker: iters probes from this seed, each clean then dirty,
 * recorded in s like the fuzzer's calls. Exits 0, or ABI_MISMATCH at the first difference.
 */
static void abi_worker(struct slot *s, uint64_t seed, long iters, const char *self, int verbose)
{
	static struct abi_outcome clean_o, dirty_o;

	worker_setup(seed, self);
	abi_setup(self);
	for (long i = 0; i < iters; i++) {
		const struct abi_probe *p = &abi_probes[below(ABI_NPROBES)];
		uint64_t clean[6], dirty[6];

		abi_draw(p, clean);
		abi_dirty(p, clean, dirty);
		s->nr = p->nr;
		for (int k = 0; k < 6; k++)
			s->args[k] = dirty[k];
		s->iter = i;
		abi_call(p, clean, &clean_o);
		abi_call(p, dirty, &dirty_o);
		int same = clean_o.r == dirty_o.r && clean_o.after == dirty_o.after &&
			   (p->out < 0 || !memcmp(clean_o.out, dirty_o.out, p->out_len));
		if (verbose || !same) { /* one write: other workers print too */
			char msg[1024] = "";
			if (!same)
				snprintf(msg, sizeof(msg), "fuzz: ABI mismatch: %s answers differently "
					 "with junk above its int arguments' 32 bits\n", p->name);
			abi_show(msg, sizeof(msg), "clean", p, clean, &clean_o);
			abi_show(msg, sizeof(msg), "dirty", p, dirty, &dirty_o);
			fflush(stdout);
			if (write(1, msg, strlen(msg)) < 0)
				_exit(ABI_MISMATCH);
		}
		if (!same)
			abi_leave(ABI_MISMATCH);
	}
	s->iter = iters;
	abi_leave(0);
}

/* abi_name - the name of probe number nr, for the parent's messages; NULL if none. */
static const char *abi_name(long nr)
{
	for (int i = 0; i < ABI_NPROBES; i++)
		if (abi_probes[i].nr == nr)
			return abi_probes[i].name;
	return NULL;
}
