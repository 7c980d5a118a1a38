/*
 * t_mount - mount(2) and umount2(2) of a tmpfs with a size limit, and what
 * the system says about mounts and memory: statfs, /proc/mounts, mountinfo,
 * /etc/mtab, /proc/meminfo's Shmem, and ENOSPC (never an OOM kill) when the
 * tmpfs is full, and a full tmpfs's pages given back by deleting its file.
 * Mounting touches the whole machine: only on Holstein (under the oracle it
 * would mount on the host); the statfs and /proc checks of "/" run anywhere.
 */
#include "ulib.h"
#include "scratch.h"
#include <sys/mount.h>
#include <sys/statfs.h>

#define TMPFS_MAGIC 0x01021994

/* in_file - does the text of @path contain @needle? */
static int in_file(const char *path, const char *needle)
{
	static char buf[16384];

	return read_small_file(path, buf, sizeof(buf)) > 0 && strstr(buf, needle) != NULL;
}

/* fill - write 4 KiB blocks to @path until the first failure: bytes written, errno in *@err. */
static long fill(const char *path, int *err)
{
	static char block[4096];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	long total = 0, r;

	if (fd < 0) {
		*err = errno;
		return -1;
	}
	memset(block, 'x', sizeof(block));
	while ((r = write(fd, block, sizeof(block))) > 0 && total < (64L << 20))
		total += r;
	*err = r < 0 ? errno : 0;
	close(fd);
	return total;
}

/* ino_of - the inode number of @path, 0 if none. */
static ino_t ino_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_ino : 0;
}

/* check_mounted - a 256 KiB tmpfs on "mnt": statfs, the tables, ENOSPC, umount. */
static void check_mounted(const char *dir)
{
	char mnt[300], line[400];
	struct statfs s;
	int err;

	snprintf(mnt, sizeof(mnt), "%s/mnt", dir);
	if (!CHECK(mkdir("mnt", 0755) == 0, "mkdir mnt"))
		return;
	if (!CHECK(mount("none", "mnt", "tmpfs", 0, "size=256k,mode=0750") == 0,
		   "mount -t tmpfs -o size=256k none mnt"))
		return;
	CHECK(statfs("mnt", &s) == 0 && s.f_type == TMPFS_MAGIC && s.f_bsize == 4096 &&
		      s.f_blocks == 64 && s.f_bfree == 64,
	      "statfs: a tmpfs of 64 blocks of 4096, all free (%ld of %ld)", (long)s.f_bfree,
	      (long)s.f_blocks);
	struct stat st;
	CHECK(stat("mnt", &st) == 0 && (st.st_mode & 07777) == 0750, "mode= sets the root's mode");
	snprintf(line, sizeof(line), "none %s tmpfs ", mnt);
	CHECK(in_file("/proc/mounts", line), "/proc/mounts lists it (%s)", line);
	CHECK(in_file("/proc/self/mounts", line), "/proc/self/mounts too");
	CHECK(in_file("/etc/mtab", line), "/etc/mtab too");
	snprintf(line, sizeof(line), " %s rw", mnt);
	CHECK(in_file("/proc/self/mountinfo", line), "/proc/self/mountinfo lists it");
	CHECK_ERR(mount("none", "mnt", "nosuchfs", 0, 0), ENODEV, "an unknown type -> ENODEV");

	long n = fill("mnt/big", &err);
	CHECK(n == 256 * 1024 && err == ENOSPC, "writing past size= stops at 256 KiB with ENOSPC "
	      "(%ld bytes, %s)", n, strerror(err));
	CHECK(statfs("mnt", &s) == 0 && s.f_bfree == 0, "statfs: no block free");
	CHECK(unlink("mnt/big") == 0 && statfs("mnt", &s) == 0 && s.f_bfree == 64,
	      "unlink gives every block back");
	CHECK(chdir("mnt") == 0, "chdir into the mount");
	CHECK_ERR(umount(mnt), EBUSY, "umount while it is our cwd -> EBUSY");
	CHECK(chdir("..") == 0 && ino_of(".") == ino_of(dir), "\"..\" from the mount's root climbs out");
	CHECK(mount("none", "mnt", "tmpfs", MS_REMOUNT, "size=512k") == 0 && statfs("mnt", &s) == 0 &&
		      s.f_blocks == 128,
	      "MS_REMOUNT changes size=");
	int fd = open("mnt/keep", O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0 && close(fd) == 0, "a file on it");
	CHECK(umount(mnt) == 0, "umount");
	CHECK(access("mnt/keep", F_OK) < 0 && errno == ENOENT, "its files are gone from the tree");
	CHECK_ERR(umount(mnt), EINVAL, "umount of a directory that is no mount -> EINVAL");
	rmdir("mnt");
}


