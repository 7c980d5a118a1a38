/*
 * t_fs_file - regular files on a writable file system, as Linux behaves: openat's flags
 * (O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC, O_TMPFILE, O_PATH),
 * write/pwrite64/writev/pwritev/preadv, truncation and holes reading zeros, fallocate,
 * lseek SEEK_DATA/SEEK_HOLE, an unlinked file living on while open, sendfile and
 * copy_file_range, the refusals for bad offsets and lengths, and (on tmpfs) sparse writes
 * at 1 TiB.
 *
 * Everything happens in a fresh scratch directory under /tmp (user/lib/scratch.h), removed
 * at the end. Times, stat, statx, statfs and sync are in t_fs_meta; locks in t_fs_lock.
 */
#include "ulib.h"
#include "scratch.h"
#include <limits.h>
#include <linux/magic.h>
#include <sys/sendfile.h>
#include <sys/statfs.h>
#include <sys/uio.h>

/* fill - a byte pattern that depends on the seed and position, so misplaced data shows. */
static void fill(char *buf, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)(seed * 31 + i * 7 + (i >> 8));
}

/* all_zero - whether n bytes at buf are all zero. */
static int all_zero(const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (buf[i])
			return 0;
	return 1;
}

/* make_file - create (or truncate) name holding len bytes of data; -1 on failure. */
static int make_file(const char *name, const void *data, size_t len)
{
	int fd = open(name, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	long n = fd >= 0 ? write(fd, data, len) : -1;

	if (fd >= 0)
		close(fd);
	return n == (long)len ? 0 : -1;
}

/* file_is - whether name holds exactly the len bytes at want. */
static int file_is(const char *name, const void *want, size_t len)
{
	char buf[8192];
	int fd = open(name, O_RDONLY);
	long n = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;

	if (fd >= 0)
		close(fd);
	return n == (long)len && !memcmp(buf, want, len);
}

/* check_create - O_CREAT alone and with O_EXCL, the mode it gives, O_TRUNC. */
static void check_create(void)
{
	struct stat st;
	int fd = openat(AT_FDCWD, "f", O_CREAT | O_EXCL | O_RDWR, 0640);

	if (!CHECK(fd >= 0, "openat O_CREAT|O_EXCL makes a new file"))
		return;
	CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0640 &&
		      st.st_size == 0 && st.st_nlink == 1,
	      "the new file is regular, mode 0640, empty, one link (mode %o)", st.st_mode);
	CHECK(st.st_uid == geteuid() && st.st_gid == getegid(), "it belongs to the caller");
	CHECK(write(fd, "hello world", 11) == 11, "write 11 bytes");
	close(fd);
	CHECK_ERR(openat(AT_FDCWD, "f", O_CREAT | O_EXCL | O_RDWR, 0644), EEXIST,
		  "O_CREAT|O_EXCL on an existing file -> EEXIST");
	fd = openat(AT_FDCWD, "f", O_CREAT | O_RDWR, 0600);
	CHECK(fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 11 && (st.st_mode & 0777) == 0640,
	      "O_CREAT without O_EXCL opens the existing file, keeping data and mode");
	close(fd);
	CHECK(umask(077) == 022 && (fd = open("g", O_CREAT | O_WRONLY, 0666)) >= 0 &&
		      fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0600,
	      "the umask is applied to a new file's mode (%o)", st.st_mode & 0777);
	umask(022);
	close(fd);
	fd = open("f", O_WRONLY | O_TRUNC);
	CHECK(fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 0, "O_TRUNC empties the file");
	close(fd);
	CHECK_ERR(open("nofile", O_RDONLY), ENOENT, "open of a missing file without O_CREAT");
	CHECK_ERR(open("nodir/f", O_CREAT | O_WRONLY, 0644), ENOENT,
		  "O_CREAT in a missing directory -> ENOENT");
	CHECK_ERR(open(".", O_RDWR), EISDIR, "open a directory for writing -> EISDIR");
	CHECK_ERR(open("newfile/", O_CREAT | O_WRONLY, 0644), EISDIR,
		  "O_CREAT of a name with a trailing slash -> EISDIR");
	CHECK_ERR(openat(FAR_FD, "f", O_RDONLY), EBADF, "openat with a bad dirfd -> EBADF");
}

