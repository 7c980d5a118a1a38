/*
 * t_mount_dev - the VFS's plumbing for disk file systems, checked without a
 * disk: mount(2) of a block-device type refuses a missing source (ENOENT),
 * a file or character device (ENOTBLK), a device with no driver, an unknown
 * type (ENODEV); /proc/filesystems lists ext4; sync, syncfs, fsync,
 * fdatasync and msync(MS_SYNC) work on tmpfs files and refuse what Linux
 * refuses; and a tmpfs remounted read-only (EBUSY while a file is open for
 * writing) answers EROFS to every call that would change it, in Linux's
 * order of errors, until it is remounted read-write.  The sync checks run anywhere (the oracle too); mounting only
 * on Holstein (under the oracle it would change the host).
 */
#include "ulib.h"
#include "scratch.h"
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>

/* in_file - does the text of @path contain @needle? */
static int in_file(const char *path, const char *needle)
{
	static char buf[16384];

	return read_small_file(path, buf, sizeof(buf)) > 0 && strstr(buf, needle) != NULL;
}

/* check_sync - the sync calls on tmpfs files, pipes and bad descriptors. */
static void check_sync(void)
{
	int p[2], fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644), dfd = open(".", O_RDONLY);

	if (!CHECK(fd >= 0 && dfd >= 0 && pipe(p) == 0 && write(fd, "hello", 5) == 5, "a file, ., a pipe"))
		return;
	sync();
	CHECK(1, "sync() returns");
	CHECK(syncfs(fd) == 0, "syncfs(file) -> 0");
	CHECK(syncfs(p[0]) == 0, "syncfs(pipe) -> 0 (nothing to write)");
	CHECK_ERR(syncfs(-1), EBADF, "syncfs(-1) -> EBADF");
	CHECK(fsync(fd) == 0 && fdatasync(fd) == 0, "fsync and fdatasync of a file -> 0");
	CHECK(fsync(dfd) == 0 && fdatasync(dfd) == 0, "fsync and fdatasync of a directory -> 0");
	CHECK_ERR(fsync(p[1]), EINVAL, "fsync(pipe) -> EINVAL");
	CHECK_ERR(fdatasync(p[0]), EINVAL, "fdatasync(pipe) -> EINVAL");
	CHECK_ERR(fsync(12345), EBADF, "fsync(bad fd) -> EBADF");
	char *m = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (CHECK(m != MAP_FAILED, "a shared mapping of the file")) {
		m[0] = 'J';
		CHECK(msync(m, 4096, MS_SYNC) == 0, "msync MS_SYNC -> 0");
		CHECK(msync(m, 4096, MS_ASYNC) == 0, "msync MS_ASYNC -> 0");
		CHECK_ERR(msync(m, 4096, MS_SYNC | MS_ASYNC), EINVAL, "msync MS_SYNC|MS_ASYNC -> EINVAL");
		char c = 0;
		CHECK(pread(fd, &c, 1, 0) == 1 && c == 'J', "the store is in the file");
		munmap(m, 4096);
	}
	close(p[0]);
	close(p[1]);
	close(dfd);
	close(fd);
	unlink("f");
}

