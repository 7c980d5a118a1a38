/*
 * fuzz_fs_ops.c - the steps of the fuzzer's file-system mode, included by fuzz_fs.c, which
 * says what each path, symlink target and descriptor drawn here may be (and why).
 * Nothing here can block for long: FIFOs are only ever open with O_NONBLOCK (F_SETFL
 * keeps it), locks are only tried (F_SETLK, LOCK_NB), forked children only make calls.
 */

/* fs_len - a length for I/O: mostly up to a few pages, sometimes huge or "negative". */
static uint64_t fs_len(void)
{
	static const uint64_t lens[] = { 0, 1, 100, 4095, 4096, 4097, 8192, ARENA_SIZE,
					 SIZE_MAX, (uint64_t)-4096, 1UL << 31, INT_MAX };

	return chance(40) ? below(3 * PAGE_SIZE) : PICK(lens);
}

/* fs_off - a file offset or size: small, page edges, beyond the pool, huge or negative. */
static uint64_t fs_off(void)
{
	static const uint64_t offs[] = { 0, 1, 4095, 4096, 4097, 65536, 1UL << 20, 8UL << 20,
					 1UL << 40, LONG_MAX, LONG_MAX - 4095, (uint64_t)-1,
					 (uint64_t)-4096, (uint64_t)LONG_MIN, 0x7fffffff, 0x80000000 };

	return chance(40) ? below(16 * PAGE_SIZE) : PICK(offs);
}

/* fs_mode - permission bits: usual ones, none, all, or junk above them. */
static uint64_t fs_mode(void)
{
	static const uint64_t modes[] = { 0644, 0755, 0600, 0, 07777, 0444, 0111, 01777, 04755 };

	return chance(85) ? PICK(modes) : below(0200000);
}

/*
 * fs_iov - fill the iovec array (bases from buf_ptr(), lengths mostly small) and pick a
 * count: a count past our 8 entries is only ever made for writes, or above UIO_MAXIOV
 * (refused), so a read never lands in memory the worker itself uses.
 */
static uint64_t fs_iov(int reading, uint64_t *vlen)
{
	static const uint64_t bad[] = { 1025, 1UL << 31, (uint64_t)-1 };

	for (int i = 0; i < 8; i++) {
		iovs[i].iov_base = (void *)(uintptr_t)buf_ptr();
		iovs[i].iov_len = chance(70) ? below(2 * PAGE_SIZE) : fs_len();
	}
	*vlen = chance(90) ? below(9) : PICK(bad);
	if (!reading && chance(3))
		*vlen = 1024;
	return chance(95) ? P(iovs) : bad_input();
}

/* fs_open - openat with random flags and mode; FIFOs always non-blocking. */
static void fs_open(void)
{
	static const uint64_t extra[] = { O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY,
					  O_NOFOLLOW, O_CLOEXEC, O_PATH, O_TMPFILE, O_SYNC,
					  O_DSYNC, O_NOATIME, O_NOCTTY, O_LARGEFILE };
	static const unsigned pct[] = { 50, 12, 15, 15, 10, 10, 30, 5, 3, 4, 4, 3, 3, 10 };
	uint64_t flags = below(4), dirfd = fs_dirfd(); /* O_RDONLY, O_WRONLY, O_RDWR and 3 */
	int climbed;
	uint64_t path = fs_path(fs_pbuf[0], chance(30), &climbed);

	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		if (chance(pct[i]))
			flags |= extra[i];
	if (chance(2))
		flags |= rnd() & 0xffffffff & ~(uint64_t)O_ASYNC;
	fs_keep(FSC(SYS_openat, dirfd, path, flags | O_NONBLOCK, fs_mode()),
		climbed ? FK_OTHER : FK_START);
}