/* check_append - O_APPEND writes at the end whatever the offset, even pwrite's. */
static void check_append(void)
{
	char buf[32] = {0};
	int fd;

	make_file("ap", "0123", 4);
	fd = open("ap", O_WRONLY | O_APPEND);
	if (!CHECK(fd >= 0, "open O_APPEND"))
		return;
	CHECK(lseek(fd, 0, SEEK_SET) == 0 && write(fd, "ab", 2) == 2, "write after seeking to 0");
	CHECK(lseek(fd, 0, SEEK_CUR) == 6, "the offset is at the new end (6)");
	/* Linux's documented quirk: pwrite on an O_APPEND fd appends, ignoring its offset. */
	CHECK(pwrite(fd, "c", 1, 1) == 1, "pwrite on an O_APPEND fd");
	CHECK(file_is("ap", "0123abc", 7), "both writes were appended, nothing overwritten");
	CHECK(fcntl(fd, F_SETFL, 0) == 0 && pwrite(fd, "X", 1, 0) == 1 &&
		  file_is("ap", "X123abc", 7),
	      "after F_SETFL clears O_APPEND, pwrite writes at its offset");
	close(fd);
	fd = open("ap", O_RDWR | O_APPEND);
	CHECK(fd >= 0 && read(fd, buf, 3) == 3 && !memcmp(buf, "X12", 3),
	      "O_APPEND does not move the read offset");
	close(fd);
}

/* check_flags - O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC, O_TMPFILE, O_PATH. */
static void check_flags(void)
{
	struct stat st;
	char c;
	int fd;

	make_file("plain", "x", 1);
	mkdir("dir", 0755);
	make_file("dir/in", "y", 1);
	symlink("plain", "lnk");
	symlink("dir", "dlnk");
	CHECK_ERR(open("plain", O_RDONLY | O_DIRECTORY), ENOTDIR,
		  "O_DIRECTORY on a file -> ENOTDIR");
	fd = open("dir", O_RDONLY | O_DIRECTORY);
	CHECK(fd >= 0, "O_DIRECTORY on a directory");
	close(fd);
	fd = open("dlnk", O_RDONLY | O_DIRECTORY);
	CHECK(fd >= 0, "O_DIRECTORY through a symlink to a directory");
	close(fd);
	CHECK_ERR(open("lnk", O_RDONLY | O_NOFOLLOW), ELOOP, "O_NOFOLLOW on a symlink -> ELOOP");
	fd = open("dlnk/in", O_RDONLY | O_NOFOLLOW);
	CHECK(fd >= 0, "O_NOFOLLOW only concerns the last component");
	close(fd);
	fd = open("lnk", O_RDONLY);
	CHECK(fd >= 0 && read(fd, &c, 1) == 1 && c == 'x', "open follows the symlink by default");
	CHECK(fcntl(fd, F_GETFD) == 0, "without O_CLOEXEC, FD_CLOEXEC is clear");
	close(fd);
	fd = open("plain", O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC, "O_CLOEXEC sets FD_CLOEXEC");
	close(fd);

	errno = 0;
	fd = open(".", O_TMPFILE | O_RDWR, 0600);
	if (fd < 0) {
		CHECK(errno == EOPNOTSUPP, "O_TMPFILE fails only with EOPNOTSUPP (%d)", errno);
	} else {
		char buf[4] = {0};

		CHECK(pwrite(fd, "tmp", 3, 0) == 3 && pread(fd, buf, 3, 0) == 3 &&
			      !memcmp(buf, "tmp", 3),
		      "O_TMPFILE gives a writable, readable file");
		CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 0,
		      "an O_TMPFILE file has no link");
		close(fd);
	}
	CHECK_ERR(open(".", O_TMPFILE | O_RDONLY, 0600), EINVAL,
		  "O_TMPFILE without write access -> EINVAL");

	fd = open("plain", O_PATH);
	CHECK(fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 1,
	      "fstat works on an O_PATH fd");
	CHECK_ERR(read(fd, &c, 1), EBADF, "read on an O_PATH fd -> EBADF");
	CHECK_ERR(write(fd, "z", 1), EBADF, "write on an O_PATH fd -> EBADF");
	close(fd);
	fd = open("plain", O_RDONLY);
	CHECK_ERR(write(fd, "z", 1), EBADF, "write on an O_RDONLY fd -> EBADF");
	close(fd);
	fd = open("plain", O_WRONLY);
	CHECK_ERR(read(fd, &c, 1), EBADF, "read on an O_WRONLY fd -> EBADF");
	close(fd);
}

