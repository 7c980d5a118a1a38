/*
 * t_disk_ops - every kind of change a program makes to files, on the file system of a
 * directory, with a manifest of what must be there afterwards for the host to check:
 *     t_disk_ops [DIR]      (or T_DISK_DIR=DIR; default: a scratch directory under /tmp)
 * In DIR/ops: files of 0, 1, 4095, 4096 and 1 MiB+3 bytes; renames in one directory,
 * across directories and over an existing file; deletes; truncates that shrink and grow
 * (the hole reads zeros); hard links; symlinks; mkdir and rmdir; chmod; utimensat; a
 * MAP_SHARED write made durable by msync; a MAP_PRIVATE write that must not reach the
 * file; fsync and fdatasync.  The tree is checked here, and the manifest is saved as
 * DIR/ops.manifest (user/lib/manifest.h) and everything synced, so that after power-off
 * tests/guest/disk-verify finds the same on the image.  With a DIR given, the files stay.
 *     t_disk_ops --fsync-then-wait DIR
 * writes DIR/killed/{big,small} and DIR/killed.manifest, fsyncs each and the directories,
 * prints "t_disk_ops: all fsync'd" and waits to be killed: the host kills QEMU on that line
 * and checks that every fsync'd byte is on the image.
 */
#include "ulib.h"
#include "scratch.h"
#include "sha256.h"
#include "manifest.h"

#define BIG (MiB + 3)

/* fill - bytes that depend on the seed and the position, so misplaced data shows. */
static void fill(char *buf, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)(seed * 131 + i * 7 + (i >> 9) + (i >> 17));
}

