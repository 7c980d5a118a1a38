/*
 * t_fs_path - path resolution on a writable file system, as Linux behaves: symlinkat and
 * readlinkat (truncation without a NUL, EINVAL on a non-link), following symlinks through
 * directories (relative to the link's own directory; ".." after a link is physical), ELOOP
 * for loops and long chains, dangling symlinks (ENOENT to open, lstat works, O_CREAT
 * creates the target, O_EXCL refuses), and bad paths: empty, a 256-byte component, a path
 * of 4096 bytes, a file used as a directory, trailing slashes, "." and "..", and ".."
 * after RENAME_EXCHANGE moved a directory.
 *
 * Runs in a fresh scratch directory under /tmp (user/lib/scratch.h), removed at the end.
 */
#include "ulib.h"
#include "scratch.h"
#include <limits.h>

/* touch - create name (empty) if missing; 0 or -1. */
static int touch(const char *name)
{
	int fd = open(name, O_CREAT | O_WRONLY, 0644);

	return fd < 0 ? -1 : close(fd);
}

/* ino - st_ino of path (following symlinks), or 0. */
static ino_t ino(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_ino : 0;
}

/* opens - whether path opens for reading (then closed again). */
static int opens(const char *path)
{
	int fd = open(path, O_RDONLY);

	return fd >= 0 && close(fd) == 0;
}

/* check_symlink - symlinkat/readlinkat and their refusals. */
static void check_symlink(void)
{
	static char big[4097];
	char buf[64];
	struct stat st;
	int dfd;

	touch("target");
	CHECK(symlinkat("target", AT_FDCWD, "s") == 0, "symlinkat s -> target");
	CHECK(lstat("s", &st) == 0 && S_ISLNK(st.st_mode) && st.st_size == 6,
	      "lstat: a symlink whose size is the target's length (%lld)", (long long)st.st_size);
	memset(buf, '#', sizeof(buf));
	CHECK(readlinkat(AT_FDCWD, "s", buf, sizeof(buf)) == 6 && !memcmp(buf, "target", 6) &&
		      buf[6] == '#',
	      "readlinkat returns the target without a NUL");
	memset(buf, '#', sizeof(buf));
	CHECK(readlink("s", buf, 3) == 3 && !memcmp(buf, "tar", 3) && buf[3] == '#',
	      "a short buffer truncates silently, still without a NUL");
	dfd = open(".", O_RDONLY | O_DIRECTORY);
	CHECK(readlinkat(dfd, "s", buf, sizeof(buf)) == 6, "readlinkat relative to a dirfd");
	close(dfd);
	CHECK_ERR(readlink("target", buf, sizeof(buf)), EINVAL, "readlink of a file -> EINVAL");
	CHECK_ERR(readlink(".", buf, sizeof(buf)), EINVAL, "readlink of a directory -> EINVAL");
	CHECK_ERR(readlink("s", buf, 0), EINVAL, "readlink into 0 bytes -> EINVAL");
	CHECK_ERR(readlink("missing", buf, sizeof(buf)), ENOENT, "readlink of a missing name");
	CHECK_ERR(symlink("x", "s"), EEXIST, "symlink over an existing name -> EEXIST");
	CHECK_ERR(symlink("", "empty"), ENOENT, "symlink with an empty target -> ENOENT");
	CHECK_ERR(symlink("x", "nodir/s"), ENOENT, "symlink in a missing directory -> ENOENT");
	CHECK(symlink("any thing/../at all", "odd") == 0 && readlink("odd", buf, sizeof(buf)) == 19,
	      "a target is stored as given, never resolved");
	memset(big, 'a', 4095);
	CHECK(symlink(big, "long") == 0 && lstat("long", &st) == 0 && st.st_size == 4095,
	      "a 4095-byte target is stored");
	memset(big, 'a', 4096);
	CHECK_ERR(symlink(big, "toolong"), ENAMETOOLONG, "a 4096-byte target -> ENAMETOOLONG");
	CHECK(unlink("s") == 0 && opens("target"), "unlink of a symlink leaves its target");
}