/* check_rw - write, pwrite64, writev, pwritev, preadv and readv at the right offsets. */
static void check_rw(void)
{
	char a[100], b[100], buf[300];
	struct iovec iov[3];
	int fd = open("rw", O_CREAT | O_RDWR | O_TRUNC, 0644);

	if (!CHECK(fd >= 0, "create rw"))
		return;
	fill(a, sizeof(a), 1);
	fill(b, sizeof(b), 2);
	CHECK(write(fd, a, 50) == 50 && lseek(fd, 0, SEEK_CUR) == 50, "write moves the offset");
	CHECK(pwrite(fd, b, 10, 200) == 10 && lseek(fd, 0, SEEK_CUR) == 50,
	      "pwrite64 at 200 leaves the offset at 50");
	iov[0] = (struct iovec){a + 50, 30};
	iov[1] = (struct iovec){NULL, 0};
	iov[2] = (struct iovec){a + 80, 20};
	CHECK(writev(fd, iov, 3) == 50 && lseek(fd, 0, SEEK_CUR) == 100, "writev of 30+0+20 bytes");
	iov[0] = (struct iovec){b + 10, 40};
	iov[1] = (struct iovec){b + 50, 50};
	CHECK(pwritev(fd, iov, 2, 210) == 90 && lseek(fd, 0, SEEK_CUR) == 100,
	      "pwritev at 210 leaves the offset");
	memset(buf, 0x55, sizeof(buf));
	CHECK(pread(fd, buf, sizeof(buf), 0) == 300, "pread of the whole 300-byte file");
	CHECK(!memcmp(buf, a, 100) && all_zero(buf + 100, 100) && !memcmp(buf + 200, b, 100),
	      "the data sits where it was written, the gap reads zeros");
	memset(buf, 0, sizeof(buf));
	iov[0] = (struct iovec){buf, 60};
	iov[1] = (struct iovec){buf + 60, 1000};
	CHECK(preadv(fd, iov, 2, 190) == 110 && all_zero(buf, 10) && !memcmp(buf + 10, b, 100),
	      "preadv at 190 stops at the end of file");
	CHECK(lseek(fd, 250, SEEK_SET) == 250 && readv(fd, iov, 1) == 50 &&
		      !memcmp(buf, b + 50, 50) && lseek(fd, 0, SEEK_CUR) == 300,
	      "readv reads from and moves the offset");
	CHECK(read(fd, buf, 10) == 0 && pread(fd, buf, 10, 5000) == 0,
	      "reads at or past EOF give 0");
	CHECK(pwrite(fd, "Z", 1, 0) == 1 && pread(fd, buf, 2, 0) == 2 && buf[0] == 'Z' &&
		      buf[1] == a[1],
	      "an overwrite changes only its bytes");
	iov[0] = (struct iovec){a, 10};
	iov[1] = (struct iovec){a, (size_t)-1};
	CHECK_ERR(writev(fd, iov, 2), EINVAL, "writev with a negative iov_len -> EINVAL");
	/* Linux caps the total at MAX_RW_COUNT rather than refusing; the range is not mapped. */
	iov[0] = (struct iovec){a, (size_t)-1 / 2};
	iov[1] = (struct iovec){a, (size_t)-1 / 2};
	CHECK_ERR(writev(fd, iov, 2), EFAULT, "writev of two 2^63-byte buffers -> EFAULT");
	CHECK_ERR(syscall(SYS_writev, fd, iov, -1), EINVAL,
		  "writev with a negative count -> EINVAL");
	close(fd);
}

