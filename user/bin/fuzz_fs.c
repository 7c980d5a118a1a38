/*
 * fuzz_fs.c - the fuzzer's file-system mode (fuzz -f), included by fuzz.c after fuzz_abi.c.
 *
 * The parent makes a scratch directory /tmp/fuzzfs.XXXXXX and, on Holstein, mounts a tmpfs
 * of FS_POOL_SIZE on <scratch>/mnt, so nothing a worker writes can fill the root; the pool
 * is <scratch>/mnt/pool, seeded with files (one sparse), a directory and symlinks (to a
 * file, to a directory, absolute, dangling, a loop of one and a loop of two). Every worker
 * starts in the pool and fuzzes the file calls on it at the same time as the others, so
 * renames, unlinks, truncations and mappings race: openat with any flags, I/O at any
 * offset, truncation and fallocate, lseek, the name calls (mkdirat, mknodat, unlinkat,
 * renameat2 with every flag, linkat, symlinkat, readlinkat), the attribute calls, statx,
 * statfs, the sync calls, getdents64, chdir/fchdir, dup/dup3/F_DUPFD to large numbers,
 * fcntl locks and flock, sendfile and copy_file_range, mappings of pool files that are
 * loaded from and stored to (SIGSEGV and SIGBUS are caught) while the file shrinks, is
 * written, msync'ed, remapped and forked, forked rename races, and on Holstein mount and
 * umount2 of small tmpfs's inside the pool (fuzz_fs_ops.c). Afterwards the parent unmounts
 * what is left mounted below the scratch directory and removes it (fuzz_fs_pool.c): both
 * must succeed. With -v each call is printed with the paths it was given; $FUZZ_FS_ONLY
 * (letters: see fs_step()) limits the steps to some kinds, to narrow a failure down.
 *
 * Containment: under qemu-riscv64 the pool is on the host, maybe as root. Workers there
 * chroot into the scratch directory when they may; and in any case every path a worker
 * names stays inside the scratch directory by construction:
 *   - paths are made of a fixed list of names; ".." comes only right after a name
 *     ("a/.."), or once at the very start ("../a");
 *   - the cwd and directory fds (the start points) are reached only by paths without a
 *     leading "..", and absolute paths start at the pool;
 *   - a symlink's target has at least one name and no ".." (or is absolute in the pool);
 *   - no descriptor of anything outside is open in a worker; no device node is made.
 * So every directory and start point stays at least two levels below the scratch
 * directory, and no lookup climbs above the first level. Off Holstein a worker whose cwd
 * is ever found outside stops at once (fs_chdir()).
 */
#include <setjmp.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <linux/falloc.h>
#include "scratch.h"

#define FS_POOL_SIZE "size=8m" /* the pool's own tmpfs (Holstein) */
#define FS_MAX_MOUNTS 3	       /* tmpfs mounts one worker may make */
#define FS_ALARM 100	       /* seconds: a worker still running then is hung (SIGALRM) */
#define FS_COPY_MAX (1UL << 20) /* off Holstein: at most this much real data per call */
#define FS_TOUCH 100000	       /* slot numbers of steps that are no system call */
#define FS_RACE 100001
#define FS_CHILD 100002

enum { FK_CLOSED, FK_START, FK_OTHER }; /* fd_kind: FK_START may be a dirfd or fchdir'ed to */

static char fs_scratch[64], fs_root[96]; /* the scratch directory; the pool (absolute) */
static char fs_mounts_before[4096];	 /* /proc/mounts before the run (Holstein) */
static char fs_name255[256], fs_name256[257], fs_deep[4200];
static char fs_pbuf[2][2048], fs_tbuf[4200]; /* one call's paths; a symlink's target */
static unsigned char fd_kind[FD_KEEP];
static struct slot *fs_slot, fs_own_slot; /* where steps are recorded (own: in children) */
static int fs_verbose, fs_mounts, fs_no_mount; /* fs_no_mount: fuzz_opts' */
static sigjmp_buf fs_jmp;
static volatile sig_atomic_t fs_in_touch;

static const char *const fs_names[] = { "a", "b", "c", "d", "e", "s", "l", "m", "n", "z",
					"x", "nothere", fs_name255, fs_name256 };
#define FS_SHORT 11 /* the first names: short ones */