/* check_follow - symlinks through directories, relative and absolute, and ".." after one. */
static void check_follow(const char *top)
{
	char abs[512];
	struct stat st;

	mkdir("real", 0755);
	mkdir("real/deep", 0755);
	touch("real/deep/f");
	symlink("real", "rl");
	CHECK(opens("rl/deep/f"), "a symlink to a directory in the middle of a path");
	snprintf(abs, sizeof(abs), "%s/real/deep", top);
	symlink(abs, "abs");
	CHECK(opens("abs/f"), "an absolute symlink");
	mkdir("sub", 0755);
	symlink("../real/deep", "sub/up");
	CHECK(opens("sub/up/f"), "a relative target resolves from the link's own directory");
	symlink("sub/up", "chain");
	CHECK(opens("chain/f"), "a symlink to a symlink");
	CHECK(ino("rl/deep/..") == ino("real") && ino("abs/..") == ino("real"),
	      "\"..\" after a symlink is the target's parent, not the link's");
	CHECK(stat("rl/", &st) == 0 && S_ISDIR(st.st_mode), "a trailing slash follows the link");
	CHECK(lstat("rl/", &st) == 0 && S_ISDIR(st.st_mode),
	      "lstat with a trailing slash follows it too");
	CHECK(lstat("rl", &st) == 0 && S_ISLNK(st.st_mode), "lstat without one does not");
	symlink("real/deep/f", "tofile");
	CHECK_ERR(open("tofile/", O_RDONLY), ENOTDIR, "a link to a file with a trailing slash");
	CHECK(mkdir("rl/viaok", 0755) == 0 && ino("real/viaok") != 0,
	      "mkdir through a symlinked directory");
	CHECK_ERR(mkdir("rl", 0755), EEXIST, "mkdir over a symlink -> EEXIST");
	CHECK_ERR(rmdir("rl"), ENOTDIR, "rmdir of a symlink to a directory -> ENOTDIR");
	CHECK(rename("rl", "rl2") == 0 && opens("rl2/deep/f") && ino("real") != 0,
	      "rename moves the link, not the directory");
}

/* check_loops - ELOOP for a loop, a self-loop and too long a chain; 20 links are fine. */
static void check_loops(void)
{
	char a[16], b[16];
	int fd;

	symlink("loop2", "loop1");
	symlink("loop1", "loop2");
	CHECK_ERR(open("loop1", O_RDONLY), ELOOP, "a two-link loop -> ELOOP");
	CHECK_ERR(open("loop1", O_CREAT | O_WRONLY, 0644), ELOOP, "O_CREAT through it -> ELOOP");
	CHECK_ERR(stat("loop1/x", &(struct stat){0}), ELOOP, "a loop in the middle -> ELOOP");
	symlink("self", "self");
	CHECK_ERR(open("self", O_RDONLY), ELOOP, "a link to itself -> ELOOP");
	CHECK(lstat("self", &(struct stat){0}) == 0, "lstat of it works");
	touch("end");
	strcpy(b, "end");
	for (int i = 0; i < 60; i++) {
		snprintf(a, sizeof(a), "ch%02d", i);
		symlink(b, a);
		strcpy(b, a);
	}
	fd = open("ch19", O_RDONLY);
	CHECK(fd >= 0, "a chain of 20 symlinks resolves");
	close(fd);
	CHECK_ERR(open("ch59", O_RDONLY), ELOOP, "a chain of 60 symlinks -> ELOOP");
}

