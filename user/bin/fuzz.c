/*
 * fuzz - a system call fuzzer: fuzz [-a|-f] [-s SEED] [-n ITERATIONS] [-t SECONDS] [-c CHILDREN] [-v]
 *
 * The parent forks CHILDREN workers at a time. Worker k of a run gets the seed SEED + k and
 * issues ITERATIONS system calls (default 2000) chosen by a splitmix64 generator from that
 * seed: the calls of Holstein's syscall table plus unknown numbers, with arguments drawn
 * from interesting values (0, -1, INT_MAX, page boundaries, pointers into its own arena,
 * NULL, unmapped and kernel-half addresses, huge lengths, random words). Before each call
 * the worker records its iteration and the call in a page shared with the parent, so when
 * a worker dies the parent prints the call and "fuzz: replay with -s SEED -n ITER -c 1",
 * which repeats exactly that worker. A dead worker is replaced by one with the next seed.
 * Without -t the run ends when CHILDREN workers have completed; with -t new workers start
 * until SECONDS have passed.
 *
 * The workers never do what would end the run or harm the machine (or, under qemu-user,
 * the host): no exit, reboot, rt_sigreturn or signals to other processes; execve only of
 * paths that cannot run; clone only with the child leaving at once; files opened read-only
 * (writes go to /dev/null and pipes); nothing that can block for long (fds are our own and
 * non-blocking, sleeps are tiny, wait4 has WNOHANG); memory calls only inside the worker's
 * own arena or with ranges that must fail. mremap and the SysV shared-memory calls run on
 * Holstein only (under qemu-user they would reach the host's segments): a worker attaches
 * each segment it makes and removes it at once, so its exit frees it, and the parent
 * removes any a worker left behind (it died in between) before it reads MemFree.
 *
 * With -a (ABI mode, fuzz_abi.c) the workers instead make calls whose answers are
 * repeatable twice each: once as a C caller would, once with random junk above bit 31 of
 * every argument Linux types int or unsigned int. The answers must be the same; a worker
 * that sees a difference prints both calls and exits with status 4.
 *
 * With -f (file-system mode, fuzz_fs.c) the workers share a pool of files, directories,
 * symlinks and mounts in a scratch directory under /tmp and fuzz the file calls on it at
 * once (renames race, mapped files shrink). The pool must be removable at the end.
 *
 * Verdict (exit 0): the parent finishes, no worker dies of an unexpected signal or hangs,
 * no ABI mismatch, the pool (-f) unmounted and removed, and on Holstein MemFree and
 * KernelObjects (/proc/meminfo) are back at their starting values once every worker is reaped.
 * Deaths by SIGPIPE or by the kernel's SIGKILL (out of memory) are clean and only logged.
 *
 * t_fuzz includes this file with FUZZ_NO_MAIN defined and calls fuzz_run() itself.
 */
#include "ulib.h"
#include <limits.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/uio.h>

#define ARENA_PAGES 16
#define ARENA_SIZE (ARENA_PAGES * PAGE_SIZE)
#define MAX_CHILDREN 16
#define MAX_CLONES 16		   /* clone() calls one worker may make */
#define FD_KEEP 24		   /* fds the fuzzer gets at or above this are closed again */
#define HANG_NS (120ULL * 1000000000ULL) /* a worker running longer than this is hung */
#define USER_TOP 0x4000000000UL	   /* end of Holstein's user half */
#define TOP_PAGE 0x3ffffff000UL	   /* the last user page, by [vdso] on Holstein */

/* fuzz_opts - what to run; see the usage at the top. */
struct fuzz_opts {
	uint64_t seed;
	long iters, seconds;
	int children, verbose, abi; /* abi: the ABI mode (-a) */
	int fs;			    /* the file-system mode (-f) */
	int fs_no_mount;	    /* -f without mount/umount2 (t_fuzz_fs: see there) */
	const char *self; /* a path to our own binary, opened read-only as a file to fuzz */
};

/* fuzz_result - what a run saw; fuzz_run() fills it. */
struct fuzz_result {
	long workers, calls, clean_deaths, bad_deaths, hangs, mismatches;
	long fs_left; /* -f: mounts or files of the pool that could not be removed (or no pool) */
	long mem_before, mem_after; /* MemFree in kB, -1 off Holstein */
	long objs_before, objs_after; /* KernelObjects, -1 off Holstein */
};

/* slot - one running worker's progress, in memory shared with the parent. */
struct slot {
	volatile uint64_t seed, iter, nr, args[6];
};

/* Argument kinds: how each argument of a call is drawn. */
enum kind {
	K_0,	 /* zero (unused argument) */
	K_ANY,	 /* any interesting value */
	K_FD,	 /* a file descriptor: ours or invalid, never 0-2 */
	K_DIRFD, /* AT_FDCWD or a K_FD */
	K_BUF,	 /* a pointer: into the arena, or bad */
	K_PATH,	 /* a path: from a list, from the arena, or a bad pointer */
	K_LEN,	 /* a length */
	K_OFF,	 /* a file offset */
	K_FLAGS, /* a small flag word */
	K_CLK,	 /* a clock id */
	K_TS,	 /* a prepared short timespec, or a bad pointer */
	K_IOV,	 /* a prepared iovec array, or a bad pointer */
	K_SIG,	 /* a signal number */
	K_SETSZ, /* a fuzz_set size, mostly 8 */
	K_ACT,	 /* a prepared sigaction, NULL or a bad pointer */
	K_SS,	 /* a prepared stack_t, NULL or a bad pointer */
	K_SET,	 /* a fuzz_set: prepared, in the arena, or bad */
	K_SPEC,	 /* set by prepare() for this call */
};

/* call - one system call the fuzzer knows: number, name, argument kinds. */
struct call {
	long nr;
	const char *name;
	unsigned char kind[6];
};