/*
 * check_detach_cwd - a lazy umount while we stand two levels down in the
 * tmpfs, in a directory that has a subdirectory of its own: the files are
 * unlinked as by rmdir, so our directory is a removed one (getcwd ENOENT,
 * ".." is itself) and never leads back to its old parent, which is freed
 * unless something holds it (here an fd does, so a wrong ".." is seen, not
 * read from freed memory: the fs fuzzer's panic in getcwd).
 */
static void check_detach_cwd(const char *dir)
{
	char mnt[300], buf[300];
	int pfd;

	snprintf(mnt, sizeof(mnt), "%s/lazy", dir);
	if (!CHECK(mkdir("lazy", 0755) == 0 && mount("none", "lazy", "tmpfs", 0, "size=64k") == 0 &&
			   mkdir("lazy/p", 0755) == 0 && mkdir("lazy/p/a", 0755) == 0 &&
			   mkdir("lazy/p/a/b", 0755) == 0,
		   "a tmpfs with p/a/b on \"lazy\""))
		return;
	pfd = open("lazy/p", O_RDONLY | O_DIRECTORY);
	CHECK(pfd >= 0 && chdir("lazy/p/a") == 0, "an fd on p, the cwd in p/a");
	CHECK(umount2(mnt, MNT_DETACH) == 0, "umount2 MNT_DETACH while we are inside");
	CHECK_ERR(syscall(SYS_getcwd, buf, sizeof(buf)), ENOENT,
		  "getcwd in the detached tree -> ENOENT, as in a removed directory");
	CHECK(ino_of("..") == ino_of(".") && ino_of("..") != 0, "\"..\" of it is itself");
	struct stat st;
	CHECK(fstat(pfd, &st) == 0 && st.st_nlink == 0 && ino_of("..") != st.st_ino,
	      "not its old parent p (removed too, kept by our fd)");
	CHECK(chdir(dir) == 0 && close(pfd) == 0 && rmdir("lazy") == 0, "out again; lazy is a plain directory");
}

int main(void)
{
	struct statfs s;

	t_init();
	CHECK(statfs("/", &s) == 0 && s.f_bsize > 0, "statfs(\"/\")");
	if (!on_holstein()) {
		t_skip("mount and umount (not on Holstein: they would change the host)");
		return t_done("t_mount");
	}
	CHECK(s.f_type == TMPFS_MAGIC, "the root is a tmpfs");
	CHECK(in_file("/proc/mounts", " / rootfs ") || in_file("/proc/mounts", " / tmpfs "),
	      "/proc/mounts has the root");
	CHECK(in_file("/proc/mounts", " /dev/shm tmpfs ") && in_file("/proc/mounts", " /proc proc "),
	      "/dev/shm and /proc are mounted");
	CHECK(access("/tmp", W_OK) == 0 && access("/var/tmp", W_OK) == 0 &&
		      access("/dev/shm", W_OK) == 0,
	      "/tmp, /var/tmp and /dev/shm exist and are writable");
	char target[64] = "";
	CHECK(readlink("/etc/mtab", target, sizeof(target) - 1) > 0 &&
		      !strcmp(target, "/proc/self/mounts"),
	      "/etc/mtab links to /proc/self/mounts (%s)", target);
	const char *dir = scratch_make("t_mount");
	check_mounted(dir);
	check_detach_cwd(dir);
	scratch_remove(dir);
	return t_done("t_mount");
}