/* put - create @path (mode 0644, whatever the umask) with @n bytes of seed @seed; 0 or -1. */
static int put(const char *path, size_t n, unsigned seed, char *buf)
{
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	size_t done = 0;

	fill(buf, n, seed);
	while (fd >= 0 && done < n) {
		ssize_t w = write(fd, buf + done, n - done > 65536 ? 65536 : n - done);
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	if (fd < 0 || done != n || fchmod(fd, 0644))
		return fd >= 0 ? close(fd), -1 : -1;
	return close(fd);
}

/* sizes - files of the sizes at block and page edges, and one past 1 MiB. */
static void sizes(char *buf)
{
	static const size_t n[] = { 0, 1, 4095, 4096, BIG };
	char path[64];

	for (unsigned i = 0; i < sizeof(n) / sizeof(n[0]); i++) {
		snprintf(path, sizeof(path), "ops/size_%zu", n[i]);
		CHECK(put(path, n[i], i + 1, buf) == 0, "write %s", path);
		fill(buf, n[i], i + 1);
		man_file(path, 0644, buf, n[i]);
	}
}

/* renames - within a directory, into another one, and over an existing file. */
static void renames(char *buf)
{
	CHECK(mkdir("ops/d1", 0755) == 0 && mkdir("ops/d2", 0755) == 0, "mkdir ops/d1 ops/d2");
	chmod("ops/d1", 0755);
	chmod("ops/d2", 0755);
	man_dir("ops/d1", 0755);
	man_dir("ops/d2", 0755);
	put("ops/d1/a", 5000, 11, buf);
	CHECK(rename("ops/d1/a", "ops/d1/b") == 0, "rename in one directory");
	put("ops/d1/c", 300, 12, buf);
	CHECK(rename("ops/d1/c", "ops/d2/c") == 0, "rename across directories");
	put("ops/d2/old", 9000, 13, buf);
	put("ops/d1/new", 70, 14, buf);
	CHECK(rename("ops/d1/new", "ops/d2/old") == 0, "rename over an existing file");
	fill(buf, 5000, 11);
	man_file("ops/d1/b", 0644, buf, 5000);
	fill(buf, 300, 12);
	man_file("ops/d2/c", 0644, buf, 300);
	fill(buf, 70, 14);
	man_file("ops/d2/old", 0644, buf, 70);
	man_absent("ops/d1/a");
	man_absent("ops/d1/c");
	man_absent("ops/d1/new");
}

/* deletes_truncates - unlink (also of a big file), and truncate down and up. */
static void deletes_truncates(char *buf)
{
	put("ops/gone_small", 10, 21, buf);
	put("ops/gone_big", 300000, 22, buf);
	CHECK(unlink("ops/gone_small") == 0 && unlink("ops/gone_big") == 0, "unlink two files");
	man_absent("ops/gone_small");
	man_absent("ops/gone_big");
	put("ops/shrink", 20000, 23, buf);
	CHECK(truncate("ops/shrink", 1500) == 0, "truncate 20000 -> 1500");
	fill(buf, 1500, 23);
	man_file("ops/shrink", 0644, buf, 1500);
	put("ops/grow", 1000, 24, buf);
	CHECK(truncate("ops/grow", 70000) == 0, "truncate 1000 -> 70000");
	fill(buf, 1000, 24);
	memset(buf + 1000, 0, 69000);
	man_file("ops/grow", 0644, buf, 70000);
	/* Shrink into the middle of a block, then grow: the cut-off bytes must read as zeros. */
	put("ops/regrow", 9000, 25, buf);
	CHECK(truncate("ops/regrow", 4100) == 0 && truncate("ops/regrow", 9000) == 0,
	      "truncate 9000 -> 4100 -> 9000");
	fill(buf, 4100, 25);
	memset(buf + 4100, 0, 4900);
	man_file("ops/regrow", 0644, buf, 9000);
}

/* links_dirs_modes - hard links, symlinks, mkdir/rmdir, chmod, utimensat. */
static void links_dirs_modes(char *buf)
{
	struct stat st;

	put("ops/hl_a", 777, 31, buf);
	CHECK(link("ops/hl_a", "ops/d2/hl_b") == 0, "link ops/hl_a ops/d2/hl_b");
	CHECK(stat("ops/hl_a", &st) == 0 && st.st_nlink == 2, "the hard-linked file has 2 links");
	fill(buf, 777, 31);
	man_file("ops/hl_a", 0644, buf, 777);
	man_file("ops/d2/hl_b", 0644, buf, 777);
	CHECK(symlink("size_4095", "ops/sym") == 0, "symlink ops/sym -> size_4095");
	CHECK(symlink("../d1/b", "ops/d2/sym_up") == 0, "symlink ops/d2/sym_up -> ../d1/b");
	man_link("ops/sym", "size_4095");
	man_link("ops/d2/sym_up", "../d1/b");
	CHECK(mkdir("ops/dd", 0755) == 0 && mkdir("ops/dd/ee", 0755) == 0 &&
	      mkdir("ops/dd/ff", 0755) == 0 && rmdir("ops/dd/ee") == 0, "mkdir dd dd/ee dd/ff, rmdir dd/ee");
	CHECK_ERR(rmdir("ops/dd"), ENOTEMPTY, "rmdir of a non-empty directory is ENOTEMPTY");
	chmod("ops/dd", 0755);
	man_dir("ops/dd", 0755);
	CHECK(chmod("ops/dd/ff", 0700) == 0, "chmod 0700 a directory");
	man_dir("ops/dd/ff", 0700);
	man_absent("ops/dd/ee");
	put("ops/private", 123, 32, buf);
	CHECK(chmod("ops/private", 0600) == 0, "chmod 0600 a file");
	put("ops/script", 10, 33, buf);
	CHECK(chmod("ops/script", 04755) == 0, "chmod 04755 a file");
	fill(buf, 123, 32);
	man_file("ops/private", 0600, buf, 123);
	fill(buf, 10, 33);
	man_file("ops/script", 04755, buf, 10);
	struct timespec ts[2] = { { 1000000000, 0 }, { 1234567890, 500000000 } };
	CHECK(utimensat(AT_FDCWD, "ops/private", ts, 0) == 0, "utimensat sets the mtime");
	CHECK(stat("ops/private", &st) == 0 && st.st_mtime == 1234567890 &&
	      st.st_mtim.tv_nsec == 500000000, "stat shows the mtime set");
	man_mtime("ops/private", 1234567890);
}

/* mappings - a MAP_SHARED write reaches the file (msync), a MAP_PRIVATE one does not. */
static void mappings(char *buf)
{
	size_t n = 3 * PAGE_SIZE + 100;
	int fd;
	char *p;

	put("ops/shared", n, 41, buf);
	fd = open("ops/shared", O_RDWR);
	p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);	/* fd -1: EBADF */
	CHECK(p != MAP_FAILED, "mmap MAP_SHARED ops/shared");
	if (p != MAP_FAILED) {
		memcpy(p + 10, "shared-write", 12);
		memset(p + 2 * PAGE_SIZE, 'S', PAGE_SIZE + 100);
		CHECK(msync(p, n, MS_SYNC) == 0, "msync MS_SYNC");
		munmap(p, n);
	}
	if (fd >= 0)
		close(fd);
	fill(buf, n, 41);
	memcpy(buf + 10, "shared-write", 12);
	memset(buf + 2 * PAGE_SIZE, 'S', PAGE_SIZE + 100);
	man_file("ops/shared", 0644, buf, n);

	put("ops/private_map", n, 42, buf);
	fd = open("ops/private_map", O_RDWR);
	p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED, "mmap MAP_PRIVATE ops/private_map");
	if (p != MAP_FAILED) {
		memset(p, 'P', n);
		CHECK(msync(p, n, MS_SYNC) == 0, "msync of a private mapping");
		munmap(p, n);
	}
	if (fd >= 0) {
		CHECK(fsync(fd) == 0, "fsync after the private write");
		close(fd);
	}
	fill(buf, n, 42);
	man_file("ops/private_map", 0644, buf, n);
}