/* check_truncate - growing reads zeros, shrinking drops data for good, the refusals. */
static void check_truncate(void)
{
	static char buf[12000];
	struct stat st;
	int fd, ro;

	fill(buf, 5000, 3);
	make_file("tr", buf, 5000);
	fd = open("tr", O_RDWR);
	if (!CHECK(fd >= 0, "open tr"))
		return;
	CHECK(ftruncate(fd, 10000) == 0 && fstat(fd, &st) == 0 && st.st_size == 10000,
	      "ftruncate grows the file to 10000");
	CHECK(pread(fd, buf, sizeof(buf), 0) == 10000 && all_zero(buf + 5000, 5000),
	      "the grown part reads zeros");
	CHECK(truncate("tr", 3) == 0 && stat("tr", &st) == 0 && st.st_size == 3,
	      "truncate by path shrinks to 3");
	CHECK(truncate("tr", 8000) == 0 && pread(fd, buf, sizeof(buf), 0) == 8000 &&
		      all_zero(buf + 3, 7997),
	      "growing again reads zeros where the old data was");
	CHECK(ftruncate(fd, 100) == 0 && lseek(fd, 0, SEEK_END) == 100,
	      "SEEK_END follows a shrink");
	CHECK(ftruncate(fd, 100) == 0, "ftruncate to the same size");
	CHECK_ERR(ftruncate(fd, -1), EINVAL, "ftruncate to -1 -> EINVAL");
	CHECK_ERR(truncate("tr", -1), EINVAL, "truncate to -1 -> EINVAL");
	CHECK_ERR(truncate(".", 0), EISDIR, "truncate of a directory -> EISDIR");
	CHECK_ERR(truncate("missing", 0), ENOENT, "truncate of a missing file -> ENOENT");
	ro = open("tr", O_RDONLY);
	CHECK_ERR(ftruncate(ro, 0), EINVAL, "ftruncate on an O_RDONLY fd -> EINVAL");
	close(ro);
	ro = open(".", O_RDONLY | O_DIRECTORY);
	CHECK_ERR(ftruncate(ro, 0), EINVAL, "ftruncate on a directory fd -> EINVAL");
	close(ro);
	CHECK_ERR(ftruncate(FAR_FD, 0), EBADF, "ftruncate on a bad fd -> EBADF");
	close(fd);
}

/* check_holes - a write far out leaves a hole that reads zeros and takes little space. */
static void check_holes(void)
{
	static char buf[8192];
	struct stat st;
	off_t off;
	int fd = open("hole", O_CREAT | O_RDWR | O_TRUNC, 0644);

	if (!CHECK(fd >= 0, "create hole"))
		return;
	fill(buf, 4096, 4);
	CHECK(write(fd, buf, 4096) == 4096 && pwrite(fd, "X", 1, MiB) == 1,
	      "write at 0 and at 1 MiB");
	CHECK(fstat(fd, &st) == 0 && st.st_size == (off_t)MiB + 1, "st_size is 1 MiB + 1");
	CHECK(st.st_blocks > 0 && st.st_blocks * 512 < (blkcnt_t)(MiB / 2) && st.st_blksize > 0,
	      "st_blocks counts written data, not the hole (%lld blocks)", (long long)st.st_blocks);
	memset(buf, 0x55, sizeof(buf));
	CHECK(pread(fd, buf, sizeof(buf), MiB / 2) == (long)sizeof(buf) &&
		      all_zero(buf, sizeof(buf)),
	      "the middle of the hole reads zeros");
	CHECK(pread(fd, buf, 2, MiB - 1) == 2 && buf[0] == 0 && buf[1] == 'X',
	      "the byte before the far write is zero, then the data");

	CHECK(lseek(fd, 0, SEEK_DATA) == 0, "SEEK_DATA from 0 finds data at 0");
	off = lseek(fd, 0, SEEK_HOLE);
	CHECK(off >= 4096 && off <= (off_t)MiB, "SEEK_HOLE from 0 finds the hole (%lld)",
	      (long long)off);
	off = lseek(fd, 8192, SEEK_DATA);
	CHECK(off >= 8192 && off <= (off_t)MiB, "SEEK_DATA inside the hole (%lld)", (long long)off);
	CHECK(lseek(fd, MiB, SEEK_HOLE) == (off_t)MiB + 1, "SEEK_HOLE in the last data is at EOF");
	CHECK_ERR(lseek(fd, MiB + 1, SEEK_DATA), ENXIO, "SEEK_DATA at EOF -> ENXIO");
	CHECK_ERR(lseek(fd, MiB + 10, SEEK_HOLE), ENXIO, "SEEK_HOLE past EOF -> ENXIO");
	CHECK_ERR(lseek(fd, -1, SEEK_DATA), ENXIO, "SEEK_DATA at a negative offset -> ENXIO");
	CHECK_ERR(lseek(fd, 0, 5), EINVAL, "lseek whence 5 -> EINVAL");
	close(fd);
}