/* check_dev_errors - mount(2) of a disk type: what is not a usable block device. */
static void check_dev_errors(void)
{
	int fd = open("plain", O_WRONLY | O_CREAT, 0644);

	CHECK(fd >= 0 && close(fd) == 0 && mkdir("mnt", 0755) == 0, "a plain file and mnt");
	CHECK_ERR(mount("nosuch", "mnt", "ext4", 0, 0), ENOENT, "source missing -> ENOENT");
	CHECK_ERR(mount("", "mnt", "ext4", 0, 0), ENOENT, "source \"\" -> ENOENT");
	CHECK_ERR(mount(NULL, "mnt", "ext4", 0, 0), EINVAL, "no source -> EINVAL");
	CHECK_ERR(mount("plain", "mnt", "ext4", 0, 0), ENOTBLK, "a regular file -> ENOTBLK");
	CHECK_ERR(mount("/dev/null", "mnt", "ext2", 0, 0), ENOTBLK, "a character device -> ENOTBLK");
	CHECK_ERR(mount("plain", "mnt", "nosuchfs", 0, 0), ENODEV, "an unknown type -> ENODEV");
	CHECK_ERR(mount("plain", "nosuchdir", "ext4", 0, 0), ENOENT, "a missing target -> ENOENT");
	if (CHECK(mknod("blk", S_IFBLK | 0600, makedev(254, 250)) == 0, "a node for vd, minor 250")) {
		/* No such disk: ENXIO, as Linux. */
		CHECK_ERR(mount("blk", "mnt", "ext4", 0, 0), ENXIO,
			  "a block device with no disk behind it -> ENXIO");
		unlink("blk");
	}
	CHECK(in_file("/proc/filesystems", "\text4\n") && in_file("/proc/filesystems", "\text2\n") &&
		      in_file("/proc/filesystems", "nodev\ttmpfs\n"),
	      "/proc/filesystems: ext4 and ext2 need a device, tmpfs not");
	unlink("plain");
	rmdir("mnt");
}

