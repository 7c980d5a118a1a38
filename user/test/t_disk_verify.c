/*
 * t_disk_verify - the guest's side of the reverse direction: a tree the host made (mke2fs
 * -d) read back byte for byte, against the manifest the host put beside it:
 *     t_disk_verify DIR MANIFEST    every entry of MANIFEST (format: user/lib/manifest.h;
 *                                   paths relative to DIR) must be true of DIR
 * With no arguments, the checker checks itself in a scratch directory: a manifest it writes
 * and reads back holds for the tree, and a file changed by one byte, a mode, a missing
 * file and a symlink's new target are each caught.
 */
#include "ulib.h"
#include "scratch.h"
#include "sha256.h"
#include "manifest.h"

/* differ - how many entries the tree in the current directory disagrees with. */
static int differ(void)
{
	char why[160];
	int bad = 0, dfd = open(".", O_RDONLY | O_DIRECTORY);

	for (int i = 0; i < man_n; i++)
		bad += !man_check_one(dfd, &man[i], why, sizeof(why));
	close(dfd);
	return bad;
}

/* self_test - the checker catches each kind of difference, and a good tree passes. */
static void self_test(void)
{
	const char *dir = scratch_make("t_disk_verify");
	int fd;

	umask(022);
	CHECK(mkdir("d", 0750) == 0 && symlink("../f", "d/l") == 0, "make d and d/l");
	fd = open("f", O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0 && write(fd, "0123456789", 10) == 10 && close(fd) == 0, "make f");
	man_dir("d", 0750);
	man_link("d/l", "../f");
	man_file("f", 0644, "0123456789", 10);
	man_absent("nothing");
	CHECK(man_write("m") == 0, "write the manifest");
	man_n = 0;
	CHECK(man_read("m") == 4 && man_n == 4, "read it back: 4 entries");
	CHECK(differ() == 0, "the tree agrees with it");
	fd = open("f", O_WRONLY);
	CHECK(fd >= 0 && pwrite(fd, "X", 1, 5) == 1 && close(fd) == 0 && differ() == 1,
	      "one changed byte is caught");
	CHECK(chmod("d", 0755) == 0 && differ() == 2, "a changed mode is caught");
	CHECK(unlink("d/l") == 0 && symlink("f", "d/l") == 0 && differ() == 3,
	      "a changed symlink target is caught");
	CHECK(close(open("nothing", O_CREAT | O_WRONLY, 0644)) == 0 && differ() == 4,
	      "a file that must not exist is caught");
	CHECK(unlink("f") == 0 && differ() == 4, "a missing file is caught");
	man_n = 0;
	CHECK(scratch_remove(dir) == 0, "the scratch directory %s is removed", dir);
}

int main(int argc, char **argv)
{
	int n;

	t_init();
	if (argc < 3) {
		self_test();
		return t_done("t_disk_verify");
	}
	if (chdir(argv[1]))
		die("FAIL: chdir %s: %s", argv[1], strerror(errno));
	n = man_read(argv[2]);
	CHECK(n > 0, "read the manifest %s (%d entries)", argv[2], n);
	man_check(".");
	return t_done("t_disk_verify");
}