/* check_fallocate - mode 0 grows the file with zeros; KEEP_SIZE does not; bad ranges. */
static void check_fallocate(void)
{
	static char buf[8192];
	struct stat st;
	long r;
	int fd = open("fa", O_CREAT | O_RDWR | O_TRUNC, 0644);

	if (!CHECK(fd >= 0, "create fa"))
		return;
	CHECK(write(fd, "abc", 3) == 3, "write 3 bytes");
	CHECK(fallocate(fd, 0, 0, 8192) == 0 && fstat(fd, &st) == 0 && st.st_size == 8192,
	      "fallocate mode 0 grows the size to 8192");
	CHECK(st.st_blocks * 512 >= 8192, "the space is allocated (%lld blocks)",
	      (long long)st.st_blocks);
	CHECK(pread(fd, buf, sizeof(buf), 0) == 8192 && !memcmp(buf, "abc", 3) &&
		      all_zero(buf + 3, 8189),
	      "existing data is kept, the rest reads zeros");
	CHECK(fallocate(fd, 0, 0, 100) == 0 && fstat(fd, &st) == 0 && st.st_size == 8192,
	      "fallocate inside the file does not shrink it");
	/* Only mode 0 is required of Holstein; another mode works as Linux's or is refused. */
	errno = 0;
	r = fallocate(fd, FALLOC_FL_KEEP_SIZE, 8192, 4096);
	CHECK((r == 0 && fstat(fd, &st) == 0 && st.st_size == 8192) ||
		      (r < 0 && errno == EOPNOTSUPP),
	      "FALLOC_FL_KEEP_SIZE leaves the size, or is EOPNOTSUPP");
	CHECK_ERR(fallocate(fd, 0, 0, 0), EINVAL, "fallocate of length 0 -> EINVAL");
	CHECK_ERR(fallocate(fd, 0, -1, 10), EINVAL, "fallocate at a negative offset -> EINVAL");
	CHECK_ERR(fallocate(fd, 0, 0, -10), EINVAL, "fallocate of a negative length -> EINVAL");
	close(fd);
	fd = open("fa", O_RDONLY);
	CHECK_ERR(fallocate(fd, 0, 0, 10), EBADF, "fallocate on an O_RDONLY fd -> EBADF");
	close(fd);
}

/* check_unlinked - an open file keeps its data after its last name goes. */
static void check_unlinked(void)
{
	static char a[8192], buf[8192];
	struct stat st;
	int fd, fd2;

	fill(a, sizeof(a), 5);
	make_file("un", a, sizeof(a));
	fd = open("un", O_RDWR);
	if (!CHECK(fd >= 0, "open un"))
		return;
	fd2 = dup(fd);
	CHECK(unlink("un") == 0, "unlink the open file");
	CHECK_ERR(stat("un", &st), ENOENT, "its name is gone");
	CHECK(fstat(fd, &st) == 0 && st.st_nlink == 0 && st.st_size == (off_t)sizeof(a),
	      "fstat: nlink 0, size kept");
	CHECK(pread(fd, buf, sizeof(buf), 0) == (long)sizeof(buf) && !memcmp(a, buf, sizeof(a)),
	      "the data reads back through the fd");
	CHECK(pwrite(fd, "new", 3, sizeof(a)) == 3 && fstat(fd2, &st) == 0 &&
		      st.st_size == (off_t)sizeof(a) + 3,
	      "it can still grow, seen through a dup");
	close(fd);
	CHECK(pread(fd2, buf, 3, sizeof(a)) == 3 && !memcmp(buf, "new", 3),
	      "closing one fd keeps it alive for the other");
	close(fd2);
	CHECK(make_file("un", "fresh", 5) == 0 && file_is("un", "fresh", 5),
	      "the name can be used again for a new file");
}

