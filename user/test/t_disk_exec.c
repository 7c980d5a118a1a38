/*
 * t_disk_exec - programs copied into a directory's file system run from there:
 *     t_disk_exec [DIR]      (or T_DISK_DIR=DIR; default: a scratch directory under /tmp)
 * This program copies itself to DIR/exec/prog with write(2): exec is refused (EACCES)
 * until chmod +x, then the copy runs, also as four processes at once (one page cache for
 * all).  On Holstein, BusyBox (/bin/busybox) is copied too and runs a shell command from
 * there.  Under qemu-user a riscv64 binary runs only with binfmt_misc
 * (scripts/binfmt-oracle); without it the runs are skipped.  The manifest
 * (DIR/exec.manifest, user/lib/manifest.h) holds the copies' bytes and modes.
 */
#include "ulib.h"
#include "scratch.h"
#include "sha256.h"
#include "manifest.h"

#define CHILD_EXIT 42

/* copy - @src into @dst (mode 0644) with read/write; its bytes into *@data (malloc'd). */
static long copy(const char *src, const char *dst, char **data)
{
	int in = open(src, O_RDONLY | O_CLOEXEC), out;
	size_t cap = 1 << 20, len = 0;
	char *buf = malloc(cap);
	ssize_t n = 0;

	if (in < 0 || !buf)
		return -1;
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	while (out >= 0 && (n = read(in, buf + len, cap - len)) > 0) {
		if (write(out, buf + len, (size_t)n) != n)
			break;
		len += (size_t)n;
		if (len == cap && !(buf = realloc(buf, cap *= 2)))
			return -1;
	}
	close(in);
	if (out < 0 || n != 0 || fchmod(out, 0644) || close(out))
		return -1;
	*data = buf;
	return (long)len;
}

/* run - fork and execv @path with @argv; the wait status, or -1 (errno: exec's error). */
static int run(const char *path, char *const argv[])
{
	int p[2], err = 0;
	pid_t pid;

	xpipe(p);
	if ((pid = must_fork()) == 0) {
		close(p[0]);
		fcntl(p[1], F_SETFD, FD_CLOEXEC);
		execv(path, argv);
		err = errno;
		if (write(p[1], &err, sizeof(err)) < 0)
			_exit(126);
		_exit(127);
	}
	close(p[1]);
	if (read(p[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(p[0]);
	int st = wait_pid(pid);
	return err ? (errno = err, -1) : st;
}

/* check_self - the copy of this program: EACCES, chmod, runs alone and four at once. */
static void check_self(const char *self)
{
	char *argv[] = { "prog", "--child", NULL }, *data;
	long n = copy(self, "exec/prog", &data);
	pid_t pids[4];
	int st;

	if (!CHECK(n > 0, "copy %s to exec/prog", self))
		return;
	CHECK_ERR(run("exec/prog", argv), EACCES, "exec without execute permission -> EACCES");
	CHECK(chmod("exec/prog", 0755) == 0, "chmod 0755 exec/prog");
	man_file("exec/prog", 0755, data, (size_t)n);
	free(data);
	st = run("exec/prog", argv);
	if (st < 0 && !on_holstein()) {
		t_skip("exec of a riscv64 binary fails here (%s: no binfmt_misc?)", strerror(errno));
		return;
	}
	CHECK_EXIT(st, CHILD_EXIT, "exec/prog runs from the disk");
	for (int i = 0; i < 4; i++)
		if ((pids[i] = must_fork()) == 0)
			_exit(run("exec/prog", argv) == CHILD_EXIT << 8 ? 0 : 1);
	for (int i = 0; i < 4; i++)
		CHECK_EXIT(wait_pid(pids[i]), 0, "run %d of exec/prog, four at once", i);
}

/* check_busybox - on Holstein: BusyBox copied to the disk runs a shell from there. */
static void check_busybox(void)
{
	char *argv[] = { "sh", "-c", "test -x exec/busybox && exit 7", NULL }, *data;
	long n;

	if (!on_holstein() || access("/bin/busybox", R_OK)) {
		t_skip("BusyBox from the disk: only on Holstein");
		return;
	}
	n = copy("/bin/busybox", "exec/busybox", &data);
	if (!CHECK(n > 0 && chmod("exec/busybox", 0755) == 0, "copy /bin/busybox to exec/busybox"))
		return;
	man_file("exec/busybox", 0755, data, (size_t)n);
	free(data);
	CHECK_EXIT(run("exec/busybox", argv), 7, "exec/busybox sh -c '...; exit 7' runs from the disk");
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 && strcmp(argv[1], "--child") ? argv[1] : getenv("T_DISK_DIR");
	const char *self = self_path(argv[0]), *scratch = NULL;
	char abs_self[512];

	if (argc > 1 && !strcmp(argv[argc - 1], "--child"))
		return CHILD_EXIT;
	t_init();
	/* Relative to where we start, not to DIR. */
	if (self[0] != '/' && getcwd(abs_self, sizeof(abs_self) / 2))
		self = strcat(strcat(abs_self, "/"), self);
	if (access(self, R_OK))
		self = "/proc/self/exe";
	if (!dir)
		dir = scratch = scratch_make("t_disk_exec");
	if (chdir(dir))
		die("FAIL: chdir %s: %s", dir, strerror(errno));
	umask(022);
	unlink("exec/prog");
	unlink("exec/busybox");
	rmdir("exec");
	CHECK(mkdir("exec", 0755) == 0 && chmod("exec", 0755) == 0, "mkdir %s/exec", dir);
	man_dir("exec", 0755);
	check_self(self);
	check_busybox();
	man_check(".");
	CHECK(man_write("exec.manifest") == 0, "write %s/exec.manifest", dir);
	sync();
	if (scratch)
		CHECK(scratch_remove(scratch) == 0, "the scratch directory %s is removed", scratch);
	return t_done("t_disk_exec");
}