static const struct call calls[] = {
	{ SYS_getcwd, "getcwd", { K_BUF, K_LEN } },
	{ SYS_dup, "dup", { K_FD } },
	{ SYS_dup3, "dup3", { K_FD, K_FD, K_FLAGS } },
	{ SYS_fcntl, "fcntl", { K_FD, K_SPEC, K_SPEC } },
	{ SYS_ioctl, "ioctl", { K_FD, K_SPEC, K_BUF } },
	{ SYS_faccessat, "faccessat", { K_DIRFD, K_PATH, K_ANY, K_FLAGS } },
	{ SYS_chdir, "chdir", { K_PATH } },
	{ SYS_openat, "openat", { K_DIRFD, K_PATH, K_SPEC, K_ANY } },
	{ SYS_close, "close", { K_FD } },
	{ SYS_pipe2, "pipe2", { K_BUF, K_SPEC } },
	{ SYS_getdents64, "getdents64", { K_FD, K_BUF, K_LEN } },
	{ SYS_lseek, "lseek", { K_FD, K_OFF, K_ANY } },
	{ SYS_read, "read", { K_FD, K_BUF, K_LEN } },
	{ SYS_write, "write", { K_FD, K_BUF, K_LEN } },
	{ SYS_readv, "readv", { K_FD, K_IOV, K_ANY } },
	{ SYS_writev, "writev", { K_FD, K_IOV, K_ANY } },
	{ SYS_pread64, "pread64", { K_FD, K_BUF, K_LEN, K_OFF } },
	{ SYS_readlinkat, "readlinkat", { K_DIRFD, K_PATH, K_BUF, K_LEN } },
	{ SYS_newfstatat, "newfstatat", { K_DIRFD, K_PATH, K_BUF, K_FLAGS } },
	{ SYS_fstat, "fstat", { K_FD, K_BUF } },
	{ SYS_set_tid_address, "set_tid_address", { K_BUF } },
	{ SYS_set_robust_list, "set_robust_list", { K_BUF, K_LEN } },
	{ SYS_nanosleep, "nanosleep", { K_TS, K_BUF } },
	{ SYS_clock_gettime, "clock_gettime", { K_CLK, K_BUF } },
	{ SYS_clock_getres, "clock_getres", { K_CLK, K_BUF } },
	{ SYS_clock_nanosleep, "clock_nanosleep", { K_CLK, K_FLAGS, K_TS, K_BUF } },
	{ SYS_sched_yield, "sched_yield", { 0 } },
	{ SYS_kill, "kill", { K_SPEC, K_SPEC } },
	{ SYS_tkill, "tkill", { K_SPEC, K_SPEC } },
	{ SYS_tgkill, "tgkill", { K_SPEC, K_SPEC, K_SPEC } },
	{ SYS_sigaltstack, "sigaltstack", { K_SS, K_BUF } },
	{ SYS_rt_sigaction, "rt_sigaction", { K_SIG, K_ACT, K_BUF, K_SETSZ } },
	{ SYS_rt_sigprocmask, "rt_sigprocmask", { K_FLAGS, K_SET, K_BUF, K_SETSZ } },
	{ SYS_rt_sigpending, "rt_sigpending", { K_BUF, K_SETSZ } },
	{ SYS_times, "times", { K_BUF } },
	{ SYS_setpgid, "setpgid", { K_SPEC, K_SPEC } },
	{ SYS_getpgid, "getpgid", { K_ANY } },
	{ SYS_getsid, "getsid", { K_ANY } },
	{ SYS_setsid, "setsid", { 0 } },
	{ SYS_uname, "uname", { K_BUF } },
	{ SYS_getrusage, "getrusage", { K_ANY, K_BUF } },
	{ SYS_umask, "umask", { K_ANY } },
	{ SYS_gettimeofday, "gettimeofday", { K_BUF, K_BUF } },
	{ SYS_getpid, "getpid", { 0 } },
	{ SYS_getppid, "getppid", { 0 } },
	{ SYS_getuid, "getuid", { 0 } },
	{ SYS_geteuid, "geteuid", { 0 } },
	{ SYS_getgid, "getgid", { 0 } },
	{ SYS_getegid, "getegid", { 0 } },
	{ SYS_gettid, "gettid", { 0 } },
	{ SYS_sysinfo, "sysinfo", { K_BUF } },
	{ SYS_brk, "brk", { K_SPEC } },
	{ SYS_munmap, "munmap", { K_SPEC, K_SPEC } },
	{ SYS_clone, "clone", { K_SPEC, K_BUF, K_BUF, K_BUF, K_BUF } },
	{ SYS_execve, "execve", { K_SPEC, K_BUF, K_BUF } },
	{ SYS_mmap, "mmap", { K_SPEC, K_SPEC, K_ANY, K_SPEC, K_SPEC, K_OFF } },
	{ SYS_mprotect, "mprotect", { K_SPEC, K_SPEC, K_ANY } },
	{ SYS_madvise, "madvise", { K_SPEC, K_SPEC, K_SPEC } },
	{ SYS_wait4, "wait4", { K_ANY, K_BUF, K_SPEC, K_BUF } },
	{ SYS_prlimit64, "prlimit64", { K_SPEC, K_ANY, K_SPEC, K_BUF } },
	{ SYS_getrandom, "getrandom", { K_BUF, K_LEN, K_SPEC } },
	{ SYS_statx, "statx", { K_DIRFD, K_PATH, K_FLAGS, K_ANY, K_BUF } },
	{ SYS_eventfd2, "eventfd2", { K_ANY, K_SPEC } },
	{ SYS_epoll_create1, "epoll_create1", { K_SPEC } },
	{ SYS_epoll_ctl, "epoll_ctl", { K_FD, K_SPEC, K_FD, K_BUF } },
	{ SYS_epoll_pwait, "epoll_pwait", { K_FD, K_BUF, K_SPEC, K_SPEC, K_SET, K_SETSZ } },
	{ SYS_mremap, "mremap", { K_SPEC, K_SPEC, K_SPEC, K_SPEC, K_SPEC } },
	{ SYS_shmget, "shmget", { K_SPEC, K_SPEC, K_SPEC } },
	{ SYS_shmat, "shmat", { K_SPEC, K_SPEC, K_SPEC } },
	{ SYS_shmdt, "shmdt", { K_SPEC } },
	{ SYS_shmctl, "shmctl", { K_SPEC, K_SPEC, K_BUF } },
};
#define NCALLS ((int)(sizeof(calls) / sizeof(calls[0])))

/*
 * Numbers the workers must never issue (on Holstein's table, or fatal for the run), and
 * those that junk arguments can leave waiting for good (no timeout, a mask or futex word
 * read from the arena), and close_range, which junk bounds turn into closing the worker's
 * own pipe to the parent: only issued from calls[] with prepared arguments, if at all.
 */
static const long forbidden[] = { SYS_exit, SYS_exit_group, SYS_reboot, SYS_rt_sigreturn,
				  SYS_rt_sigsuspend, SYS_rt_sigtimedwait, SYS_futex, SYS_ppoll,
				  SYS_pselect6, SYS_close_range };

/* ---- the generator --------------------------------------------------------------- */

static uint64_t rng_state;

/* rnd - the next splitmix64 value. */
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* below - a value in [0, n), n > 0. */
static uint64_t below(uint64_t n)
{
	return rnd() % n;
}

/* chance - true with probability pct percent. */
static int chance(unsigned pct)
{
	return below(100) < pct;
}

/* PICK - a random element of a constant array. */
#define PICK(a) ((a)[below(sizeof(a) / sizeof((a)[0]))])

/* ---- worker state ------------------------------------------------------------------ */

static char *arena;		 /* ARENA_SIZE bytes, a PROT_NONE guard page on each side */
static int fds[FD_KEEP], nfds;	 /* fds we opened */
static uintptr_t unmapped[8];	 /* user addresses checked to be unmapped at start */
static int nunmapped;
static uintptr_t brk_now;	 /* our break: the fuzzer never shrinks below it */
static uint32_t arena_holes;	 /* bit i: arena page i was unmapped by a fuzzed call */
static int nclones, holstein;
static int shm_ids[8], nshm;	 /* segments we made (removed at once, attached) */
static uintptr_t shm_addr;	 /* where the last shmat put one */
static volatile sig_atomic_t caught; /* signals our handler saw */