/* check_transfer - sendfile file->file and file->pipe, copy_file_range. */
static void check_transfer(void)
{
	static char a[20000], buf[20000];
	int src, dst, p[2];
	off_t off = 100;
	loff_t in = 0, out = 0;
	long n, total;

	fill(a, sizeof(a), 6);
	make_file("src", a, sizeof(a));
	src = open("src", O_RDONLY);
	dst = open("dst", O_CREAT | O_RDWR | O_TRUNC, 0644);
	if (!CHECK(src >= 0 && dst >= 0, "open src and dst"))
		return;
	CHECK(sendfile(dst, src, &off, 5000) == 5000 && off == 5100 &&
		      lseek(src, 0, SEEK_CUR) == 0 && lseek(dst, 0, SEEK_CUR) == 5000,
	      "sendfile with an offset: copies 5000, moves *offset and dst's offset only");
	CHECK(pread(dst, buf, sizeof(buf), 0) == 5000 && !memcmp(buf, a + 100, 5000),
	      "sendfile copied the right bytes");
	lseek(src, 19000, SEEK_SET);
	CHECK(sendfile(dst, src, NULL, 5000) == 1000 && lseek(src, 0, SEEK_CUR) == 20000,
	      "sendfile without an offset uses and moves src's offset, stops at EOF");
	CHECK(sendfile(dst, src, NULL, 5000) == 0, "sendfile at EOF gives 0");
	xpipe(p);
	off = 300;
	CHECK(sendfile(p[1], src, &off, 1000) == 1000 && read(p[0], buf, sizeof(buf)) == 1000 &&
		      !memcmp(buf, a + 300, 1000),
	      "sendfile from a file into a pipe");
	CHECK_ERR(sendfile(dst, FAR_FD, NULL, 10), EBADF, "sendfile from a bad fd -> EBADF");
	close(p[0]);
	close(p[1]);

	ftruncate(dst, 0);
	for (total = 0; total < (long)sizeof(a); total += n) {
		n = copy_file_range(src, &in, dst, &out, sizeof(a) - total, 0);
		if (n <= 0)
			break;
	}
	CHECK(total == (long)sizeof(a) && in == total && out == total,
	      "copy_file_range copies the whole file (%ld)", total);
	CHECK(pread(dst, buf, sizeof(buf), 0) == (long)sizeof(buf) && !memcmp(a, buf, sizeof(a)),
	      "the copy is identical");
	in = sizeof(a);
	CHECK(copy_file_range(src, &in, dst, &out, 100, 0) == 0, "copy_file_range at EOF gives 0");
	in = 0;
	CHECK_ERR(copy_file_range(src, &in, dst, &out, 100, 1), EINVAL,
		  "copy_file_range with flags -> EINVAL");
	in = 0;
	out = 50;
	CHECK_ERR(copy_file_range(dst, &in, dst, &out, 100, 0), EINVAL,
		  "copy_file_range of overlapping ranges of one file -> EINVAL");
	CHECK_ERR(copy_file_range(dst, NULL, src, NULL, 100, 0), EBADF,
		  "copy_file_range into an O_RDONLY fd -> EBADF");
	close(src);
	close(dst);
}

/* check_transfer_kinds - sendfile into /dev/null and a full pipe; the refusals by file kind. */
static void check_transfer_kinds(void)
{
	static char a[5000];
	int src = open("src", O_RDONLY), app = open("app", O_CREAT | O_WRONLY | O_APPEND, 0644);
	int null = open("/dev/null", O_WRONLY), dir = open(".", O_RDONLY | O_DIRECTORY), p[2];
	off_t off = 0;
	loff_t in = 0;
	long n = 0, r;

	if (!CHECK(src >= 0 && app >= 0 && null >= 0 && dir >= 0, "open the files"))
		return;
	CHECK(sendfile(null, src, &off, sizeof(a)) == (long)sizeof(a) && off == (off_t)sizeof(a),
	      "sendfile into /dev/null");
	CHECK_ERR(sendfile(app, src, NULL, 10), EINVAL, "sendfile into an O_APPEND file -> EINVAL");
	CHECK_ERR(copy_file_range(src, &in, app, NULL, 10, 0), EBADF,
		  "copy_file_range into an O_APPEND file -> EBADF");
	CHECK_ERR(copy_file_range(dir, NULL, app, NULL, 10, 0), EISDIR,
		  "copy_file_range from a directory -> EISDIR");
	CHECK_ERR(sendfile(null, app, NULL, 10), EBADF, "sendfile from an O_WRONLY file -> EBADF");
	CHECK_ERR(sendfile(src, src, NULL, 10), EBADF, "sendfile into an O_RDONLY file -> EBADF");
	off = -1;
	CHECK_ERR(sendfile(null, src, &off, 10), EINVAL,
		  "sendfile from a negative offset -> EINVAL");
	CHECK_ERR(sendfile(null, src, hide_ptr(1), 10), EFAULT,
		  "sendfile with a bad offset pointer -> EFAULT");
	xpipe(p);
	CHECK_ERR(sendfile(null, p[0], &off, 10), ESPIPE,
		  "sendfile from a pipe at an offset -> ESPIPE");
	CHECK_ERR(copy_file_range(src, NULL, p[1], NULL, 10, 0), EINVAL,
		  "copy_file_range into a pipe -> EINVAL");
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	off = 0;
	while ((r = sendfile(p[1], src, &off, 4096)) >= 0 && n < (1 << 20)) {
		n += r;
		if (r == 0)
			off = 0;	/* the end of src: again from the start */
	}
	CHECK(r < 0 && errno == EAGAIN && n >= 4096,
	      "sendfile fills a non-blocking pipe, then EAGAIN (%ld bytes)", n);
	close(p[0]);
	close(p[1]);
	close(src);
	close(app);
	close(null);
	close(dir);
	unlink("app");
}