/* fs_fdops - close, dup, dup3 and F_DUPFD to large numbers, fd flags, locks, flock. */
static void fs_fdops(void)
{
	static const uint64_t high[] = { FD_KEEP + 1, 100, 1000, 1023, 1024, 4095, 4096, 65535,
					 65536, 1 << 20, INT_MAX, (uint64_t)-1 };
	static const uint64_t lock_cmds[] = { F_SETLK, F_GETLK, F_OFD_SETLK, F_OFD_GETLK };
	static const uint64_t flock_ops[] = { LOCK_SH, LOCK_EX, LOCK_UN, 0, 7 };
	static const short types[] = { F_RDLCK, F_WRLCK, F_UNLCK, 7 };
	static const short whences[] = { SEEK_SET, SEEK_CUR, SEEK_END, 9 };
	static struct flock lk;
	uint64_t fd = fs_fd(), nfd = chance(50) ? 3 + below(FD_KEEP - 3) : PICK(high);
	int kind = fd < FD_KEEP ? fd_kind[fd] : FK_CLOSED;

	switch (below(9)) {
	case 0:
	case 1:
		if (FSC(SYS_close, fd) == 0)
			fs_closed(fd);
		break;
	case 2: fs_keep(FSC(SYS_dup, fd), kind); break;
	case 3:
		fs_keep(FSC(SYS_dup3, fd, nfd, chance(80) ? O_CLOEXEC * below(2) : flags_val()), kind);
		break;
	case 4:
		fs_keep(FSC(SYS_fcntl, fd, chance(50) ? F_DUPFD : F_DUPFD_CLOEXEC, nfd), kind);
		break;
	case 5:
		FSC(SYS_fcntl, fd, F_SETFL, (flags_val() | O_NONBLOCK) & ~(uint64_t)O_ASYNC);
		break;
	case 6: FSC(SYS_fcntl, fd, PICK(((const uint64_t[]){ F_GETFL, F_GETFD, F_SETFD })), below(4)); break;
	case 7:
		lk = (struct flock){ .l_type = PICK(types), .l_whence = PICK(whences),
				     .l_start = (off_t)(chance(50) ? below(8192) : fs_off()),
				     .l_len = (off_t)(chance(50) ? below(8192) : fs_off()) };
		FSC(SYS_fcntl, fd, PICK(lock_cmds), chance(90) ? P(&lk) : bad_input());
		break;
	default: FSC(SYS_flock, fd, PICK(flock_ops) | LOCK_NB); break;
	}
}

/* fs_io - reads and writes (plain, positional, vectored), lseek, truncation, fallocate, getdents64. */
static void fs_io(void)
{
	static const uint64_t whence[] = { SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA, SEEK_HOLE, 5,
					   (uint64_t)-1 };
	static const uint64_t dlens[] = { 0, 1, 23, 24, 64, 280, 4096, ARENA_SIZE, (uint64_t)-1 };
	static const uint64_t falloc[] = { 0, 0, 0, FALLOC_FL_KEEP_SIZE,
					   FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
					   FALLOC_FL_PUNCH_HOLE, FALLOC_FL_ZERO_RANGE,
					   FALLOC_FL_COLLAPSE_RANGE, FALLOC_FL_INSERT_RANGE, 0x100,
					   (uint64_t)-1 };
	uint64_t fd = fs_fd(), buf = buf_ptr(), len = fs_len(), off = fs_off(), vlen, iov;

	switch (below(14)) {
	case 0: FSC(SYS_write, fd, buf, len); break;
	case 1: FSC(SYS_pwrite64, fd, buf, len, off); break;
	case 2: iov = fs_iov(0, &vlen); FSC(SYS_pwritev, fd, iov, vlen, off); break;
	case 3: iov = fs_iov(0, &vlen); FSC(SYS_writev, fd, iov, vlen); break;
	case 4: FSC(SYS_read, fd, buf, len); break;
	case 5: FSC(SYS_pread64, fd, buf, len, off); break;
	case 6: iov = fs_iov(1, &vlen); FSC(SYS_preadv, fd, iov, vlen, off); break;
	case 7: iov = fs_iov(1, &vlen); FSC(SYS_readv, fd, iov, vlen); break;
	case 8: FSC(SYS_lseek, fd, chance(50) ? below(3 * PAGE_SIZE) : off, PICK(whence)); break;
	case 9: FSC(SYS_ftruncate, fd, off); break;
	case 10: FSC(SYS_truncate, fs_path(fs_pbuf[0], 1, NULL), off); break;
	case 11:
		len = chance(60) ? below(4 * PAGE_SIZE) : fs_off();
		if (!holstein && len > FS_COPY_MAX && (int64_t)len > 0)
			len = FS_COPY_MAX; /* the host's disk: real blocks */
		FSC(SYS_fallocate, fd, PICK(falloc), chance(50) ? below(16 * PAGE_SIZE) : off, len);
		break;
	case 12: FSC(SYS_getdents64, fd, buf, PICK(dlens)); break;
	default: FSC(SYS_lseek, fd, 0, SEEK_SET); break;
	}
}