/* The prepared inputs: the kernel only ever reads these. */
static struct timespec tss[] = { { 0, 0 }, { 0, 1 }, { 0, 1000 }, { 0, 50000 },
				 { 0, -1 }, { 0, 1000000000 }, { -1, 0 } };
static struct iovec iovs[8];
static struct { uintptr_t handler; unsigned long flags; uint64_t mask; } act;
static stack_t ss;
static uint64_t fuzz_set;
static char long_path[5000];

static const char *const paths[] = { "/dev/null", "/proc/meminfo", "/proc/self/maps",
				     "/proc/self/status", "/proc/self/stat", "/proc", "/",
				     "/bin/sh", "/test", "/nonexistent", "", ".", "..",
				     "/proc/self/exe", "/proc/self/fd", "/dev", long_path };
static const char rodata_marker[] = "read-only data";

/* on_signal - the handler the fuzzer may install: counts and returns. */
static void on_signal(int sig)
{
	(void)sig;
	caught++;
}

/* is_mapped - whether [a, a + len) touches a line of /proc/self/maps text. */
static int is_mapped(const char *maps, uintptr_t a, size_t len)
{
	for (const char *p = maps; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		char *end;
		unsigned long lo = strtoul(p, &end, 16), hi = strtoul(end + 1, NULL, 16);

		if (*end == '-' && lo < a + len && a < hi)
			return 1;
	}
	return 0;
}

/* ---- argument values ------------------------------------------------------------- */

/*
 * bad_ptr - a pointer no access may succeed through, or for writes read-only memory (our
 * text and rodata). Inputs the kernel would act on use bad_input(), which never gives
 * readable memory: a "sigaction" read from our text would install a garbage handler.
 */
static uint64_t bad_ptr(void)
{
	static const uint64_t kernel[] = { 0xffffffc000000000UL, 0xffffffff80000000UL,
					   0xffffffc080000000UL, 0xfffffffffffff000UL,
					   0x8000000000000000UL };

	switch (below(9)) {
	case 0: return 0;
	case 1: return PICK(kernel);
	case 2: return 0x3ffffffff8UL; /* straddles the end of the user half */
	case 3: return USER_TOP - 1;
	case 4: return nunmapped ? unmapped[below(nunmapped)] + below(PAGE_SIZE) : 1;
	case 5: return (uintptr_t)arena - 8 - below(64);   /* in the guard page below */
	case 6: return (uintptr_t)arena + ARENA_SIZE - 4;   /* runs into the guard above */
	case 7: return chance(50) ? (uintptr_t)&on_signal : (uintptr_t)rodata_marker;
	default: return rnd();
	}
}

/* bad_input - like bad_ptr(), but never readable memory. */
static uint64_t bad_input(void)
{
	uint64_t p = bad_ptr();

	return p == (uintptr_t)&on_signal || p == (uintptr_t)rodata_marker ? 0 : p;
}

/* buf_ptr - mostly a pointer into the arena (aligned or not), sometimes a bad one. */
static uint64_t buf_ptr(void)
{
	if (chance(30))
		return bad_ptr();
	if (chance(40))
		return (uintptr_t)arena + below(ARENA_PAGES) * PAGE_SIZE;
	return (uintptr_t)arena + below(ARENA_SIZE);
}

/* len_val - a length: small, boundary, arena-sized or huge. */
static uint64_t len_val(void)
{
	static const uint64_t lens[] = { 0, 1, 7, 8, 16, 64, 255, 4095, 4096, 4097, ARENA_SIZE,
					 ARENA_SIZE + 1, SIZE_MAX, SIZE_MAX - 4095, 1UL << 40,
					 1UL << 31, INT_MAX, UINT_MAX, (uint64_t)-4096 };

	if (chance(25))
		return below(512);
	if (chance(5))
		return rnd();
	return PICK(lens);
}

/* any_val - any interesting value, pointers included. */
static uint64_t any_val(void)
{
	static const uint64_t vals[] = { 0, 1, 2, 3, 4, 7, 8, 16, 63, 64, 127, 128, 255, 256,
					 4095, 4096, 4097, 65536, INT_MAX, (uint64_t)INT_MIN,
					 (uint32_t)INT_MIN, UINT_MAX, LONG_MAX, (uint64_t)LONG_MIN,
					 (uint64_t)-1, (uint64_t)-2, 1UL << 32, 1UL << 40, USER_TOP };

	switch (below(6)) {
	case 0: return below(32);
	case 1: return buf_ptr();
	case 2: return len_val();
	case 3: return rnd();
	default: return PICK(vals);
	}
}

/* fd_val - a descriptor: one of ours, a small number, or an invalid one; never 0, 1, 2. */
static uint64_t fd_val(void)
{
	static const uint64_t bad[] = { (uint64_t)-1, (uint64_t)-100, 64, 1023, 1024, INT_MAX,
					(uint64_t)INT_MIN, 0x7fffffff00000003UL };
	uint64_t v;

	if (chance(60) && nfds)
		v = fds[below(nfds)];
	else if (chance(60))
		v = 3 + below(FD_KEEP - 3);
	else
		v = PICK(bad);
	return (uint32_t)v <= 2 ? (uint64_t)-1 : v;
}

/* path_val - a path argument. */
static uint64_t path_val(void)
{
	if (chance(70))
		return (uintptr_t)PICK(paths);
	return chance(50) ? buf_ptr() : bad_ptr();
}

/* off_val - a file offset. */
static uint64_t off_val(void)
{
	static const uint64_t offs[] = { 0, 1, 4095, 4096, 8192, 1UL << 20, 1UL << 40,
					 (uint64_t)-1, (uint64_t)-4096, LONG_MAX, LONG_MIN };
	return chance(20) ? rnd() : PICK(offs);
}

/* flags_val - a small flag word. */
static uint64_t flags_val(void)
{
	if (chance(40))
		return 0;
	if (chance(70))
		return 1UL << below(20);
	return chance(50) ? below(1 << 16) : rnd();
}

/* iov_val - fill the prepared iovec array and return it (or a bad pointer). */
static uint64_t iov_val(void)
{
	for (int i = 0; i < 8; i++) {
		iovs[i].iov_base = (void *)(uintptr_t)buf_ptr();
		iovs[i].iov_len = chance(70) ? below(PAGE_SIZE) : len_val();
	}
	return chance(80) ? (uintptr_t)&iovs[below(8)] : bad_input();
}

/* act_val - a prepared sigaction (SIG_DFL, SIG_IGN or on_signal), NULL or bad. */
static uint64_t act_val(void)
{
	static const unsigned long flags[] = { 0, SA_RESTART, SA_SIGINFO, SA_NODEFER,
					       SA_RESETHAND, SA_RESTART | SA_SIGINFO,
					       SA_NOCLDSTOP, SA_NOCLDWAIT };
	static const uintptr_t handlers[] = { (uintptr_t)SIG_DFL, (uintptr_t)SIG_IGN,
					      (uintptr_t)on_signal };

	act.handler = PICK(handlers);
	act.flags = PICK(flags);
	act.mask = chance(50) ? 0 : rnd();
	if (chance(20))
		return 0;
	return chance(75) ? (uintptr_t)&act : bad_input();
}

