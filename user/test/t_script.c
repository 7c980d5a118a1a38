/*
 * t_script - shell scripts as users write them: "#!/bin/sh" files written into a scratch
 * directory and run by path (the kernel reads the #! line), and once through "sh FILE".
 * The scripts create, append to (>>), overwrite (>), copy (cat a > b), feed (<), list
 * (ls), move (mv), make (mkdir -p) and delete (rm, rm -r) files and directories in their
 * working directory, cd around, use their arguments ($0, $1, $#) and variables, write
 * another script, chmod it and run it, and end with an exit status. Each runs in a fresh
 * directory of its own; its standard output and exit status must be exactly what a POSIX
 * shell gives, and it must leave exactly the files it says. Also: a script without
 * execute permission is EACCES, a text file without "#!" is ENOEXEC.
 * Under qemu-riscv64 the scripts run with the host's /bin/sh and tools, which checks the
 * expectations themselves against a real shell.
 */
#include "ulib.h"
#include "scratch.h"

#define OUT_MAX 4096

/* put - create path with text and mode (exact: umask 022 is set by scratch_make). */
static void put(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) ||
	    fchmod(fd, mode) < 0 || close(fd) < 0)
		die("FAIL: writing %s: %s", path, strerror(errno));
}

/*
 * run - in directory dir, run argv with stdout into out (NUL-terminated, at most
 * OUT_MAX - 1 bytes) and stderr into dir.err; return the wait status, or -1 with errno
 * (the exec's) when the program could not be started at all.
 */