/* fs_names_op - mkdirat, mknodat (files, FIFOs, sockets), unlinkat, renameat2, linkat, symlinkat. */
static void fs_names_op(void)
{
	static const uint64_t rflags[] = { 0, 0, 0, RENAME_NOREPLACE, RENAME_EXCHANGE,
					   RENAME_NOREPLACE | RENAME_EXCHANGE, RENAME_WHITEOUT, 8,
					   (uint64_t)-1 };
	static const uint64_t lflags[] = { 0, 0, AT_SYMLINK_FOLLOW, AT_EMPTY_PATH, 1, (uint64_t)-1 };
	static const uint64_t uflags[] = { 0, 0, AT_REMOVEDIR, 1, AT_REMOVEDIR | 1 };
	static const uint64_t types[] = { 0, S_IFREG, S_IFIFO, S_IFSOCK };
	uint64_t d1 = fs_dirfd(), d2 = fs_dirfd(), f;
	uint64_t p1 = fs_path(fs_pbuf[0], 1, NULL), p2 = fs_path(fs_pbuf[1], 1, NULL);

	switch (below(8)) {
	case 0: FSC(SYS_mkdirat, d1, p1, fs_mode()); break;
	case 1: FSC(SYS_mknodat, d1, p1, PICK(types) | (fs_mode() & 07777), 0); break;
	case 2:
	case 3: FSC(SYS_unlinkat, d1, p1, PICK(uflags)); break;
	case 4:
	case 5:
		f = PICK(rflags);
		if (!holstein && f == RENAME_WHITEOUT) /* a device node on the host: none */
			f = 0;
		FSC(SYS_renameat2, d1, p1, d2, p2, f);
		break;
	case 6: FSC(SYS_linkat, d1, p1, d2, p2, PICK(lflags)); break;
	default: FSC(SYS_symlinkat, fs_target(p2), d2, p2); break;
	}
}

/* fs_times - utimensat's times: NULL, two prepared timespecs (UTIME_NOW/OMIT, bad nsec), bad. */
static uint64_t fs_times(void)
{
	static const long nsecs[] = { 0, 1, 999999999, UTIME_NOW, UTIME_OMIT, 1000000000, -1 };
	static struct timespec ts[2];

	for (int i = 0; i < 2; i++) {
		ts[i].tv_sec = chance(70) ? (time_t)below(2000000000) : (time_t)rnd();
		ts[i].tv_nsec = PICK(nsecs);
	}
	return chance(20) ? 0 : chance(90) ? P(ts) : bad_input();
}