/* Names of the calls this mode makes that fuzz.c's table lacks, for messages. */
static const struct { long nr; const char *name; } fs_call_names[] = {
	{ SYS_mkdirat, "mkdirat" }, { SYS_mknodat, "mknodat" }, { SYS_unlinkat, "unlinkat" },
	{ SYS_renameat2, "renameat2" }, { SYS_linkat, "linkat" }, { SYS_symlinkat, "symlinkat" },
	{ SYS_fchmodat, "fchmodat" }, { SYS_fchmod, "fchmod" }, { SYS_fchownat, "fchownat" },
	{ SYS_fchown, "fchown" }, { SYS_utimensat, "utimensat" }, { SYS_statfs, "statfs" },
	{ SYS_fstatfs, "fstatfs" }, { SYS_fsync, "fsync" }, { SYS_fdatasync, "fdatasync" },
	{ SYS_sync, "sync" }, { SYS_syncfs, "syncfs" }, { SYS_ftruncate, "ftruncate" },
	{ SYS_truncate, "truncate" }, { SYS_fallocate, "fallocate" }, { SYS_pwrite64, "pwrite64" },
	{ SYS_pwritev, "pwritev" }, { SYS_preadv, "preadv" }, { SYS_mount, "mount" },
	{ SYS_umount2, "umount2" }, { SYS_fchdir, "fchdir" }, { SYS_flock, "flock" },
	{ SYS_sendfile, "sendfile" }, { SYS_copy_file_range, "copy_file_range" },
	{ SYS_msync, "msync" }, { SYS_mremap, "mremap" }, { SYS_faccessat2, "faccessat2" },
	{ FS_TOUCH, "load/store in a file mapping" }, { FS_RACE, "fork for a rename race" },
	{ FS_CHILD, "a forked child died" },
};

#define P(p) ((uint64_t)(uintptr_t)(p)) /* a pointer as an argument */

/* fs_name - the name of call nr for messages, or NULL if this mode does not know it. */
static const char *fs_name(long nr)
{
	for (size_t i = 0; i < sizeof(fs_call_names) / sizeof(fs_call_names[0]); i++)
		if (fs_call_names[i].nr == nr)
			return fs_call_names[i].name;
	return NULL;
}

/* fs_call - record call nr with arguments a in the slot, make it; the result or -errno. */
static long fs_call(long nr, const uint64_t *a)
{
	long r;

	fs_slot->nr = nr;
	for (int k = 0; k < 6; k++)
		fs_slot->args[k] = a[k];
	r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	r = r == -1 ? -errno : r;
	if (fs_verbose) {
		char strs[600] = "";

		for (int k = 0; k < 6; k++) /* the paths and targets this call was given */
			if (a[k] == P(fs_pbuf[0]) || a[k] == P(fs_pbuf[1]) || a[k] == P(fs_tbuf) ||
			    a[k] == P(fs_root))
				snprintf(strs + strlen(strs), sizeof(strs) - strlen(strs), " \"%.120s\"",
					 (const char *)(uintptr_t)a[k]);
		dprintf(2, "fuzz[%llu] %llu: %s(%#llx, %#llx, %#llx, %#llx, %#llx, %#llx) = %ld%s\n",
			(unsigned long long)fs_slot->seed, (unsigned long long)fs_slot->iter,
			fs_name(nr) ? fs_name(nr) : call_name(nr), (unsigned long long)a[0],
			(unsigned long long)a[1], (unsigned long long)a[2], (unsigned long long)a[3],
			(unsigned long long)a[4], (unsigned long long)a[5], r, strs);
	}
	return r;
}

/* FSC(nr, args...) - fs_call with up to six arguments (missing ones are 0). */
#define FSC(nr, ...) fs_call((nr), (const uint64_t[6]){ __VA_ARGS__ })

/* ---- paths ---------------------------------------------------------------------------- */

/* fs_put - append s to buf at *n (the buffers are sized for the longest path made). */
static void fs_put(char *buf, size_t *n, const char *s)
{
	size_t l = strlen(s);

	memcpy(buf + *n, s, l + 1);
	*n += l;
}

/*
 * fs_path - a path argument, built in buf as the rules at the top say. With climb it may
 * go up once from its start; *climbed (if not NULL) says whether it did. Sometimes a bad
 * pointer, an unterminated string running into the arena's guard page, or an overlong path.
 */