static int run(const char *dir, char *const argv[], char *out)
{
	int p[2], e[2], st, err = 0;
	size_t len = 0;
	ssize_t n;
	char errpath[256];
	pid_t pid;

	snprintf(errpath, sizeof(errpath), "%s.err", dir);
	xpipe(p);
	if (pipe2(e, O_CLOEXEC) < 0)
		die("FAIL: pipe2: %s", strerror(errno));
	fflush(NULL);
	pid = must_fork();
	if (pid == 0) {
		int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		close(p[0]);
		close(e[0]);
		if (chdir(dir) < 0 || fd < 0)
			_exit(125);
		dup2(p[1], 1);
		dup2(fd, 2);
		execve(argv[0], argv, environ);
		err = errno;
		if (write(e[1], &err, sizeof(err)) < 0)
			_exit(124);
		_exit(127);
	}
	close(p[1]);
	close(e[1]);
	while (len < OUT_MAX - 1 && (n = read(p[0], out + len, OUT_MAX - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	while (read(p[0], errpath, sizeof(errpath)) > 0) /* too much: drained, not compared */
		;
	close(p[0]);
	n = read(e[0], &err, sizeof(err));
	close(e[0]);
	st = wait_pid(pid);
	if (n == sizeof(err)) {
		errno = err;
		return -1;
	}
	return st;
}

/* listing - the names in dir, sorted, one per line (what ls prints). */
static void listing(const char *dir, char *buf, size_t size)
{
	char *names[64];
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;

	buf[0] = '\0';
	while (d && (e = readdir(d)) && n < 64)
		if (e->d_name[0] != '.')
			names[n++] = strdup(e->d_name);
	if (d)
		closedir(d);
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (strcmp(names[j], names[i]) < 0) {
				char *t = names[i];
				names[i] = names[j];
				names[j] = t;
			}
	for (int i = 0; i < n; i++) {
		snprintf(buf + strlen(buf), size - strlen(buf), "%s\n", names[i]);
		free(names[i]);
	}
}

/* show_err - print dir.err (the script's stderr) under a failed check. */
static void show_err(const char *dir)
{
	char path[256], text[2048];

	snprintf(path, sizeof(path), "%s.err", dir);
	if (read_small_file(path, text, sizeof(text)) > 0)
		printf("    its stderr:\n%s", text);
}

/*
 * check - run argv (argv[0]: a script path or the shell) in a new directory dir; its
 * stdout must be want_out, its exit status want_status, and dir must hold want_files.
 */
static void check(const char *what, const char *dir, char *const argv[], const char *want_out,
		  int want_status, const char *want_files)
{
	static char out[OUT_MAX], files[1024];
	int st;

	if (mkdir(dir, 0755) < 0)
		die("FAIL: mkdir %s: %s", dir, strerror(errno));
	st = run(dir, argv, out);
	if (st < 0) {
		CHECK(0, "%s: runs (exec %s: %s)", what, argv[0], strerror(errno));
		return;
	}
	if (!CHECK(WIFEXITED(st) && WEXITSTATUS(st) == want_status, "%s: exit status %d (%s)",
		   what, want_status, status_str(st)))
		show_err(dir);
	if (!CHECK(!strcmp(out, want_out), "%s: its output", what)) {
		printf("    got:\n%s    want:\n%s", out, want_out);
		show_err(dir);
	}
	listing(dir, files, sizeof(files));
	if (!CHECK(!strcmp(files, want_files), "%s: the files it left", what))
		printf("    got:\n%s    want:\n%s", files, want_files);
}

static const char files_sh[] =
	"#!/bin/sh\n"
	"# create, append, overwrite, copy, feed, list and delete, in the working directory\n"
	"echo one > a\n"
	"echo two >> a\n"
	"cat a > b\n"
	"echo three > a\n"
	"cat < b >> c\n"
	"cat b >> c\n"
	"ls\n"
	"cat a b c\n"
	"rm b\n"
	"echo 'left:'; ls\n"
	"echo done\n";
static const char files_out[] = "a\nb\nc\nthree\none\ntwo\none\ntwo\none\ntwo\nleft:\na\nc\ndone\n";

static const char dirs_sh[] =
	"#!/bin/sh\n"
	"mkdir -p d/e/f\n"
	"cd d\n"
	"echo x > e/f/g\n"
	"cd e/f\n"
	"cat g\n"
	"cd ../../..\n"
	"mv d/e/f/g h\n"
	"ls d/e/f\n"
	"cat h\n"
	"mv h d\n"
	"ls d\n"
	"mkdir k\n"
	"echo y > k/z\n"
	"rm -r d\n"
	"ls\n"
	"cd nowhere || echo 'no cd'\n"
	"rm nothing || echo 'no rm'\n";
static const char dirs_out[] = "x\nx\ne\nh\nk\nno cd\nno rm\n";

static const char args_sh[] =
	"#!/bin/sh\n"
	"echo \"$0\" $1 \"$2\" $#\n"
	"X=hello\n"
	"echo $X ${X}x\n"
	"echo \"$X world\" > out\n"
	"cat out\n"
	"exit 3\n";
static const char args_out[] = "../s/args.sh first second arg 2\nhello hellox\nhello world\n";

static const char gen_sh[] =
	"#!/bin/sh\n"
	"echo '#!/bin/sh' > inner.sh\n"
	"echo 'echo inner says $1' >> inner.sh\n"
	"echo 'exit 7' >> inner.sh\n"
	"./inner.sh hi || echo \"no run: $?\"\n"
	"chmod 755 inner.sh\n"
	"./inner.sh hi\n"
	"echo \"status $?\"\n"
	"sh inner.sh there\n"
	"mv inner.sh kept.sh\n"
	"ls\n";
static const char gen_out[] = "no run: 126\ninner says hi\nstatus 7\ninner says there\nkept.sh\n";

/* main - the scripts in <scratch>/s, each run in a directory of its own. */
int main(void)
{
	const char *scratch;
	int st;

	t_init();
	scratch = scratch_make("t_script");
	if (mkdir("s", 0755) < 0)
		die("FAIL: mkdir s: %s", strerror(errno));
	put("s/files.sh", files_sh, 0755);
	put("s/dirs.sh", dirs_sh, 0755);
	put("s/args.sh", args_sh, 0755);
	put("s/gen.sh", gen_sh, 0755);
	put("s/noexec.sh", files_sh, 0644);
	put("s/plain.txt", "echo no interpreter line\n", 0755);

	check("a #! script that makes, copies, lists and removes files", "w-files",
	      (char *[]){ "../s/files.sh", NULL }, files_out, 0, "a\nc\n");
	check("the same script through \"sh FILE\"", "w-sh",
	      (char *[]){ "/bin/sh", "../s/files.sh", NULL }, files_out, 0, "a\nc\n");
	check("a #! script with directories, cd, mv, mkdir -p, rm -r", "w-dirs",
	      (char *[]){ "../s/dirs.sh", NULL }, dirs_out, 0, "k\n");
	check("a #! script with arguments, variables and an exit status", "w-args",
	      (char *[]){ "../s/args.sh", "first", "second arg", NULL },
	      args_out, 3, "out\n");
	check("a #! script that writes, chmods and runs another script", "w-gen",
	      (char *[]){ "../s/gen.sh", NULL }, gen_out, 0, "kept.sh\n");

	if (mkdir("w-exec", 0755) < 0)
		die("FAIL: mkdir w-exec: %s", strerror(errno));
	st = run("w-exec", (char *[]){ "../s/noexec.sh", NULL }, (char[OUT_MAX]){ 0 });
	CHECK(st < 0 && errno == EACCES, "a script without execute permission: EACCES");
	st = run("w-exec", (char *[]){ "../s/plain.txt", NULL }, (char[OUT_MAX]){ 0 });
	CHECK(st < 0 && errno == ENOEXEC, "a text file without #!: ENOEXEC");

	CHECK(scratch_remove(scratch) == 0, "the scratch directory is removed");
	return t_done("t_script");
}