/* fs_meta - modes, owners, times, stat calls, statfs, access, readlinkat, the sync calls. */
static void fs_meta(void)
{
	static const uint64_t atflags[] = { 0, 0, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH,
					    AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, AT_NO_AUTOMOUNT,
					    AT_STATX_FORCE_SYNC, 1 };
	static const uint64_t ids[] = { 0, 0, 1000, 65534, (uint32_t)-1, 12345 };
	static const uint64_t masks[] = { STATX_BASIC_STATS, STATX_ALL, 0, 0xffffffff, STATX_SIZE };
	static const uint64_t amodes[] = { F_OK, R_OK, W_OK, X_OK, R_OK | W_OK | X_OK, 8 };
	static const uint64_t a2flags[] = { 0, AT_EACCESS, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, 1 };
	uint64_t d = fs_dirfd(), p = fs_path(fs_pbuf[0], 1, NULL), fd = fs_fd(), buf = buf_ptr();
	uint64_t fl = PICK(atflags);

	switch (below(16)) {
	case 0: FSC(SYS_fchmodat, d, p, fs_mode()); break;
	case 1: FSC(SYS_fchmod, fd, fs_mode()); break;
	case 2: FSC(SYS_fchownat, d, p, PICK(ids), PICK(ids), fl); break;
	case 3: FSC(SYS_fchown, fd, PICK(ids), PICK(ids)); break;
	case 4: FSC(SYS_utimensat, d, chance(15) ? 0 : p, fs_times(), fl); break;
	case 5: FSC(SYS_statx, d, p, fl, PICK(masks), buf); break;
	case 6: FSC(SYS_newfstatat, d, p, buf, fl); break;
	case 7: FSC(SYS_fstat, fd, buf); break;
	case 8: FSC(SYS_statfs, p, buf); break;
	case 9: FSC(SYS_fstatfs, fd, buf); break;
	case 10: FSC(SYS_faccessat, d, p, PICK(amodes)); break;
	case 11: FSC(SYS_faccessat2, d, p, PICK(amodes), PICK(a2flags)); break;
	case 12: FSC(SYS_readlinkat, d, p, buf, chance(70) ? below(300) : fs_len()); break;
	case 13: FSC(chance(50) ? SYS_fsync : SYS_fdatasync, fd); break;
	case 14: FSC(SYS_syncfs, fd); break;
	default: FSC(holstein ? SYS_sync : SYS_fsync, fd); break; /* not the host's disks */
	}
}

/* fs_copy - sendfile and copy_file_range between any two of our descriptors. */
static void fs_copy(void)
{
	static loff_t offs[2];
	uint64_t in = fs_fd(), out = fs_fd(), len = chance(70) ? below(3 * PAGE_SIZE) : fs_len();

	offs[0] = (loff_t)(chance(60) ? below(16 * PAGE_SIZE) : fs_off());
	offs[1] = (loff_t)(chance(60) ? below(16 * PAGE_SIZE) : fs_off());
	if (!holstein && len > FS_COPY_MAX)
		len = FS_COPY_MAX;
	if (chance(50))
		FSC(SYS_sendfile, out, in, chance(50) ? P(&offs[0]) : chance(80) ? 0 : bad_input(), len);
	else
		FSC(SYS_copy_file_range, in, chance(50) ? P(&offs[0]) : 0, out,
		    chance(50) ? P(&offs[1]) : 0, len, chance(90) ? 0 : flags_val());
}

/*
 * fs_chdir - chdir to the pool or down a path, or fchdir to a start point. Off Holstein
 * the new cwd is checked to be inside the scratch directory (the rules at the top of
 * fuzz_fs.c say it must be); a worker outside stops at once with status 5.
 */
static void fs_chdir(void)
{
	char cwd[4200];
	long r;

	switch (below(4)) {
	case 0: r = FSC(SYS_chdir, P(fs_root)); break;
	case 1: r = FSC(SYS_fchdir, fs_dirfd()); break;
	default: r = FSC(SYS_chdir, fs_path(fs_pbuf[0], 0, NULL)); break;
	}
	if (r == 0 && !holstein && getcwd(cwd, sizeof(cwd)) && cwd[0] == '/' &&
	    strncmp(cwd, fs_root, strlen(fs_root) - strlen("/pool"))) {
		printf("fuzz: worker seed %llu left the pool: its cwd is %s\n",
		       (unsigned long long)fs_slot->seed, cwd);
		fflush(stdout);
		_exit(5);
	}
}