static uint64_t fs_path(char *buf, int climb, int *climbed)
{
	int dummy, comps = 1 + (int)below(3);
	size_t n = 0;

	climbed = climbed ? climbed : &dummy;
	*climbed = 0;
	switch (below(50)) {
	case 0: return 0;
	case 1: return bad_input();
	case 2: memset(arena + ARENA_SIZE - 64, 'a', 64); return P(arena + ARENA_SIZE - 64);
	case 3: return P("");
	case 4: return P(chance(50) ? "." : "./");
	case 5: return P(long_path);
	case 6: return P(fs_deep);
	case 7:
		if (!climb)
			return P(".");
		*climbed = 1;
		return P(chance(50) ? ".." : "../");
	}
	if (chance(10)) {
		fs_put(buf, &n, fs_root);
		fs_put(buf, &n, "/");
	} else if (climb && chance(12)) {
		fs_put(buf, &n, "../");
		*climbed = 1;
	}
	for (int i = 0; i < comps; i++) {
		if (i)
			fs_put(buf, &n, chance(5) ? "//" : "/");
		if (chance(8))
			fs_put(buf, &n, "./");
		if (chance(8)) { /* down and up again: back where the name was looked up */
			fs_put(buf, &n, PICK(fs_names));
			fs_put(buf, &n, "/../");
		}
		fs_put(buf, &n, PICK(fs_names));
	}
	if (chance(10))
		fs_put(buf, &n, "/");
	return P(buf);
}

/* fs_target_ok - whether path may also be a symlink's target: it names something, no "..". */
static int fs_target_ok(const char *path)
{
	return !strstr(path, "..") && strspn(path, "./") < strlen(path) &&
	       (path[0] != '/' || !strncmp(path, fs_root, strlen(fs_root)));
}

/* fs_target - a symlink target (never climbing: see the top); self is the link's path. */
static uint64_t fs_target(uint64_t self)
{
	size_t n = 0;

	switch (below(20)) {
	case 0: return P("");
	case 1: return bad_input();
	case 2: /* just under PATH_MAX: resolves deep or loops */
		for (n = 0; n + 2 < 4095; n += 2)
			memcpy(fs_tbuf + n, "a/", 2);
		fs_tbuf[n] = '\0';
		return P(fs_tbuf);
	case 3: return P(fs_name256);
	case 4:
		fs_put(fs_tbuf, &n, fs_root);
		fs_put(fs_tbuf, &n, "/");
		fs_put(fs_tbuf, &n, PICK(fs_names));
		return P(fs_tbuf);
	case 5:
	case 6: /* itself: a loop */
		if ((self == P(fs_pbuf[0]) || self == P(fs_pbuf[1])) && fs_target_ok((const char *)self))
			return self;
		break;
	case 7: return P("nothere/x");
	}
	fs_put(fs_tbuf, &n, PICK(fs_names));
	if (chance(30)) {
		fs_put(fs_tbuf, &n, "/");
		fs_put(fs_tbuf, &n, PICK(fs_names));
	}
	if (chance(10))
		fs_put(fs_tbuf, &n, "/");
	return P(fs_tbuf);
}

/* ---- descriptors --------------------------------------------------------------------- */

/* fs_keep - remember new fd r (if it is one) of this kind; close it if it is too high. */
static void fs_keep(long r, int kind)
{
	if (r < 3)
		return;
	if (r >= FD_KEEP) {
		close((int)r);
		return;
	}
	fd_kind[r] = (unsigned char)kind;
	for (int i = 0; i < nfds; i++)
		if (fds[i] == r)
			return;
	fds[nfds++] = (int)r;
}

/*
 * Numbers never open in a worker (one we get at FD_KEEP or above is closed at once): the
 * candidates that fs_worker() found closed, since under qemu-user the emulator's own
 * descriptors share the numbers.
 */
static const int64_t fs_closed_cands[] = { -1, FD_KEEP + 3, 1000, 65536, INT_MAX };
static uint64_t fs_closed_fds[8] = { (uint64_t)-1 };
static int fs_nclosed = 1;

/* fs_fd - a descriptor: mostly one of ours that is open, else one closed since or never open. */
static uint64_t fs_fd(void)
{
	int open[FD_KEEP], n = 0;

	for (int i = 0; i < nfds; i++)
		if (fd_kind[fds[i]] != FK_CLOSED)
			open[n++] = fds[i];
	if (n && chance(85))
		return open[below(n)];
	if (nfds && chance(50))
		return fds[below(nfds)];
	return fs_closed_fds[below(fs_nclosed)];
}

