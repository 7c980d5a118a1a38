/*
 * t_disk_many - several processes at once create, rename and delete hundreds of files in
 * one file system, each in its own directory and all in a shared one, then sync:
 *     t_disk_many [DIR]      (or T_DISK_DIR=DIR; default: a scratch directory under /tmp)
 * Each of NWORK forked workers makes NFILE files in DIR/many/wN (sizes 0 to 6 KiB, every
 * tenth fsync'd), renames a third within its directory and a third into DIR/many/common
 * (where all workers rename, create and delete at the same time), and deletes every fifth.
 * The parent then knows exactly what must be there: it checks the tree, saves the manifest
 * as DIR/many.manifest (user/lib/manifest.h) and syncs, for tests/guest/disk-verify.
 */
#include "ulib.h"
#include "scratch.h"
#include "sha256.h"
#include "manifest.h"

#define NWORK 4
#define NFILE 150

/* fill - bytes that depend on the seed and the position. */
static void fill(char *buf, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)(seed * 17 + i * 13 + (i >> 7));
}

/* file_size, file_seed - file i of worker w: its size and its bytes' seed. */
static size_t file_size(int w, int i)
{
	return (size_t)(w * 37 + i * 53) % 6200;
}
static unsigned file_seed(int w, int i)
{
	return (unsigned)(w * 1000 + i);
}

/* names - where file i of worker w starts (@first) and ends up (@last; deleted or not). */
static int names(int w, int i, char *first, char *last, size_t len)
{
	snprintf(first, len, "many/w%d/f%03d", w, i);
	if (i % 3 == 1)
		snprintf(last, len, "many/w%d/r%03d", w, i);
	else if (i % 3 == 2)
		snprintf(last, len, "many/common/w%d_%03d", w, i);
	else
		snprintf(last, len, "%s", first);
	return i % 5 != 0;	/* whether it survives */
}

/* worker - worker w's share of the work; the exit status counts what failed. */
static int worker(int w)
{
	char first[64], last[64], tmp[64], buf[6400];
	int bad = 0;

	snprintf(tmp, sizeof(tmp), "many/w%d", w);
	if (mkdir(tmp, 0755) || chmod(tmp, 0755))
		return 1;
	for (int i = 0; i < NFILE; i++) {
		int keep = names(w, i, first, last, sizeof(first));
		size_t n = file_size(w, i);
		int fd = open(first, O_CREAT | O_EXCL | O_WRONLY, 0644);

		fill(buf, n, file_seed(w, i));
		if (fd < 0 || write(fd, buf, n) != (ssize_t)n || (i % 10 == 0 && fsync(fd)) ||
		    fchmod(fd, 0644) || close(fd)) {
			printf("FAIL: worker %d: write %s: %s\n", w, first, strerror(errno));
			bad++;
			continue;
		}
		if (strcmp(first, last) && rename(first, last)) {
			printf("FAIL: worker %d: rename %s %s: %s\n", w, first, last, strerror(errno));
			bad++;
		}
		/* A short-lived file in the shared directory: its entry comes and goes. */
		snprintf(tmp, sizeof(tmp), "many/common/tmp_w%d", w);
		if ((fd = open(tmp, O_CREAT | O_WRONLY, 0644)) < 0 || close(fd) || unlink(tmp))
			bad++;
		if (!keep && unlink(last)) {
			printf("FAIL: worker %d: unlink %s: %s\n", w, last, strerror(errno));
			bad++;
		}
	}
	return bad > 100 ? 100 : bad;
}

/* expect - the manifest of what the workers leave behind. */
static void expect(void)
{
	char first[64], last[64], dir[32], buf[6400];

	man_dir("many", 0755);
	man_dir("many/common", 0755);
	for (int w = 0; w < NWORK; w++) {
		snprintf(dir, sizeof(dir), "many/w%d", w);
		man_dir(dir, 0755);
		snprintf(dir, sizeof(dir), "many/common/tmp_w%d", w);
		man_absent(dir);
		for (int i = 0; i < NFILE; i++) {
			int keep = names(w, i, first, last, sizeof(first));
			if (strcmp(first, last))
				man_absent(first);
			if (!keep) {
				man_absent(last);
				continue;
			}
			fill(buf, file_size(w, i), file_seed(w, i));
			man_file(last, 0644, buf, file_size(w, i));
		}
	}
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("T_DISK_DIR");
	const char *scratch = NULL;
	pid_t pids[NWORK];
	int dfd;

	t_init();
	if (!dir)
		dir = scratch = scratch_make("t_disk_many");
	if (chdir(dir))
		die("FAIL: chdir %s: %s", dir, strerror(errno));
	umask(022);
	if ((dfd = open("many", O_RDONLY | O_DIRECTORY | O_NOFOLLOW)) >= 0) {
		scratch_clear(dfd);
		close(dfd);
		rmdir("many");
	}
	CHECK(mkdir("many", 0755) == 0 && mkdir("many/common", 0755) == 0 &&
	      chmod("many", 0755) == 0 && chmod("many/common", 0755) == 0, "mkdir many many/common");
	for (int w = 0; w < NWORK; w++)
		if ((pids[w] = must_fork()) == 0)
			_exit(worker(w));
	for (int w = 0; w < NWORK; w++)
		CHECK_EXIT(wait_pid(pids[w]), 0, "worker %d: %d files created, renamed, deleted", w, NFILE);
	sync();
	expect();
	man_check(".");
	CHECK(man_write("many.manifest") == 0, "write %s/many.manifest", dir);
	sync();
	if (scratch)
		CHECK(scratch_remove(scratch) == 0, "the scratch directory %s is removed", scratch);
	return t_done("t_disk_many");
}