/*
 * fs_mount - Holstein only (and unless fuzz_opts.fs_no_mount): mount a small tmpfs (or
 * proc, or junk) on a pool path, or umount2.
 */
static void fs_mount(void)
{
	/*
	 * No "proc": a proc mounted over the pool itself, with the whole mix running through
	 * it, drains the machine's memory (a kernel bug left open; plain proc mounts, used and
	 * unmounted, give everything back).
	 */
	static const char *const types[] = { "tmpfs", "tmpfs", "tmpfs", "nofs", NULL };
	static const char *const opts[] = { "size=64k", "size=256k", "size=1m", "size=512k,mode=0700",
					    "nr_inodes=16,size=128k", "size=0", "size=", "size=abc" };
	static const uint64_t mflags[] = { 0, 0, 0, MS_RDONLY, MS_REMOUNT, MS_NOSUID | MS_NODEV,
					   MS_BIND, MS_MOVE, 1UL << 30 };
	static const uint64_t uflags[] = { 0, 0, MNT_DETACH, MNT_FORCE, MNT_EXPIRE,
					   UMOUNT_NOFOLLOW, 0x100 };
	uint64_t path = fs_path(fs_pbuf[0], 0, NULL), flags = PICK(mflags);
	const char *type = PICK(types), *data = PICK(opts);

	if (!holstein || fs_no_mount) {
		fs_meta();
		return;
	}
	if (chance(40)) {
		FSC(SYS_umount2, path, PICK(uflags));
		return;
	}
	if (fs_mounts >= FS_MAX_MOUNTS && !(flags & MS_REMOUNT))
		return;
	/* Never a tmpfs without size=: its default is half the machine. */
	if (chance(10) && (!type || strcmp(type, "tmpfs")) && !(flags & MS_REMOUNT))
		data = NULL;
	if (FSC(SYS_mount, P("none"), path, P(type), flags, P(data)) == 0 && !(flags & MS_REMOUNT))
		fs_mounts++;
}

/* fs_touch - load from (or store v to) p, surviving SIGSEGV and SIGBUS; recorded as a step. */
static void fs_touch(char *p, int store, uint64_t v)
{
	fs_slot->nr = FS_TOUCH;
	fs_slot->args[0] = P(p);
	fs_slot->args[1] = (uint64_t)store;
	if (sigsetjmp(fs_jmp, 1) == 0) {
		fs_in_touch = 1;
		if (store)
			*(volatile char *)p = (char)v;
		else
			(void)*(volatile char *)p;
	}
	fs_in_touch = 0;
}

/*
 * fs_reap - wait for child pid of this worker; if a signal other than the kernel's
 * SIGKILL killed it, the worker dies of the same one (the parent reports it).
 */
static void fs_reap(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return;
	if (WIFSIGNALED(st) && WTERMSIG(st) != SIGKILL) {
		fs_slot->nr = FS_CHILD;
		fs_slot->args[0] = (uint64_t)WTERMSIG(st);
		signal(WTERMSIG(st), SIG_DFL);
		kill(getpid(), WTERMSIG(st));
	}
}

/*
 * fs_mmap - map one of our descriptors and run a few steps on the mapping: loads and
 * stores, truncation under it, I/O with the mapping as the buffer, msync, madvise,
 * mprotect, mremap, and a forked child touching it; then unmap.
 */
