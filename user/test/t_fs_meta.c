/*
 * t_fs_meta - a file's metadata on a writable file system, as Linux behaves: stat's size,
 * blocks and links, the three times (utimensat with UTIME_NOW and UTIME_OMIT, futimens,
 * write moving mtime and ctime), statx agreeing with stat, statfs/fstatfs, and
 * fsync/fdatasync/sync/syncfs.
 *
 * Runs in a fresh scratch directory under /tmp (user/lib/scratch.h), removed at the end.
 * Under the oracle /tmp may be any file system, so only what every Linux file system
 * promises is checked there; on Holstein /tmp is tmpfs and its magic number is checked.
 */
#include "ulib.h"
#include "scratch.h"
#include <linux/magic.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

/* ts_is - whether a timestamp is exactly sec.nsec. */
static int ts_is(struct timespec t, long sec, long nsec)
{
	return t.tv_sec == sec && t.tv_nsec == nsec;
}

/* ts_cmp - compare two timestamps: <0, 0, >0. */
static int ts_cmp(struct timespec a, struct timespec b)
{
	if (a.tv_sec != b.tv_sec)
		return a.tv_sec < b.tv_sec ? -1 : 1;
	return a.tv_nsec < b.tv_nsec ? -1 : a.tv_nsec > b.tv_nsec;
}

/*
 * recent - whether t is "now" as a file system records it: not before a clock reading
 * taken earlier minus one second (file times come from a coarse clock that may lag the
 * one clock_gettime reads), and not after a reading taken now.
 */
static int recent(struct timespec t, struct timespec before)
{
	struct timespec after;

	clock_gettime(CLOCK_REALTIME, &after);
	return t.tv_sec >= before.tv_sec - 1 && ts_cmp(t, after) <= 0;
}

/* check_stat - what stat says about a new file, a grown file and a directory. */
static void check_stat(void)
{
	static char buf[3 * 4096];
	struct stat st, st2;
	int fd = open("s", O_CREAT | O_RDWR | O_TRUNC, 0644);

	if (!CHECK(fd >= 0, "create s"))
		return;
	CHECK(fstat(fd, &st) == 0 && st.st_size == 0 && st.st_nlink == 1 && st.st_ino != 0 &&
		      st.st_blksize > 0,
	      "a new file: size 0, one link, an inode number, a block size");
	CHECK(write(fd, buf, sizeof(buf)) == (long)sizeof(buf) && fstat(fd, &st) == 0 &&
		      st.st_size == (off_t)sizeof(buf),
	      "st_size follows a write");
	/* Allocation policy differs between file systems: only bound it. */
	CHECK(st.st_blocks * 512 >= 4096 && st.st_blocks * 512 <= (blkcnt_t)sizeof(buf) + 64 * 1024,
	      "st_blocks is plausible for 12 KiB (%lld)", (long long)st.st_blocks);
	CHECK(stat("s", &st2) == 0 && st2.st_ino == st.st_ino && st2.st_dev == st.st_dev &&
		      st2.st_size == st.st_size && st2.st_mode == st.st_mode,
	      "stat by path agrees with fstat");
	CHECK(fstatat(AT_FDCWD, "s", &st2, AT_SYMLINK_NOFOLLOW) == 0 && st2.st_ino == st.st_ino,
	      "fstatat(AT_SYMLINK_NOFOLLOW) on a file");
	CHECK(stat(".", &st2) == 0 && S_ISDIR(st2.st_mode) && st2.st_dev == st.st_dev,
	      "the directory is on the same device");
	CHECK(fstatat(fd, "", &st2, AT_EMPTY_PATH) == 0 && st2.st_ino == st.st_ino,
	      "fstatat(fd, \"\", AT_EMPTY_PATH) is fstat");
	CHECK_ERR(fstatat(AT_FDCWD, "", &st2, 0), ENOENT, "fstatat of \"\" without AT_EMPTY_PATH");
	CHECK_ERR(fstatat(AT_FDCWD, "s", &st2, 0x40000000), EINVAL, "fstatat with a bad flag");
	close(fd);
}