/* durable - fsync and fdatasync of a rewritten file, and of its directory. */
static void durable(char *buf)
{
	int fd = open("ops/synced", O_CREAT | O_TRUNC | O_RDWR, 0644);
	int dfd = open("ops", O_RDONLY | O_DIRECTORY);

	fill(buf, 10000, 51);
	CHECK(fd >= 0 && write(fd, buf, 10000) == 10000 && fsync(fd) == 0, "write + fsync");
	CHECK(pwrite(fd, "tail", 4, 10000) == 4 && fdatasync(fd) == 0, "pwrite past the end + fdatasync");
	CHECK(dfd >= 0 && fsync(dfd) == 0, "fsync of the directory");
	fchmod(fd, 0644);
	memcpy(buf + 10000, "tail", 4);
	man_file("ops/synced", 0644, buf, 10004);
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
}

/* fsync_path - open @path (a file or a directory) and fsync it; 0 or -1. */
static int fsync_path(const char *path)
{
	int fd = open(path, O_RDONLY), r = fd < 0 ? -1 : fsync(fd);

	if (fd >= 0)
		close(fd);
	return r;
}

/* fsync_then_wait - the kill test's guest side (see the top); never returns. */
static void fsync_then_wait(const char *dir, char *buf)
{
	if (chdir(dir) || (mkdir("killed", 0755) && errno != EEXIST))
		die("FAIL: chdir %s, mkdir killed: %s", dir, strerror(errno));
	chmod("killed", 0755);
	man_dir("killed", 0755);
	CHECK(put("killed/big", BIG, 61, buf) == 0 && fsync_path("killed/big") == 0, "write + fsync killed/big");
	man_file("killed/big", 0644, buf, BIG);
	CHECK(put("killed/small", 5000, 62, buf) == 0 && fsync_path("killed/small") == 0,
	      "write + fsync killed/small");
	man_file("killed/small", 0644, buf, 5000);
	CHECK(fsync_path("killed") == 0 && man_write("killed.manifest") == 0 && fsync_path(".") == 0,
	      "fsync the directories and killed.manifest");
	printf("t_disk_ops: all fsync'd\n");
	fflush(stdout);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("T_DISK_DIR");
	const char *scratch = NULL;
	char *buf = malloc(BIG + PAGE_SIZE);
	int dfd;

	t_init();
	if (!buf)
		die("FAIL: malloc");
	if (argc > 2 && !strcmp(argv[1], "--fsync-then-wait"))
		fsync_then_wait(argv[2], buf);
	if (!dir)
		dir = scratch = scratch_make("t_disk_ops");
	if (chdir(dir))
		die("FAIL: chdir %s: %s", dir, strerror(errno));
	umask(022);
	/* A run before this one may have left its tree: start from nothing. */
	if ((dfd = open("ops", O_RDONLY | O_DIRECTORY | O_NOFOLLOW)) >= 0) {
		scratch_clear(dfd);
		close(dfd);
		rmdir("ops");
	}
	CHECK(mkdir("ops", 0755) == 0 && chmod("ops", 0755) == 0, "mkdir %s/ops", dir);
	man_dir("ops", 0755);
	sizes(buf);
	renames(buf);
	deletes_truncates(buf);
	links_dirs_modes(buf);
	mappings(buf);
	durable(buf);
	man_check(".");
	CHECK(man_write("ops.manifest") == 0, "write %s/ops.manifest", dir);
	sync();
	if (scratch)
		CHECK(scratch_remove(scratch) == 0, "the scratch directory %s is removed", scratch);
	return t_done("t_disk_ops");
}