/* check_dangling - a symlink to nothing: open fails, lstat works, O_CREAT makes the target. */
static void check_dangling(void)
{
	struct stat st;
	int fd;

	symlink("nowhere", "dang");
	CHECK_ERR(open("dang", O_RDONLY), ENOENT, "open of a dangling symlink -> ENOENT");
	CHECK_ERR(stat("dang", &st), ENOENT, "stat of it -> ENOENT");
	CHECK(lstat("dang", &st) == 0 && S_ISLNK(st.st_mode), "lstat of it works");
	CHECK_ERR(open("dang", O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST,
		  "O_CREAT|O_EXCL on it -> EEXIST (the link is not followed)");
	fd = open("dang", O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0 && write(fd, "made", 4) == 4, "O_CREAT through it creates the target");
	close(fd);
	CHECK(lstat("nowhere", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 4 &&
		      ino("dang") == st.st_ino,
	      "the target exists now, and the link leads to it");
	symlink("nodir/file", "dang2");
	CHECK_ERR(open("dang2", O_CREAT | O_WRONLY, 0644), ENOENT,
		  "O_CREAT through a link into a missing directory -> ENOENT");
	CHECK(unlink("dang2") == 0, "a dangling link can be unlinked");
}

/* check_bad_paths - empty, too long, through a file, trailing slashes. */
static void check_bad_paths(void)
{
	static char path[4200];
	char name[300];
	struct stat st;
	int fd;

	CHECK_ERR(open("", O_RDONLY), ENOENT, "open(\"\") -> ENOENT");
	CHECK_ERR(stat("", &st), ENOENT, "stat(\"\") -> ENOENT");
	CHECK_ERR(mkdir("", 0755), ENOENT, "mkdir(\"\") -> ENOENT");
	CHECK_ERR(unlink(""), ENOENT, "unlink(\"\") -> ENOENT");
	CHECK_ERR(open(hide_ptr(1), O_RDONLY), EFAULT, "a path at address 1 -> EFAULT");

	memset(name, 'n', 255);
	name[255] = '\0';
	CHECK(touch(name) == 0 && stat(name, &st) == 0, "a 255-byte name works");
	name[255] = 'n';
	name[256] = '\0';
	CHECK_ERR(open(name, O_CREAT | O_WRONLY, 0644), ENAMETOOLONG,
		  "a 256-byte name -> ENAMETOOLONG");
	CHECK_ERR(stat(name, &st), ENAMETOOLONG, "stat of a 256-byte name -> ENAMETOOLONG");
	CHECK_ERR(mkdir(name, 0755), ENAMETOOLONG, "mkdir of a 256-byte name -> ENAMETOOLONG");
	name[0] = 'x';
	snprintf(path, sizeof(path), "%s/f", name);
	CHECK_ERR(stat(path, &st), ENAMETOOLONG, "a 256-byte directory component -> ENAMETOOLONG");

	/* "./" 2047 times then "f": 4095 bytes, the longest path there is. */
	touch("f");
	for (int i = 0; i < 2047; i++)
		memcpy(path + 2 * i, "./", 2);
	strcpy(path + 4094, "f");
	fd = open(path, O_RDONLY);
	CHECK(fd >= 0, "a 4095-byte path resolves");
	close(fd);
	memcpy(path + 4094, "./f", 4);
	CHECK_ERR(open(path, O_RDONLY), ENAMETOOLONG, "a 4097-byte path -> ENAMETOOLONG");
	path[4094] = '/';
	path[4095] = 'f';
	path[4096] = '\0';
	CHECK_ERR(open(path, O_RDONLY), ENAMETOOLONG, "a 4096-byte path -> ENAMETOOLONG");

	CHECK_ERR(open("f/x", O_RDONLY), ENOTDIR, "a file used as a directory -> ENOTDIR");
	CHECK_ERR(open("f/x", O_CREAT | O_WRONLY, 0644), ENOTDIR,
		  "creating under a file -> ENOTDIR");
	CHECK_ERR(stat("f/.", &st), ENOTDIR, "\"f/.\" -> ENOTDIR");
	CHECK_ERR(open("f/", O_RDONLY), ENOTDIR, "open(\"file/\") -> ENOTDIR");
	CHECK_ERR(stat("f/", &st), ENOTDIR, "stat(\"file/\") -> ENOTDIR");
	CHECK_ERR(unlink("f/"), ENOTDIR, "unlink(\"file/\") -> ENOTDIR");
	CHECK_ERR(rename("f/", "g"), ENOTDIR, "rename(\"file/\", ...) -> ENOTDIR");
	CHECK_ERR(rename("f", "g/"), ENOTDIR, "rename(file, \"new/\") -> ENOTDIR");
	CHECK_ERR(open("missing/x", O_RDONLY), ENOENT, "a missing directory -> ENOENT");
	CHECK(mkdir("newdir/", 0755) == 0 && stat("newdir", &st) == 0 && S_ISDIR(st.st_mode),
	      "mkdir(\"newdir/\") works");
	CHECK(mkdir("two//slashes//", 0755) < 0 && mkdir("two", 0755) == 0 &&
		      mkdir("two//slashes//", 0755) == 0 && stat("two/slashes", &st) == 0,
	      "repeated slashes are one");
	CHECK(rename("newdir/", "movedir/") == 0 && stat("movedir", &st) == 0,
	      "rename of directories with trailing slashes");
	CHECK(rmdir("movedir/") == 0, "rmdir(\"dir/\") works");
}

/* check_dots - "." and ".." resolve as they should and cannot be made or removed. */
static void check_dots(void)
{
	struct stat root, up;

	mkdir("dd", 0755);
	mkdir("dd/in", 0755);
	touch("dd/in/f");
	CHECK(ino("dd/..") == ino(".") && ino("dd/in/../..") == ino("."), "\"..\" is the parent");
	CHECK(ino("dd/./in/.") == ino("dd/in"), "\".\" is the directory itself");
	CHECK(opens("dd/./in/../in/f"), "a path mixing \".\" and \"..\"");
	CHECK(stat("/", &root) == 0 && stat("/..", &up) == 0 && root.st_ino == up.st_ino &&
		      root.st_dev == up.st_dev,
	      "\"/..\" is \"/\"");
	CHECK(stat("/../../..", &up) == 0 && up.st_ino == root.st_ino, "\"..\" never leaves \"/\"");
	CHECK_ERR(open(".", O_WRONLY), EISDIR, "open(\".\") for writing -> EISDIR");
	CHECK_ERR(mkdir(".", 0755), EEXIST, "mkdir(\".\") -> EEXIST");
	CHECK_ERR(mkdir("dd/..", 0755), EEXIST, "mkdir(\"dd/..\") -> EEXIST");
	CHECK_ERR(unlink("."), EISDIR, "unlink(\".\") -> EISDIR");
	CHECK_ERR(link(".", "dotlink"), EPERM, "link(\".\") -> EPERM");
	CHECK_ERR(rmdir("dd/in/.."), ENOTEMPTY, "rmdir(\"dd/in/..\") -> ENOTEMPTY");
	CHECK_ERR(open("dd/in/f/..", O_RDONLY), ENOTDIR, "\"file/..\" -> ENOTDIR");
}

/*
 * check_exchange - RENAME_EXCHANGE of a directory leaves ".." of both names
 * on the directory each now stands in, and getcwd finds them; the walk up
 * that refuses to move a directory under itself still works across them.
 */
static void check_exchange(const char *top)
{
	char buf[512], want[512];

	mkdir("xa", 0755);
	mkdir("xa/d1", 0755);
	mkdir("xa/d1/sub", 0755);
	mkdir("xb", 0755);
	mkdir("xb/d2", 0755);
	touch("xb/f");
	if (renameat2(AT_FDCWD, "xa/d1", AT_FDCWD, "xb/d2", RENAME_EXCHANGE) < 0 && errno == EINVAL &&
	    !on_holstein()) {
		t_skip("RENAME_EXCHANGE (the host's /tmp refuses it)");
		return;
	}
	CHECK(ino("xb/d2/sub/..") == ino("xb/d2") && ino("xa/d1/sub") == 0,
	      "two directories exchanged: each name now holds the other");
	CHECK(ino("xa/d1/..") == ino("xa") && ino("xb/d2/..") == ino("xb"),
	      "and \"..\" of each is the directory it now stands in");
	CHECK(chdir("xb/d2") == 0 && getcwd(buf, sizeof(buf)) &&
		      snprintf(want, sizeof(want), "%s/xb/d2", top) > 0 && !strcmp(buf, want),
	      "getcwd in a directory moved by an exchange");
	CHECK(chdir(top) == 0, "back");
	CHECK_ERR(rename("xb", "xb/d2/sub/x"), EINVAL,
		  "a directory into a subdirectory of what an exchange put in it -> EINVAL");
	CHECK(renameat2(AT_FDCWD, "xa/d1", AT_FDCWD, "xb/f", RENAME_EXCHANGE) == 0 &&
		      ino("xb/f/..") == ino("xb") && ino("xa/d1/..") == 0,
	      "a directory exchanged with a file: its \"..\" follows it");
}

int main(void)
{
	const char *dir;

	t_init();
	dir = scratch_make("t_fs_path");
	check_symlink();
	check_follow(dir);
	check_loops();
	check_dangling();
	check_bad_paths();
	check_dots();
	check_exchange(dir);
	CHECK(scratch_remove(dir) == 0, "the scratch directory %s is removed", dir);
	return t_done("t_fs_path");
}