/* check_times - utimensat sets atime and mtime; UTIME_NOW and UTIME_OMIT; write moves them. */
static void check_times(void)
{
	struct timespec ts[2], before;
	struct stat st, st2;
	int fd = open("t", O_CREAT | O_RDWR | O_TRUNC, 0644);

	if (!CHECK(fd >= 0, "create t"))
		return;
	clock_gettime(CLOCK_REALTIME, &before);
	CHECK(fstat(fd, &st) == 0 && recent(st.st_mtim, before) && recent(st.st_ctim, before),
	      "a new file's mtime and ctime are now");
	ts[0] = (struct timespec){1000, 111};
	ts[1] = (struct timespec){2000, 222};
	CHECK(utimensat(AT_FDCWD, "t", ts, 0) == 0, "utimensat sets atime 1000 and mtime 2000");
	CHECK(stat("t", &st) == 0 && ts_is(st.st_atim, 1000, 111) && ts_is(st.st_mtim, 2000, 222),
	      "stat shows them to the nanosecond (%lld.%ld, %lld.%ld)",
	      (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec,
	      st.st_mtim.tv_nsec);
	CHECK(recent(st.st_ctim, before), "setting times moves ctime to now");

	ts[0] = (struct timespec){0, UTIME_OMIT};
	ts[1] = (struct timespec){3000, 5};
	CHECK(utimensat(AT_FDCWD, "t", ts, 0) == 0 && stat("t", &st) == 0 &&
		      ts_is(st.st_atim, 1000, 111) && ts_is(st.st_mtim, 3000, 5),
	      "UTIME_OMIT keeps atime while mtime is set");
	clock_gettime(CLOCK_REALTIME, &before);
	ts[0] = (struct timespec){0, UTIME_NOW};
	ts[1] = (struct timespec){0, UTIME_OMIT};
	CHECK(utimensat(AT_FDCWD, "t", ts, 0) == 0 && stat("t", &st) == 0 &&
		      recent(st.st_atim, before) && ts_is(st.st_mtim, 3000, 5),
	      "UTIME_NOW sets atime to now, UTIME_OMIT keeps mtime");
	ts[0] = (struct timespec){4000, 0};
	ts[1] = (struct timespec){5000, 0};
	CHECK(futimens(fd, ts) == 0 && fstat(fd, &st) == 0 && ts_is(st.st_atim, 4000, 0) &&
		      ts_is(st.st_mtim, 5000, 0),
	      "futimens sets both through the fd");
	CHECK(utimensat(AT_FDCWD, "t", NULL, 0) == 0 && stat("t", &st) == 0 &&
		      recent(st.st_atim, before) && recent(st.st_mtim, before),
	      "utimensat with NULL times sets both to now");
	ts[0] = (struct timespec){0, 1000000000};
	CHECK_ERR(utimensat(AT_FDCWD, "t", ts, 0), EINVAL, "a tv_nsec of 10^9 -> EINVAL");
	ts[0] = (struct timespec){0, -1};
	CHECK_ERR(utimensat(AT_FDCWD, "t", ts, 0), EINVAL, "a negative tv_nsec -> EINVAL");
	CHECK_ERR(utimensat(AT_FDCWD, "missing", NULL, 0), ENOENT, "utimensat of a missing file");

	ts[0] = (struct timespec){1000, 0};
	ts[1] = (struct timespec){2000, 0};
	utimensat(AT_FDCWD, "t", ts, 0);
	fstat(fd, &st);
	CHECK(write(fd, "data", 4) == 4 && fstat(fd, &st2) == 0, "write to the file");
	CHECK(st2.st_mtim.tv_sec > 2000 && recent(st2.st_mtim, before),
	      "write moves mtime from 2000 to now (%lld)", (long long)st2.st_mtim.tv_sec);
	CHECK(ts_cmp(st2.st_ctim, st.st_ctim) >= 0 && recent(st2.st_ctim, before),
	      "and ctime to now");
	CHECK(ts_is(st2.st_atim, 1000, 0), "write leaves atime");
	utimensat(AT_FDCWD, "t", ts, 0);
	CHECK(ftruncate(fd, 1) == 0 && fstat(fd, &st2) == 0 && st2.st_mtim.tv_sec > 2000,
	      "ftruncate moves mtime");
	utimensat(AT_FDCWD, "t", ts, 0);
	fstat(fd, &st);
	CHECK(fchmod(fd, 0600) == 0 && fstat(fd, &st2) == 0 && ts_is(st2.st_mtim, 2000, 0) &&
		      ts_cmp(st2.st_ctim, st.st_ctim) >= 0,
	      "chmod moves ctime, not mtime");
	close(fd);

	mkdir("td", 0755);
	utimensat(AT_FDCWD, "td", ts, 0);
	CHECK(close(open("td/new", O_CREAT | O_WRONLY, 0644)) == 0 && stat("td", &st) == 0 &&
		      st.st_mtim.tv_sec > 2000,
	      "creating a file moves its directory's mtime");
	utimensat(AT_FDCWD, "td", ts, 0);
	CHECK(unlink("td/new") == 0 && stat("td", &st) == 0 && st.st_mtim.tv_sec > 2000,
	      "unlinking a file moves its directory's mtime");
	symlink("t", "tl");
	ts[1] = (struct timespec){7000, 0};
	CHECK(utimensat(AT_FDCWD, "tl", ts, AT_SYMLINK_NOFOLLOW) == 0 &&
		      lstat("tl", &st) == 0 && st.st_mtim.tv_sec == 7000 && stat("tl", &st2) == 0 &&
		      st2.st_mtim.tv_sec != 7000,
	      "AT_SYMLINK_NOFOLLOW sets the link's own times, not its target's");
}

/* check_statx - statx's mask and fields agree with stat, by path and by fd. */
static void check_statx(void)
{
	const unsigned want = STATX_TYPE | STATX_MODE | STATX_NLINK | STATX_UID | STATX_GID |
			      STATX_SIZE | STATX_INO | STATX_MTIME | STATX_CTIME;
	struct statx sx;
	struct stat st;
	int fd = open("sx", O_CREAT | O_RDWR | O_TRUNC, 0640);

	if (!CHECK(fd >= 0, "create sx"))
		return;
	write(fd, "0123456789", 10);
	link("sx", "sx2");
	fstat(fd, &st);
	memset(&sx, 0xff, sizeof(sx));
	CHECK(statx(AT_FDCWD, "sx", 0, STATX_BASIC_STATS, &sx) == 0, "statx by path");
	CHECK((sx.stx_mask & want) == want, "the mask has the basic fields (%#x)", sx.stx_mask);
	CHECK(sx.stx_size == 10 && sx.stx_mode == st.st_mode && sx.stx_nlink == 2 &&
		      sx.stx_ino == st.st_ino && sx.stx_uid == st.st_uid && sx.stx_gid == st.st_gid,
	      "size, mode, nlink, ino, uid and gid match stat");
	CHECK(sx.stx_mtime.tv_sec == st.st_mtim.tv_sec &&
		      sx.stx_mtime.tv_nsec == (unsigned)st.st_mtim.tv_nsec &&
		      sx.stx_blocks == (unsigned long long)st.st_blocks &&
		      sx.stx_blksize == (unsigned)st.st_blksize,
	      "mtime, blocks and blksize match stat");
	CHECK(makedev(sx.stx_dev_major, sx.stx_dev_minor) == st.st_dev, "the device matches");
	memset(&sx, 0, sizeof(sx));
	CHECK(statx(fd, "", AT_EMPTY_PATH, STATX_SIZE, &sx) == 0 && (sx.stx_mask & STATX_SIZE) &&
		      sx.stx_size == 10,
	      "statx on an fd with AT_EMPTY_PATH");
	CHECK(statx(AT_FDCWD, ".", 0, STATX_TYPE, &sx) == 0 && S_ISDIR(sx.stx_mode),
	      "statx of a directory");
	CHECK_ERR(statx(AT_FDCWD, "sx", 0, STATX__RESERVED, &sx), EINVAL,
		  "statx asking for a reserved mask bit -> EINVAL");
	CHECK_ERR(statx(AT_FDCWD, "sx", 0x40000000, STATX_BASIC_STATS, &sx), EINVAL,
		  "statx with a bad flag -> EINVAL");
	CHECK_ERR(statx(AT_FDCWD, "missing", 0, STATX_BASIC_STATS, &sx), ENOENT,
		  "statx of a missing file -> ENOENT");
	CHECK_ERR(statx(AT_FDCWD, "", 0, STATX_BASIC_STATS, &sx), ENOENT,
		  "statx of \"\" without AT_EMPTY_PATH -> ENOENT");
	close(fd);
}

/* check_statfs - sane numbers from statfs and fstatfs, the same for path and fd. */
static void check_statfs(void)
{
	struct statfs a, b;
	int fd = open(".", O_RDONLY | O_DIRECTORY);

	CHECK(statfs(".", &a) == 0, "statfs(\".\")");
	CHECK(a.f_bsize > 0 && a.f_blocks > 0 && a.f_bfree <= a.f_blocks &&
		      a.f_bavail <= a.f_bfree && a.f_namelen == 255,
	      "its fields are sane (bsize %ld, blocks %llu, free %llu, namelen %ld)",
	      (long)a.f_bsize, (unsigned long long)a.f_blocks, (unsigned long long)a.f_bfree,
	      (long)a.f_namelen);
	CHECK(a.f_files == 0 || a.f_ffree <= a.f_files, "free inodes within the total");
	CHECK(fstatfs(fd, &b) == 0 && b.f_type == a.f_type && b.f_bsize == a.f_bsize &&
		      !memcmp(&a.f_fsid, &b.f_fsid, sizeof(a.f_fsid)),
	      "fstatfs agrees with statfs");
	if (on_holstein())
		CHECK(a.f_type == TMPFS_MAGIC, "/tmp is a tmpfs (f_type %#lx)", (long)a.f_type);
	else
		t_skip("f_type of /tmp is the host's (%#lx)", (long)a.f_type);
	CHECK_ERR(statfs("missing", &a), ENOENT, "statfs of a missing path -> ENOENT");
	CHECK_ERR(fstatfs(FAR_FD, &a), EBADF, "fstatfs of a bad fd -> EBADF");
	close(fd);
}

/* check_sync - every flavour of sync succeeds on a file; fsync of a pipe is refused. */
static void check_sync(void)
{
	int p[2], fd = open("sy", O_CREAT | O_RDWR | O_TRUNC, 0644);

	if (!CHECK(fd >= 0, "create sy"))
		return;
	write(fd, "x", 1);
	CHECK(fsync(fd) == 0, "fsync");
	CHECK(fdatasync(fd) == 0, "fdatasync");
	sync();
	CHECK(syncfs(fd) == 0, "syncfs");
	close(fd);
	fd = open(".", O_RDONLY | O_DIRECTORY);
	CHECK(fsync(fd) == 0, "fsync of a directory");
	close(fd);
	xpipe(p);
	CHECK_ERR(fsync(p[0]), EINVAL, "fsync of a pipe -> EINVAL");
	close(p[0]);
	close(p[1]);
	CHECK_ERR(fsync(FAR_FD), EBADF, "fsync of a bad fd -> EBADF");
}

int main(void)
{
	const char *dir;

	t_init();
	dir = scratch_make("t_fs_meta");
	check_stat();
	check_times();
	check_statx();
	check_statfs();
	check_sync();
	CHECK(scratch_remove(dir) == 0, "the scratch directory %s is removed", dir);
	return t_done("t_fs_meta");
}