/* ss_val - a prepared stack_t (never used: no handler gets SA_ONSTACK), NULL or bad. */
static uint64_t ss_val(void)
{
	static const int flags[] = { 0, SS_DISABLE, SS_ONSTACK, -1 };
	static const size_t sizes[] = { 0, 1, 2048, ARENA_SIZE, SIZE_MAX };

	ss.ss_sp = (void *)(uintptr_t)buf_ptr();
	ss.ss_flags = PICK(flags);
	ss.ss_size = PICK(sizes);
	if (chance(20))
		return 0;
	return chance(75) ? (uintptr_t)&ss : bad_input();
}

/* value - draw one argument of kind k. */
static uint64_t value(enum kind k)
{
	static const uint64_t sigs[] = { 0, 1, SIGSEGV, SIGCHLD, SIGPIPE, SIGKILL, SIGSTOP,
					 SIGUSR1, 31, 32, 64, 65, (uint64_t)-1, 1000 };

	switch (k) {
	case K_0: return 0;
	case K_ANY: return any_val();
	case K_FD: return fd_val();
	case K_DIRFD: return chance(40) ? (uint64_t)AT_FDCWD : fd_val();
	case K_BUF: return buf_ptr();
	case K_PATH: return path_val();
	case K_LEN: return len_val();
	case K_OFF: return off_val();
	case K_FLAGS: return flags_val();
	case K_CLK: return chance(80) ? below(12) : any_val();
	case K_TS: return chance(80) ? (uintptr_t)&PICK(tss) : bad_input();
	case K_IOV: return iov_val();
	case K_SIG: return chance(50) ? 1 + below(64) : PICK(sigs);
	case K_SETSZ: return chance(80) ? 8 : any_val();
	case K_ACT: return act_val();
	case K_SS: return ss_val();
	case K_SET:
		fuzz_set = chance(30) ? ~0ULL : rnd();
		return chance(50) ? (uintptr_t)&fuzz_set : chance(50) ? buf_ptr() : bad_ptr();
	default: return 0;
	}
}

/* ---- per-call rules ------------------------------------------------------------------ */

/*
 * range_safe - may munmap/mprotect/madvise/mmap(MAP_FIXED) get [a, a + len)? Yes when the
 * pages lie inside the arena, or when the call must fail: unaligned, a length that rounds
 * to zero, in the kernel half, or (on Holstein) wrapping around or reaching past the end
 * of the user half. (qemu-user asserts on ranges that wrap: none of those off Holstein.)
 */
static int range_safe(uint64_t a, uint64_t len)
{
	uint64_t plen = (len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1), end = a + plen;
	uintptr_t lo = (uintptr_t)arena;

	if ((a & (PAGE_SIZE - 1)) || plen == 0)
		return 1;
	if (end < a)
		return holstein;
	if (a >= 0xffff800000000000UL)
		return 1;
	if (a >= lo && end <= lo + ARENA_SIZE)
		return 1;
	return holstein && end > USER_TOP;
}

/* mm_range - an (address, length) pair for the memory calls; range_safe() holds. */
static void mm_range(uint64_t *a, uint64_t *len)
{
	uint64_t page = below(ARENA_PAGES);

	switch (below(5)) {
	case 0: /* whole pages inside the arena */
		*a = (uintptr_t)arena + page * PAGE_SIZE;
		*len = (1 + below(ARENA_PAGES - page)) * PAGE_SIZE - (chance(30) ? below(PAGE_SIZE) : 0);
		break;
	case 1: /* unaligned start, any length */
		*a = (uintptr_t)arena + page * PAGE_SIZE + 1 + below(PAGE_SIZE - 1);
		*len = len_val();
		break;
	case 2: /* a length that wraps or is huge */
		*a = (uintptr_t)arena + page * PAGE_SIZE;
		*len = chance(50) ? SIZE_MAX - below(PAGE_SIZE) : 1UL << (32 + below(32));
		break;
	case 3: /* kernel half, straddling, or unmapped */
		*a = chance(50) ? 0xffffffc000000000UL : chance(50) ? TOP_PAGE : (uint64_t)-PAGE_SIZE;
		*len = chance(50) ? 2 * PAGE_SIZE : len_val();
		break;
	default:
		*a = any_val();
		*len = len_val();
		break;
	}
	if (!range_safe(*a, *len)) {
		*a = (uintptr_t)arena + page * PAGE_SIZE;
		*len = PAGE_SIZE;
	}
}

/* arena_span - the arena page bits that [a, a + len) covers (0 if it is not in the arena). */
static uint32_t arena_span(uint64_t a, uint64_t len)
{
	uintptr_t lo = (uintptr_t)arena;
	uint32_t bits = 0;

	if (a & (PAGE_SIZE - 1) || a < lo || a >= lo + ARENA_SIZE || len > ARENA_SIZE)
		return 0;
	for (uint64_t p = a; p < a + len && p < lo + ARENA_SIZE; p += PAGE_SIZE)
		bits |= 1u << ((p - lo) / PAGE_SIZE);
	return bits;
}

/* safe_sig - a signal a worker may send itself: none, one ignored by default, or invalid. */
static uint64_t safe_sig(void)
{
	static const uint64_t sigs[] = { 0, 0, SIGCHLD, SIGURG, SIGWINCH, SIGCONT,
					 (uint64_t)-1, 65, 1000, INT_MAX };
	return PICK(sigs);
}

static int in_arena(uint64_t p, size_t len);

/* shm_id - a segment id: one of ours, a small one (maybe another worker's), or junk. */
static uint64_t shm_id(void)
{
	if (nshm && chance(70))
		return (uint64_t)shm_ids[below(nshm)];
	return chance(50) ? below(4) : any_val();
}

/*
 * prepare_shm_remap - arguments for mremap and the SysV calls. Every range mremap may
 * create, move to or give up lies in the arena or must fail (mm_range); shmat goes where
 * the kernel picks, or into an arena hole (without SHM_REMAP: it fails over anything
 * mapped), never over memory we need. Returns 0 to skip the call.
 */