/*
 * check_far_write - on tmpfs, writes far out make sparse files: Linux's tmpfs takes files up
 * to 2^63-1 bytes (it never gives EFBIG below that), so a byte at 1 TiB is an ordinary
 * write. Other file systems have smaller limits (ext4: EFBIG from 16 TiB): skipped there.
 */
static void check_far_write(int fd)
{
	const off_t far = (off_t)1 << 40;
	struct statfs sf = {0};
	struct stat st;
	char buf[2] = {0};
	long r;

	if (fstatfs(fd, &sf) < 0 || sf.f_type != TMPFS_MAGIC) {
		t_skip("writes at 1 TiB and at 2^63-2 (not on tmpfs: f_type %#lx)",
		       (long)sf.f_type);
		return;
	}
	CHECK(pwrite(fd, "F", 1, far) == 1 && fstat(fd, &st) == 0 && st.st_size == far + 1,
	      "tmpfs: a byte written at 1 TiB, the size is 1 TiB + 1");
	CHECK(st.st_blocks * 512 <= 64 * 1024, "and it takes a page, not a terabyte (%lld blocks)",
	      (long long)st.st_blocks);
	CHECK(pread(fd, buf, 2, far - 1) == 2 && buf[0] == 0 && buf[1] == 'F',
	      "it reads back after a zero");
	errno = 0;
	r = pwrite(fd, "G", 1, LLONG_MAX - 1);
	CHECK(r == 1 || (r < 0 && errno == EFBIG),
	      "tmpfs: a byte at 2^63-2 is written (Linux) or refused with EFBIG (%ld)", r);
	CHECK(ftruncate(fd, 0) == 0 && fstat(fd, &st) == 0 && st.st_size == 0 && st.st_blocks == 0,
	      "truncating it to 0 frees everything");
}

/* check_bad_offsets - huge and negative offsets, and impossible lengths. */
static void check_bad_offsets(void)
{
	char c = 'x';
	int fd = open("bo", O_CREAT | O_RDWR | O_TRUNC, 0644);

	if (!CHECK(fd >= 0, "create bo"))
		return;
	CHECK_ERR(pwrite(fd, &c, 1, LLONG_MAX), EINVAL,
		  "pwrite of 1 byte at 0x7fffffffffffffff (end overflows) -> EINVAL");
	CHECK_ERR(pwrite(fd, &c, 1, -1), EINVAL, "pwrite at a negative offset -> EINVAL");
	CHECK_ERR(pread(fd, &c, 1, -1), EINVAL, "pread at a negative offset -> EINVAL");
	CHECK(lseek(fd, 10, SEEK_SET) == 10, "lseek to 10");
	CHECK_ERR(lseek(fd, LLONG_MAX, SEEK_CUR), EINVAL, "lseek SEEK_CUR past 2^63 -> EINVAL");
	CHECK_ERR(lseek(fd, -11, SEEK_CUR), EINVAL, "lseek SEEK_CUR below 0 -> EINVAL");
	CHECK(lseek(fd, 0, SEEK_CUR) == 10, "failed seeks leave the offset");
	CHECK_ERR(syscall(SYS_write, fd, &c, (size_t)-1), EFAULT, "write of length -1 -> EFAULT");
	CHECK_ERR(syscall(SYS_read, fd, &c, (size_t)-1), EFAULT, "read of length -1 -> EFAULT");
	CHECK(lseek(fd, 0, SEEK_END) == 0, "the file is still empty");
	check_far_write(fd);
	close(fd);
}

int main(void)
{
	const char *dir;

	t_init();
	dir = scratch_make("t_fs_file");
	check_create();
	check_append();
	check_flags();
	check_rw();
	check_truncate();
	check_holes();
	check_fallocate();
	check_unlinked();
	check_transfer();
	check_transfer_kinds();
	check_bad_offsets();
	CHECK(scratch_remove(dir) == 0, "the scratch directory %s is removed", dir);
	return t_done("t_fs_file");
}