/* check_rofs_calls - every change on the read-only tmpfs at "ro" (file f, dir d, link l): EROFS. */
static void check_rofs_calls(void)
{
	struct timespec ts[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	int fd;

	CHECK_ERR(open("ro/new", O_WRONLY | O_CREAT, 0644), EROFS, "open O_CREAT of a new name -> EROFS");
	CHECK_ERR(open("ro/f", O_WRONLY), EROFS, "open O_WRONLY -> EROFS");
	CHECK_ERR(open("ro/f", O_RDWR), EROFS, "open O_RDWR -> EROFS");
	CHECK_ERR(open("ro/f", O_RDONLY | O_TRUNC), EROFS, "open O_RDONLY|O_TRUNC -> EROFS");
	CHECK_ERR(open("ro/f", O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST, "O_EXCL on an existing name: EEXIST first");
	fd = open("ro/f", O_RDONLY | O_CREAT, 0644);
	CHECK(fd >= 0, "open O_RDONLY|O_CREAT of an existing file succeeds");
	char buf[8] = "";
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == 3 && !memcmp(buf, "abc", 3), "and reads it");
	CHECK_ERR(ftruncate(fd, 0), EINVAL, "ftruncate of a read-only fd -> EINVAL (as anywhere)");
	close(fd);
	CHECK_ERR(mkdir("ro/d2", 0755), EROFS, "mkdir -> EROFS");
	CHECK_ERR(mkdir("ro/d", 0755), EEXIST, "mkdir of an existing name -> EEXIST first");
	CHECK_ERR(mknod("ro/fifo", S_IFIFO | 0644, 0), EROFS, "mknod of a FIFO -> EROFS");
	CHECK_ERR(symlink("f", "ro/l2"), EROFS, "symlink -> EROFS");
	CHECK_ERR(link("ro/f", "ro/f2"), EROFS, "link -> EROFS");
	CHECK_ERR(unlink("ro/f"), EROFS, "unlink -> EROFS");
	CHECK_ERR(unlink("ro/nosuch"), EROFS, "unlink of a missing name -> EROFS (before ENOENT)");
	CHECK_ERR(rmdir("ro/d"), EROFS, "rmdir -> EROFS");
	CHECK_ERR(rename("ro/f", "ro/g"), EROFS, "rename -> EROFS");
	CHECK_ERR(truncate("ro/f", 0), EROFS, "truncate -> EROFS");
	CHECK_ERR(chmod("ro/f", 0600), EROFS, "chmod -> EROFS");
	CHECK_ERR(chown("ro/f", 0, 0), EROFS, "chown -> EROFS");
	CHECK_ERR(lchown("ro/l", 0, 0), EROFS, "lchown of a symlink -> EROFS");
	CHECK_ERR(utimensat(AT_FDCWD, "ro/f", ts, 0), EROFS, "utimensat -> EROFS");
	CHECK_ERR(utimensat(AT_FDCWD, "ro/d", NULL, 0), EROFS, "utimensat(NULL) of a directory -> EROFS");
	fd = open("ro/f", O_RDONLY);
	CHECK(fd >= 0 && close(fd) == 0, "opening for reading is still fine");
}

/* check_rofs - a tmpfs remounted read-only refuses every change; remounted rw it takes them again. */
static void check_rofs(const char *dir)
{
	char mnt[300], line[400];
	struct statfs s;
	int fd;

	snprintf(mnt, sizeof(mnt), "%s/ro", dir);
	if (!CHECK(mkdir("ro", 0755) == 0 && mount("none", "ro", "tmpfs", 0, "size=64k") == 0,
		   "a tmpfs on ro"))
		return;
	fd = open("ro/f", O_WRONLY | O_CREAT, 0644);
	CHECK(fd >= 0 && write(fd, "abc", 3) == 3 && close(fd) == 0 && mkdir("ro/d", 0755) == 0 &&
		      symlink("f", "ro/l") == 0,
	      "a file, a directory and a symlink on it");
	fd = open("ro/f", O_WRONLY);
	CHECK_ERR(mount(NULL, "ro", NULL, MS_REMOUNT | MS_RDONLY, NULL), EBUSY,
		  "remount,ro while a file is open for writing -> EBUSY");
	CHECK(fd >= 0 && write(fd, "a", 1) == 1 && close(fd) == 0, "and the file stays writable");
	if (!CHECK(mount(NULL, "ro", NULL, MS_REMOUNT | MS_RDONLY, NULL) == 0, "mount -o remount,ro"))
		goto out;
	snprintf(line, sizeof(line), "none %s tmpfs ro", mnt);
	CHECK(in_file("/proc/mounts", line), "/proc/mounts says ro (%s)", line);
	CHECK(statfs("ro", &s) == 0 && (s.f_flags & ST_RDONLY), "statfs: ST_RDONLY");
	check_rofs_calls();
	CHECK_ERR(mount(NULL, "ro/d", NULL, MS_REMOUNT | MS_RDONLY, NULL), EINVAL,
		  "remount of a directory that is no mount's root -> EINVAL");
	CHECK(mount(NULL, "ro", NULL, MS_REMOUNT, NULL) == 0, "mount -o remount,rw");
	snprintf(line, sizeof(line), "none %s tmpfs rw", mnt);
	CHECK(in_file("/proc/mounts", line), "/proc/mounts says rw again");
	CHECK(statfs("ro", &s) == 0 && !(s.f_flags & ST_RDONLY), "statfs: not ST_RDONLY");
	fd = open("ro/new", O_WRONLY | O_CREAT, 0644);
	CHECK(fd >= 0 && close(fd) == 0 && unlink("ro/new") == 0 && rename("ro/f", "ro/g") == 0,
	      "creating, unlinking and renaming work again");
	if (!CHECK(mount("none", "ro", "tmpfs", MS_REMOUNT | MS_RDONLY, "size=128k") == 0,
		   "remount,ro with new tmpfs options"))
		goto out;
	CHECK(statfs("ro", &s) == 0 && s.f_blocks == 32 && (s.f_flags & ST_RDONLY),
	      "the size changed and it is read-only (%ld blocks)", (long)s.f_blocks);
	CHECK_ERR(open("ro/g", O_WRONLY), EROFS, "open for writing -> EROFS");
out:
	CHECK(umount(mnt) == 0 && rmdir("ro") == 0, "a read-only mount unmounts");
}

int main(void)
{
	t_init();
	const char *dir = scratch_make("t_mount_dev");
	check_sync();
	if (!on_holstein()) {
		t_skip("mount and remount (not on Holstein: they would change the host)");
	} else {
		check_dev_errors();
		check_rofs(dir);
	}
	scratch_remove(dir);
	return t_done("t_mount_dev");
}