static int prepare_shm_remap(long nr, uint64_t *a)
{
	static const uint64_t remap_flags[] = { 0, 1, 1 | 2, 2, 1 | 4, 1 | 2 | 4, 0x40 };
	static const uint64_t shm_cmds[] = { IPC_STAT, IPC_SET, IPC_RMID, IPC_INFO, SHM_INFO,
					     SHM_STAT, SHM_STAT_ANY, SHM_LOCK, SHM_UNLOCK, 1000 };
	static const uint64_t at_flags[] = { 0, SHM_RDONLY, SHM_RND, SHM_EXEC, SHM_REMAP,
					     SHM_RDONLY | SHM_RND };
	uint64_t len;

	switch (nr) {
	case SYS_mremap:
		mm_range(&a[0], &a[1]);
		mm_range(&a[4], &len);
		a[2] = chance(40) ? len : chance(50) ? a[1] / 2 : len_val();
		a[3] = chance(90) ? PICK(remap_flags) : rnd();
		if ((a[3] & 2) && !range_safe(a[4], a[2]))
			a[2] = len;	/* a target we may lose */
		break;
	case SYS_shmget:
		a[0] = chance(80) ? IPC_PRIVATE : rnd() & 0xffff;
		a[1] = chance(70) ? 1 + below(4 * PAGE_SIZE) : len_val();
		a[2] = chance(80) ? IPC_CREAT | (chance(30) ? IPC_EXCL : 0) | 0600 : flags_val();
		break;
	case SYS_shmat:
		a[0] = shm_id();
		a[1] = chance(60) ? 0 : chance(50) ? (uintptr_t)arena + below(ARENA_PAGES) * PAGE_SIZE +
							 (chance(20) ? 1 + below(PAGE_SIZE - 1) : 0)
						    : bad_ptr();
		a[2] = chance(90) ? PICK(at_flags) : rnd() & ~(uint64_t)SHM_REMAP;
		if (a[1] && !in_arena(a[1], 1) && !range_safe(a[1] & ~(PAGE_SIZE - 1), 1))
			a[1] = 0;
		if (a[1])
			a[2] &= ~(uint64_t)SHM_REMAP;	/* never over what is mapped there */
		break;
	case SYS_shmdt:
		a[0] = chance(60) && shm_addr ? shm_addr : chance(50) ? (uintptr_t)arena : bad_ptr();
		break;
	case SYS_shmctl:
		a[0] = shm_id();
		a[1] = chance(90) ? PICK(shm_cmds) : any_val();
		break;
	}
	return 1;
}

/*
 * prepare - apply call c's special rules to the drawn arguments a[]. Returns 0 when the
 * call must be skipped this time.
 */