static void fs_mmap(void)
{
	static const uint64_t prots[] = { PROT_READ, PROT_READ | PROT_WRITE, PROT_WRITE, PROT_NONE,
					  PROT_READ | PROT_EXEC };
	static const uint64_t types[] = { MAP_SHARED, MAP_PRIVATE, MAP_SHARED_VALIDATE,
					  MAP_SHARED | MAP_POPULATE, MAP_PRIVATE | MAP_POPULATE,
					  MAP_SHARED | MAP_NORESERVE };
	static const uint64_t offs[] = { 0, 0, 4096, 8192, 1UL << 20, 1UL << 40, (uint64_t)-4096, 100 };
	static const uint64_t msyncs[] = { MS_SYNC, MS_ASYNC, MS_INVALIDATE, 0, 7 };
	static const uint64_t advice[] = { MADV_DONTNEED, MADV_WILLNEED, MADV_NORMAL, MADV_REMOVE,
					   MADV_FREE, MADV_SEQUENTIAL };
	uint64_t fd = fs_fd(), len = (1 + below(8)) * PAGE_SIZE, nlen;
	long r = FSC(SYS_mmap, 0, len, PICK(prots), PICK(types), fd, PICK(offs));
	char *map = (char *)r;
	pid_t pid;

	if (r < 0 && r > -4096)
		return;
	for (int step = 0, steps = 1 + (int)below(8); step < steps; step++) {
		switch (below(11)) {
		case 0 ... 3: fs_touch(map + below(len), chance(50), rnd()); break;
		case 4: FSC(SYS_ftruncate, fd, chance(50) ? below(len + PAGE_SIZE) : PAGE_SIZE * below(9)); break;
		case 5: /* the kernel copies from and to the mapping, maybe of the same file */
			FSC(chance(50) ? SYS_pwrite64 : SYS_pread64, fs_fd(), P(map + below(len)),
			    below(len + PAGE_SIZE), below(16 * PAGE_SIZE));
			break;
		case 6: FSC(SYS_msync, P(map) + PAGE_SIZE * below(2), len / 2, PICK(msyncs)); break;
		case 7: FSC(SYS_madvise, P(map), len, PICK(advice)); break;
		case 8: FSC(SYS_mprotect, P(map), len, PICK(prots)); break;
		case 9:
			nlen = (1 + below(8)) * PAGE_SIZE;
			r = FSC(SYS_mremap, P(map), len, nlen, MREMAP_MAYMOVE);
			if (r >= 0 || r < -4095) {
				map = (char *)r;
				len = nlen;
			}
			break;
		default:
			fs_slot->nr = SYS_clone;
			fflush(NULL);
			if ((pid = fork()) == 0) {
				fs_slot = &fs_own_slot;
				for (int i = 0; i < 4; i++)
					fs_touch(map + below(len), chance(50), rnd());
				_exit(0);
			}
			if (pid > 0)
				fs_reap(pid);
			break;
		}
	}
	FSC(SYS_munmap, P(map), len);
}

/*
 * fs_race - fork; parent and child both make 16 quick renames (plain and exchanging),
 * creations and removals among the short names of the cwd, then the parent reaps.
 */
static void fs_race(void)
{
	static const uint64_t rflags[] = { 0, 0, RENAME_NOREPLACE, RENAME_EXCHANGE };
	pid_t pid;

	fs_slot->nr = FS_RACE;
	fflush(NULL);
	if ((pid = fork()) < 0)
		return;
	if (pid == 0) {
		fs_slot = &fs_own_slot;
		rng_state ^= 0x5bd1e9955bd1e995ULL; /* its own steps, still repeatable */
	}
	for (int i = 0; i < 16; i++) {
		const char *x = fs_names[below(FS_SHORT)], *y = fs_names[below(FS_SHORT)];
		long fd;

		switch (below(5)) {
		case 0:
		case 1: FSC(SYS_renameat2, AT_FDCWD, P(x), AT_FDCWD, P(y), PICK(rflags)); break;
		case 2:
			fd = FSC(SYS_openat, AT_FDCWD, P(x), O_WRONLY | O_CREAT | O_NONBLOCK | O_CLOEXEC, 0644);
			if (fd >= 0) {
				FSC(SYS_write, fd, P(arena), below(2 * PAGE_SIZE));
				FSC(SYS_close, fd);
			}
			break;
		case 3: FSC(SYS_unlinkat, AT_FDCWD, P(x), chance(30) ? AT_REMOVEDIR : 0); break;
		default: FSC(SYS_mkdirat, AT_FDCWD, P(x), 0755); break;
		}
	}
	if (pid == 0)
		_exit(0);
	fs_reap(pid);
}