/* fs_dirfd - a start point: AT_FDCWD, an FK_START descriptor, or one never open. */
static uint64_t fs_dirfd(void)
{
	int starts[FD_KEEP], n = 0;

	if (chance(55))
		return (uint64_t)AT_FDCWD;
	for (int i = 0; i < nfds; i++)
		if (fd_kind[fds[i]] == FK_START)
			starts[n++] = fds[i];
	if (n && chance(85))
		return starts[below(n)];
	return fs_closed_fds[below(fs_nclosed)];
}

/* fs_closed - fd (any number) was closed by a successful call. */
static void fs_closed(uint64_t fd)
{
	if (fd < FD_KEEP)
		fd_kind[fd] = FK_CLOSED;
}

#include "fuzz_fs_ops.c"

/* ---- the worker ------------------------------------------------------------------------- */

/* fs_on_fault - SIGSEGV/SIGBUS: back out of a touch; elsewhere die of it on return. */
static void fs_on_fault(int sig)
{
	if (fs_in_touch) {
		fs_in_touch = 0;
		siglongjmp(fs_jmp, sig);
	}
	signal(sig, SIG_DFL);
}

static const char *fs_only; /* $FUZZ_FS_ONLY: the step kinds to draw (for bisecting) */

/*
 * fs_step - one step: a call (or a few, for mappings and races) drawn from the mix. With
 * $FUZZ_FS_ONLY set, only the kinds it names (letters as below) are made.
 */
static void fs_step(void)
{
	static const char kinds[] = "ooooooooooooooffffffffiiiiiiiiiiiiiiiiiiiinnnnnnnn"
				   "nnnnnnnnnnnnmmmmmmmmmmmmmmmmpppppppcccddddMMMMrxxx";
	char k;

	do
		k = kinds[below(sizeof(kinds) - 1)];
	while (fs_only && !strchr(fs_only, k));
	switch (k) {
	case 'o': fs_open(); break;
	case 'f': fs_fdops(); break;
	case 'i': fs_io(); break;
	case 'n': fs_names_op(); break;
	case 'm': fs_meta(); break;
	case 'p': fs_mmap(); break;
	case 'c': fs_copy(); break;
	case 'd': fs_chdir(); break;
	case 'M': fs_mount(); break;
	case 'r': fs_race(); break;
	default: /* keep the number of open files moderate */
		if (nfds && FSC(SYS_close, fds[0]) == 0)
			fs_closed(fds[0]);
		break;
	}
}

/*
 * fs_worker - the file-system mode's worker: iters steps from this seed on the pool,
 * recorded in s like the fuzzer's calls; never returns.
 */
static void fs_worker(struct slot *s, uint64_t seed, long iters, const char *self, int verbose)
{
	struct sigaction sa = { .sa_handler = fs_on_fault, .sa_flags = SA_NODEFER };

	worker_setup(seed, self);
	for (int i = 0; i < nfds; i++) /* nothing from outside the pool stays open */
		close(fds[i]);
	nfds = 0;
	for (size_t i = 1; i < sizeof(fs_closed_cands) / sizeof(fs_closed_cands[0]); i++)
		if (fcntl((int)fs_closed_cands[i], F_GETFD) < 0 && errno == EBADF)
			fs_closed_fds[fs_nclosed++] = (uint64_t)fs_closed_cands[i];
	fs_slot = s;
	fs_verbose = verbose;
	fs_only = getenv("FUZZ_FS_ONLY");
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	signal(SIGXFSZ, SIG_IGN);
	alarm(FS_ALARM);
	if (chdir(fs_root) < 0)
		_exit(3);
	/* Off Holstein, a root worker is also fenced in by chroot (see the top). */
	if (!holstein && chroot(fs_scratch) == 0)
		snprintf(fs_root, sizeof(fs_root), "/mnt/pool");
	umask(chance(80) ? 022 : (mode_t)below(01000));
	for (long i = 0; i < iters; i++) {
		s->iter = i;
		fs_step();
	}
	s->iter = iters;
	_exit(0);
}

#include "fuzz_fs_pool.c"