static int prepare(const struct call *c, uint64_t *a)
{
	static const uint64_t fcntl_cmds[] = { F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL,
					       F_GETLK, F_DUPFD_CLOEXEC, F_GETPIPE_SZ,
					       F_SETPIPE_SZ, 9999, (uint64_t)-1 };
	static const uint64_t ioctls[] = { 0x5401 /* TCGETS */, 0x5413 /* TIOCGWINSZ */,
					   0x541b /* FIONREAD */, 0x540f /* TIOCGPGRP */,
					   0x5451 /* FIOCLEX */, 0x5450 /* FIONCLEX */, 0,
					   0xdeadbeef };
	static const uint64_t advice[] = { 0, 1, 2, 3, 4, 8, 9, 10, 11, 18, 19, 1000,
					   (uint64_t)-1 };
	static const uint64_t clone_flags[] = {
		SIGCHLD, 0, CLONE_VM | CLONE_VFORK | SIGCHLD, SIGCHLD | CLONE_PARENT_SETTID,
		SIGCHLD | CLONE_CHILD_SETTID, SIGCHLD | CLONE_CHILD_CLEARTID,
		SIGCHLD | CLONE_SETTLS, 0x7f, CLONE_VM, CLONE_THREAD, CLONE_VFORK | SIGCHLD
	};
	static const char *const noexec[] = { "/nonexistent/fuzz", "/proc/meminfo", "/",
					      "/dev/null", "", "/proc" };
	uint64_t me = getpid();

	switch (c->nr) {
	case SYS_fcntl:
		a[1] = PICK(fcntl_cmds);
		a[2] = a[1] == F_GETLK ? buf_ptr() : any_val();
		if (a[1] == F_SETFL)
			a[2] = (a[2] | O_NONBLOCK) & ~(uint64_t)O_ASYNC;
		break;
	case SYS_ioctl:
		a[1] = holstein && chance(30) ? rnd() & 0xffffffff : PICK(ioctls);
		if (a[1] == 0x5421 /* FIONBIO */ || a[1] == 0x5452 /* FIOASYNC */)
			a[1] = 0x541b;
		break;
	case SYS_openat:
		a[2] = chance(50) ? flags_val() : O_RDONLY;
		a[2] &= ~(uint64_t)(O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND | O_EXCL | O_ASYNC |
				    (O_TMPFILE & ~O_DIRECTORY));
		a[2] |= O_NONBLOCK;
		break;
	case SYS_pipe2:
		a[1] = flags_val() | O_NONBLOCK;
		break;
	case SYS_eventfd2:
		a[1] = flags_val() | EFD_NONBLOCK;	/* a read of 0 must not block the worker */
		break;
	case SYS_epoll_create1:
		a[0] = chance(80) ? PICK(((const uint64_t[]){ 0, EPOLL_CLOEXEC })) : flags_val();
		break;
	case SYS_epoll_ctl:
		a[1] = below(5);	/* ADD, DEL, MOD and two bad ops */
		break;
	case SYS_epoll_pwait:
		a[2] = chance(80) ? 1 + below(8) : any_val();
		a[3] = below(3);	/* milliseconds; never negative: that waits for ever */
		break;
	case SYS_kill:
		a[0] = chance(20) ? 2 + below(1 << 22) : me;
		a[1] = a[0] == me ? safe_sig() : 0; /* others: an existence probe, signal 0 */
		if (a[0] == (uint64_t)getppid())
			a[0] = me;
		break;
	case SYS_tkill:
		a[0] = me;
		a[1] = safe_sig();
		break;
	case SYS_tgkill:
		a[0] = me;
		a[1] = me;
		a[2] = safe_sig();
		break;
	case SYS_setpgid:
		a[0] = chance(50) ? 0 : me;
		a[1] = chance(50) ? 0 : chance(50) ? me : any_val();
		break;
	case SYS_brk:
		switch (below(6)) {
		case 0: a[0] = 0; break;
		case 1: a[0] = brk_now + below(1 << 20); break;
		case 2: a[0] = brk_now + (1UL << (20 + below(20))); break;
		case 3: a[0] = bad_ptr(); break;
		case 4: a[0] = below(0x10000); break; /* below any program: must be refused */
		default: a[0] = brk_now; break;
		}
		if (a[0] > 0x10000 && a[0] < brk_now)
			a[0] = brk_now;
		break;
	case SYS_munmap:
	case SYS_mprotect:
	case SYS_madvise:
		mm_range(&a[0], &a[1]);
		if (c->nr == SYS_madvise)
			a[2] = PICK(advice);
		/*
		 * qemu-user 7.2 applies a failing mprotect to the pages before a hole but
		 * forgets it in its own page flags, then aborts on the next access: off
		 * Holstein, no mprotect across holes we punched.
		 */
		if (c->nr == SYS_mprotect && !holstein && (arena_span(a[0], a[1]) & arena_holes))
			a[1] = 0;
		break;
	case SYS_mmap: {
		static const uint64_t types[] = { MAP_PRIVATE | MAP_ANONYMOUS, MAP_SHARED | MAP_ANONYMOUS,
						  MAP_PRIVATE, MAP_SHARED, 0, MAP_SHARED_VALIDATE };
		uint64_t hint = any_val(), len;

		mm_range(&a[0], &len);
		a[1] = chance(50) ? len : len_val();
		a[3] = chance(85) ? PICK(types) : rnd() & 0xffffffff;
		if (chance(30))
			a[3] |= MAP_FIXED;
		else if (chance(15))
			a[3] |= MAP_FIXED_NOREPLACE;
		if (chance(20))
			a[3] |= MAP_NORESERVE | MAP_STACK;
		a[3] &= ~(uint64_t)(MAP_POPULATE | MAP_LOCKED | MAP_HUGETLB | MAP_GROWSDOWN |
				    MAP_SYNC | 0x4000000 /* MAP_UNINITIALIZED */);
		if (!(a[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && chance(40))
			a[0] = hint; /* a mere hint: the kernel picks a free place */
		if ((a[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && !range_safe(a[0], a[1]))
			a[3] &= ~(uint64_t)(MAP_FIXED | MAP_FIXED_NOREPLACE);
		/* Shared anonymous memory is populated at once on Holstein: keep it small. */
		if ((a[3] & MAP_ANONYMOUS) && (a[3] & MAP_TYPE) != MAP_PRIVATE && a[1] > (4UL << 20) &&
		    a[1] < (1UL << 40))
			a[1] = 4UL << 20;
		a[4] = (a[3] & MAP_ANONYMOUS) && chance(70) ? (uint64_t)-1 : fd_val();
		break;
	}
	case SYS_clone:
		if (nclones >= MAX_CLONES)
			return 0;
		a[0] = PICK(clone_flags);
		a[1] = chance(50) ? 0 : a[1];
		break;
	case SYS_execve:
		a[0] = chance(70) ? (uintptr_t)PICK(noexec) : bad_input();
		break;
	case SYS_wait4:
		a[2] = (flags_val() & (WUNTRACED | WCONTINUED | __WALL | __WCLONE)) | WNOHANG;
		break;
	case SYS_prlimit64:
		a[0] = chance(50) ? 0 : me;
		a[2] = chance(50) ? 0 : bad_input(); /* never a new limit we could live with */
		break;
	case SYS_getrandom:
		a[2] = flags_val() | 1 /* GRND_NONBLOCK */;
		break;
	case SYS_mremap:
	case SYS_shmget:
	case SYS_shmat:
	case SYS_shmdt:
	case SYS_shmctl:
		return holstein && prepare_shm_remap(c->nr, a);
	case SYS_clock_nanosleep: {
		/* A CPU-time clock of our own would never reach the sleep's end. */
		static const uint64_t clocks[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME,
						   CLOCK_THREAD_CPUTIME_ID, CLOCK_MONOTONIC_RAW,
						   CLOCK_REALTIME_COARSE, 11, 12, 1000, INT_MAX };
		a[0] = PICK(clocks);
		break;
	}
	}
	return 1;
}

/*
 * clone_and_leave - clone(flags, sp, ptid, tls, ctid) where the child calls exit(0) at
 * once without touching memory (it may share our stack); returns what the parent gets.
 */
static long clone_and_leave(uint64_t flags, uint64_t sp, uint64_t ptid, uint64_t tls,
			    uint64_t ctid)
{
	register uint64_t a0 asm("a0") = flags;
	register uint64_t a1 asm("a1") = sp;
	register uint64_t a2 asm("a2") = ptid;
	register uint64_t a3 asm("a3") = tls;
	register uint64_t a4 asm("a4") = ctid;
	register uint64_t a7 asm("a7") = SYS_clone;

	asm volatile("ecall\n\t"
		     "bnez a0, 1f\n\t"
		     "li a7, %[nr_exit]\n\t"
		     "ecall\n"
		     "1:"
		     : "+r"(a0)
		     : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a7), [nr_exit] "i"(SYS_exit)
		     : "memory");
	return (long)a0;
}

/* keep_fd - remember a new fd of ours, or close it when we have plenty. */
static void keep_fd(long fd)
{
	if (fd < 3)
		return;
	if (fd >= FD_KEEP) {
		close((int)fd);
		return;
	}
	if (nfds < FD_KEEP)
		fds[nfds++] = (int)fd;
}

/* in_arena - whether [p, p + len) lies inside the arena. */
static int in_arena(uint64_t p, size_t len)
{
	return p >= (uintptr_t)arena && p + len <= (uintptr_t)arena + ARENA_SIZE && p + len >= p;
}

/* issue - make the call (clone specially) and tidy up after it; returns the raw result. */
static long issue(long nr, const uint64_t *a)
{
	long r;

	if (nr == SYS_clone) {
		nclones++;
		r = clone_and_leave(a[0], a[1], a[2], a[3], a[4]);
		/* Reap the child at once (it has already gone or is about to). */
		if (r > 0 && wait4((pid_t)r, NULL, __WALL, NULL) < 0 && errno == EINVAL)
			wait4((pid_t)r, NULL, 0, NULL);
		return r;
	}
	r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (r < 0)
		return -errno;
	switch (nr) {
	case SYS_openat:
	case SYS_dup:
	case SYS_dup3:
	case SYS_eventfd2:
	case SYS_epoll_create1:
		keep_fd(r);
		break;
	case SYS_fcntl:
		if (a[1] == F_DUPFD || a[1] == F_DUPFD_CLOEXEC)
			keep_fd(r);
		break;
	case SYS_pipe2:
		if (in_arena(a[0], 8)) {
			keep_fd(((int *)(uintptr_t)a[0])[0]);
			keep_fd(((int *)(uintptr_t)a[0])[1]);
		}
		break;
	case SYS_mmap:
		/* Give back what we did not place inside the arena ourselves. */
		if (!in_arena(r, a[1]))
			munmap((void *)r, a[1]);
		arena_holes &= ~arena_span(r, a[1]);
		break;
	case SYS_munmap:
		arena_holes |= arena_span(a[0], a[1]);
		break;
	case SYS_mremap:
		/* The old range is gone (unless it stayed); a new place outside the arena too. */
		if ((uint64_t)r != a[0])
			arena_holes |= arena_span(a[0], a[1]);
		else if (a[2] < a[1])
			arena_holes |= arena_span(a[0] + ((a[2] + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)),
						  a[1] - a[2]);
		if ((uint64_t)r != a[0] && !in_arena(r, a[2]))
			munmap((void *)r, a[2]);
		arena_holes &= ~arena_span(r, a[2]);
		break;
	case SYS_shmget:
		/* Attached and removed at once: our exit frees it, whatever ends us. */
		shm_addr = (uintptr_t)shmat((int)r, NULL, 0);
		if (shm_addr == (uintptr_t)-1)
			shm_addr = 0;
		shmctl((int)r, IPC_RMID, NULL);
		if (nshm < (int)(sizeof(shm_ids) / sizeof(shm_ids[0])))
			shm_ids[nshm++] = (int)r;
		break;
	case SYS_shmat:
		shm_addr = (uintptr_t)r;
		arena_holes &= ~arena_span(r, PAGE_SIZE);
		break;
	case SYS_brk:
		syscall(SYS_brk, brk_now);
		break;
	}
	return r;
}

/* unknown_nr - a number no kernel implements (any hole of our table only on Holstein). */
static long unknown_nr(void)
{
	if (!holstein)
		return 2000 + below(2096); /* qemu-user truncates numbers to int: stay small */
	for (;;) {
		long nr = chance(80) ? (long)below(300) : chance(50) ? 300 + (long)below(2000) : (long)rnd();
		int known = 0;

		for (int i = 0; i < NCALLS; i++)
			known |= calls[i].nr == nr;
		for (size_t i = 0; i < sizeof(forbidden) / sizeof(forbidden[0]); i++)
			known |= forbidden[i] == nr;
		if (!known)
			return nr;
	}
}

/* call_name - the name of call nr for messages. */
static const char *call_name(long nr)
{
	for (int i = 0; i < NCALLS; i++)
		if (calls[i].nr == nr)
			return calls[i].name;
	return "unknown";
}

/* open_own - open a file of ours to fuzz with (errors are fine: we just have fewer). */
static void open_own(const char *path, int flags)
{
	int fd = open(path, flags | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		keep_fd(fd);
}

/*
 * worker_setup - the state a worker with this seed fuzzes from: fds 3 and up closed (a
 * host's make may have lent us its jobserver pipe), our own fds, the arena, the unmapped
 * addresses, SIGPIPE ignored. Exits 3 if memory runs out.
 */
static void worker_setup(uint64_t seed, const char *self)
{
	static const uintptr_t candidates[] = { 0x1000, 0x8000, 0x10000000, 0x1000000000,
						0x2fff000000, 0x3ffff00000, TOP_PAGE };
	char maps[8192];
	int p[2];

	rng_state = seed;
	holstein = on_holstein();
	for (int fd = 3; fd < 256; fd++)
		close(fd);
	signal(SIGPIPE, SIG_IGN);
	open_own("/dev/null", O_WRONLY);
	open_own("/dev/null", O_RDONLY);
	if (pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0) {
		keep_fd(p[0]);
		keep_fd(p[1]);
	}
	open_own("/proc/meminfo", O_RDONLY);
	open_own("/proc/self/maps", O_RDONLY);
	open_own("/", O_RDONLY | O_DIRECTORY);
	open_own(self ? self : "/bin/sh", O_RDONLY);

	arena = mmap(NULL, ARENA_SIZE + 2 * PAGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (arena == MAP_FAILED || mprotect(arena + PAGE_SIZE, ARENA_SIZE, PROT_READ | PROT_WRITE))
		_exit(3);
	arena += PAGE_SIZE;
	for (size_t i = 0; i < ARENA_SIZE; i += 8)
		*(uint64_t *)(arena + i) = chance(50) ? 0 : rnd();
	memset(long_path, 'a', sizeof(long_path) - 1);

	if (read_small_file("/proc/self/maps", maps, sizeof(maps)) > 0)
		for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++)
			if (!is_mapped(maps, candidates[i], PAGE_SIZE))
				unmapped[nunmapped++] = candidates[i];
	brk_now = syscall(SYS_brk, 0);
}

#include "fuzz_abi.c"
#include "fuzz_fs.c"

/*
 * remove_segments - the parent, once every worker is gone: remove the SysV segments a
 * worker made but died before removing (nothing is attached any more, so they go at once).
 */
static void remove_segments(void)
{
	struct shmid_ds d;
	int top = shmctl(0, IPC_INFO, &d);

	for (int i = 0; i <= top; i++) {
		int id = shmctl(i, SHM_STAT_ANY, &d);
		if (id >= 0)
			shmctl(id, IPC_RMID, NULL);
	}
}

/* worker - fuzz iters calls with this seed, recording each in s; never returns. */
static void worker(struct slot *s, uint64_t seed, long iters, const char *self, int verbose)
{
	worker_setup(seed, self);
	for (long i = 0; i < iters; i++) {
		uint64_t a[6];
		long nr, r;
		const struct call *c = NULL;

		if (chance(holstein ? 3 : 1)) {
			nr = unknown_nr();
			for (int k = 0; k < 6; k++)
				a[k] = any_val();
		} else {
			c = &calls[below(NCALLS)];
			nr = c->nr;
			for (int k = 0; k < 6; k++)
				a[k] = value(c->kind[k]);
			if (!prepare(c, a))
				nr = SYS_getpid; /* skipped: a harmless call keeps the count */
		}
		s->nr = nr;
		for (int k = 0; k < 6; k++)
			s->args[k] = a[k];
		s->iter = i;
		r = issue(nr, a);
		if (verbose)
			dprintf(2, "fuzz[%llu] %ld: %s(%#llx, %#llx, %#llx, %#llx, %#llx, %#llx) = %ld\n",
				(unsigned long long)seed, i, call_name(nr), (unsigned long long)a[0],
				(unsigned long long)a[1], (unsigned long long)a[2],
				(unsigned long long)a[3], (unsigned long long)a[4],
				(unsigned long long)a[5], r);
	}
	s->iter = iters;
	_exit(0);
}

/* ---- the parent ------------------------------------------------------------------------ */

/* describe - print the call a worker's slot says it was making. */
static void describe(const struct slot *s)
{
	const char *name = abi_name((long)s->nr);

	name = name ? name : fs_name((long)s->nr);

	printf("fuzz:   iteration %llu: %s#%llu(%#llx, %#llx, %#llx, %#llx, %#llx, %#llx)\n",
	       (unsigned long long)s->iter, name ? name : call_name((long)s->nr),
	       (unsigned long long)s->nr,
	       (unsigned long long)s->args[0], (unsigned long long)s->args[1],
	       (unsigned long long)s->args[2], (unsigned long long)s->args[3],
	       (unsigned long long)s->args[4], (unsigned long long)s->args[5]);
}

/*
 * judge - a worker ended with wait status st (hung: we killed it). Count it in res and
 * print what went wrong, with the replay command.
 */
static void judge(const struct slot *s, int st, int hung, const struct fuzz_opts *o,
		  struct fuzz_result *res)
{
	const char *what;

	res->calls += s->iter;
	if (!hung && WIFEXITED(st) && WEXITSTATUS(st) == ABI_MISMATCH) {
		printf("fuzz: worker seed %llu: ABI mismatch at iteration %llu (see above)\n",
		       (unsigned long long)s->seed, (unsigned long long)s->iter);
		printf("fuzz: replay with -a -s %llu -n %llu -c 1\n", (unsigned long long)s->seed,
		       (unsigned long long)s->iter + 1);
		res->mismatches++;
		return;
	}
	if (!hung && WIFEXITED(st) && (WEXITSTATUS(st) == 0 || WEXITSTATUS(st) == 3)) {
		if (WEXITSTATUS(st) == 3) {
			printf("fuzz: worker seed %llu: no memory for its arena (clean)\n",
			       (unsigned long long)s->seed);
			res->clean_deaths++;
		}
		return;
	}
	if (hung || (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)) { /* -f: its own alarm */
		what = "hung (killed)";
		res->hangs++;
	} else if (WIFSIGNALED(st) && (WTERMSIG(st) == SIGPIPE || WTERMSIG(st) == SIGKILL)) {
		what = "died cleanly";
		res->clean_deaths++;
	} else {
		what = "died unexpectedly";
		res->bad_deaths++;
	}
	printf("fuzz: worker seed %llu %s: %s\n", (unsigned long long)s->seed, what,
	       hung ? "timeout" : status_str(st));
	describe(s);
	printf("fuzz: replay with %s-s %llu -n %llu -c 1\n", o->abi ? "-a " : o->fs ? "-f " : "",
	       (unsigned long long)s->seed, (unsigned long long)s->iter + 1);
	fflush(stdout);
}

/*
 * fuzz_run - run the workers as o says and fill res. Returns 0 if the verdict is good:
 * no unexpected deaths or hangs and (on Holstein) no memory lost.
 */
static int fuzz_run(const struct fuzz_opts *o, struct fuzz_result *res)
{
	struct slot *slots;
	pid_t pids[MAX_CHILDREN] = { 0 };
	uint64_t started_at[MAX_CHILDREN], t0, next_seed = o->seed;
	int running = 0, completed = 0, deaths = 0, fork_fails = 0, hung[MAX_CHILDREN] = { 0 };
	int nchild = o->children < 1 ? 1 : o->children > MAX_CHILDREN ? MAX_CHILDREN : o->children;

	memset(res, 0, sizeof(*res));
	slots = mmap(NULL, sizeof(struct slot) * MAX_CHILDREN, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (slots == MAP_FAILED) {
		printf("fuzz: mmap: %s\n", strerror(errno));
		return 1;
	}
	/* Shared memory gets its frames on first touch: touch them before MemFree is read. */
	memset(slots, 0, sizeof(struct slot) * MAX_CHILDREN);
	printf("fuzz: %sseed %llu, %ld iterations x %d workers",
	       o->abi ? "ABI mode, " : o->fs ? "file-system mode, " : "",
	       (unsigned long long)o->seed,
	       o->iters, nchild);
	if (o->seconds)
		printf(", new workers for %ld s", o->seconds);
	printf("\n");
	fflush(stdout);
	if (o->fs)
		fs_prepare();
	res->mem_before = on_holstein() ? settled_memfree(meminfo_kb("MemFree")) : -1;
	res->objs_before = on_holstein() ? meminfo_kb("KernelObjects") : -1;
	if (o->fs) {
		fs_no_mount = o->fs_no_mount;
		if (fs_pool_make() < 0) {
			res->fs_left = 1;
			return 1;
		}
		printf("fuzz: the pool is %s\n", fs_root);
		fflush(stdout);
	}
	t0 = now_ns();

	for (;;) {
		int more = o->seconds ? now_ns() - t0 < (uint64_t)o->seconds * 1000000000ULL
				      : completed + running < nchild && deaths <= 4 * nchild + 4;

		for (int i = 0; more && i < nchild && fork_fails < 1000; i++) {
			pid_t pid;

			if (pids[i])
				continue;
			memset((void *)&slots[i], 0, sizeof(slots[i]));
			slots[i].seed = next_seed;
			fflush(NULL);
			pid = fork();
			if (pid == 0)
				(o->abi ? abi_worker : o->fs ? fs_worker : worker)(
					&slots[i], slots[i].seed, o->iters, o->self, o->verbose);
			if (pid < 0) {
				fork_fails++; /* out of memory: try again in a moment */
				break;
			}
			pids[i] = pid;
			hung[i] = 0;
			started_at[i] = now_ns();
			next_seed++;
			running++;
			res->workers++;
			if (!o->seconds && completed + running >= nchild)
				break;
		}
		if (!running) {
			if (!more || fork_fails >= 1000)
				break;
			sleep_ns(2000000);
			continue;
		}

		int st;
		pid_t pid = wait4(-1, &st, WNOHANG, NULL);

		if (pid > 0) {
			for (int i = 0; i < nchild; i++) {
				if (pids[i] != pid)
					continue;
				judge(&slots[i], st, hung[i], o, res);
				if (WIFEXITED(st) && WEXITSTATUS(st) == 0 && !hung[i])
					completed++;
				else
					deaths++;
				pids[i] = 0;
				running--;
			}
			continue;
		}
		for (int i = 0; i < nchild; i++) {
			if (pids[i] && !hung[i] && now_ns() - started_at[i] > HANG_NS) {
				kill(pids[i], SIGKILL);
				hung[i] = 1;
			}
		}
		sleep_ns(2000000); /* polling for ends and hangs, not synchronisation */
	}
	if (fork_fails)
		printf("fuzz: fork failed %d times (out of memory: clean)\n", fork_fails);
	munmap(slots, sizeof(struct slot) * MAX_CHILDREN);
	if (on_holstein())
		remove_segments();
	if (o->fs)
		res->fs_left = fs_pool_remove();
	res->mem_after = res->mem_before >= 0 ? settled_memfree(res->mem_before) : -1;
	res->objs_after = res->objs_before >= 0 ? meminfo_kb("KernelObjects") : -1;
	printf("fuzz: %ld workers, %ld calls, %ld clean deaths, %ld unexpected deaths, %ld hung",
	       res->workers, res->calls, res->clean_deaths, res->bad_deaths, res->hangs);
	if (o->abi)
		printf(", %ld ABI mismatches", res->mismatches);
	if (o->fs)
		printf(", pool %s", res->fs_left ? "NOT removed" : "removed");
	if (res->mem_before >= 0)
		printf(", MemFree %ld -> %ld kB", res->mem_before, res->mem_after);
	if (res->objs_before >= 0)
		printf(", KernelObjects %ld -> %ld", res->objs_before, res->objs_after);
	printf("\n");
	fflush(stdout);
	return res->bad_deaths || res->hangs || res->mismatches || res->fs_left ||
	       res->mem_after < res->mem_before ||
	       res->objs_after > res->objs_before;
}

#ifndef FUZZ_NO_MAIN
/* usage - the command line summary, then exit 2. */
static void usage(void)
{
	fprintf(stderr, "usage: fuzz [-a|-f] [-s SEED] [-n ITERATIONS] [-t SECONDS] [-c CHILDREN] [-v]\n");
	exit(2);
}

/* main - parse the options, run, and print the verdict; exit 0 only if it is good. */
int main(int argc, char **argv)
{
	struct fuzz_opts o = { .seed = 1, .iters = 2000, .seconds = 0, .children = 2 };
	struct fuzz_result res;
	int opt, bad;

	setvbuf(stdout, NULL, _IOLBF, 0);
	o.self = self_path(argv[0]);
	while ((opt = getopt(argc, argv, "afs:n:t:c:v")) != -1) {
		switch (opt) {
		case 's': o.seed = strtoull(optarg, NULL, 0); break;
		case 'n': o.iters = strtol(optarg, NULL, 0); break;
		case 't': o.seconds = strtol(optarg, NULL, 0); break;
		case 'c': o.children = (int)strtol(optarg, NULL, 0); break;
		case 'v': o.verbose = 1; break;
		case 'a': o.abi = 1; break;
		case 'f': o.fs = 1; break;
		default: usage();
		}
	}
	if (optind != argc || o.iters < 0 || o.seconds < 0 || (o.abi && o.fs))
		usage();
	bad = fuzz_run(&o, &res);
	printf("fuzz: %s\n", bad ? "FAIL" : "PASS");
	return bad;
}
#endif
