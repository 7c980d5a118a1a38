/*
 * t_exec2 - exec of files written at run time, and #! scripts, as on Linux:
 *   - a copy of this binary written with open/write/chmod runs; without any execute bit
 *     it is EACCES (for root too); a text file without "#!" is ENOEXEC;
 *   - "#!interp arg": the interpreter gets argv [interp, arg, script, args...] (arg is the
 *     rest of the line, inner blanks kept, outer ones dropped), without arg [interp,
 *     script, args...]; an interpreter may itself be a script, five files deep at most
 *     (a sixth is ELOOP); a missing interpreter is ENOENT, one without x EACCES;
 *   - execve("/proc/self/exe") runs this program again;
 *   - a binary overwritten (in place, then by O_TRUNC and rewrite) runs its new code.
 *
 * Run with T_EXEC2=1 in the environment this program is the "child mode" instead: it
 * prints "<code mark>|argv[0]|argv[1]|..." and exits 42. The code mark is computed by
 * two instructions the overwrite checks patch in the copy.
 *
 * Under qemu-user without binfmt_misc the host kernel cannot run a riscv64 binary
 * (ENOEXEC): then the checks that run this program again are skipped, and the #! logic
 * is still checked with /bin/echo (a host binary there, Holstein's own echo here).
 */
#include "ulib.h"

#define CHILD_EXIT 42
#define MARK_LUI 0x5a5a5537u  /* lui a0, 0x5a5a5 */
#define MARK_ADDI 0x12350513u /* addi a0, a0, 0x123 */
#define MARK_IMM(insn, imm) (((insn)&0xfffffu) | ((uint32_t)(imm) << 20))

static char dir[64];
static int riscv_exec; /* nonzero when exec of a riscv64 binary works here */

/* code_mark - 0x5a5a5123, unless the file this runs from was patched. */
static __attribute__((noinline)) long code_mark(void)
{
	long v;

	asm volatile(".option push\n.option norvc\n"
		     "lui a0, 0x5a5a5\naddi a0, a0, 0x123\nmv %0, a0\n"
		     ".option pop"
		     : "=r"(v)
		     :
		     : "a0");
	return v;
}

/* child_mode - report the code mark and argv on stdout, exit CHILD_EXIT. */
static int child_mode(int argc, char **argv)
{
	printf("%lx", code_mark());
	for (int i = 0; i < argc; i++)
		printf("|%s", argv[i]);
	fflush(stdout);
	return CHILD_EXIT;
}

/* in_dir - "<dir>/<name>" in one of four rotating static buffers. */
static const char *in_dir(const char *name)
{
	static char buf[4][128];
	static int next;
	char *b = buf[next++ % 4];

	snprintf(b, sizeof(buf[0]), "%s/%s", dir, name);
	return b;
}

/* put_file - create name (in dir) holding text with mode; nonzero on success. */
static int put_file(const char *name, const char *text, mode_t mode)
{
	int fd = open(in_dir(name), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t len = strlen(text);
	int ok = fd >= 0 && write(fd, text, len) == (ssize_t)len;

	if (fd >= 0)
		close(fd);
	return ok && chmod(in_dir(name), mode) == 0;
}

struct run {
	int err;       /* errno of a failed execve, 0 if it ran */
	int status;    /* wait status */
	char out[512]; /* what it wrote to stdout, NUL-terminated */
};

/*
 * run - fork, execve(path, argv) in the child with stdout on a pipe and T_EXEC2=1 in the
 * environment; fill r with the exec's errno (sent back over a close-on-exec pipe), the
 * output and the wait status.
 */
static void run(const char *path, char *const argv[], struct run *r)
{
	static char *const envp[] = {"T_EXEC2=1", "PATH=/bin:/usr/bin", NULL};
	int out[2], errp[2];
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	xpipe(out);
	if (pipe2(errp, O_CLOEXEC) < 0)
		die("pipe2: %s", strerror(errno));
	pid = must_fork();
	if (pid == 0) {
		int e;

		close(out[0]);
		close(errp[0]);
		dup2(out[1], 1);
		close(out[1]);
		execve(path, argv, envp);
		e = errno;
		if (write(errp[1], &e, sizeof(e)) != sizeof(e))
			_exit(126);
		_exit(127);
	}
	close(out[1]);
	close(errp[1]);
	while (len + 1 < sizeof(r->out) &&
	       (n = read(out[0], r->out + len, sizeof(r->out) - 1 - len)) > 0)
		len += n;
	r->out[len] = '\0';
	if (read(errp[0], &r->err, sizeof(r->err)) != sizeof(r->err))
		r->err = 0;
	close(out[0]);
	close(errp[0]);
	r->status = wait_pid(pid);
}

/* expect_err - exec path with argv [path] must fail with want. */
static void expect_err(const char *path, int want, const char *what)
{
	char *const argv[] = {(char *)path, NULL};
	struct run r;

	run(path, argv, &r);
	errno = r.err;
	t_check_err(r.err ? -1 : 0, r.err, want, 0, __LINE__, "%s", what);
}

/* expect_out - exec path with argv must exit with code and print exactly want. */
static void expect_out(const char *path, char *const argv[], int code, const char *want,
		       const char *what)
{
	struct run r;

	run(path, argv, &r);
	if (!CHECK(r.err == 0 && WIFEXITED(r.status) && WEXITSTATUS(r.status) == code &&
		       !strcmp(r.out, want),
		   "%s", what))
		printf("    exec errno %d (%s), %s, output \"%s\", want \"%s\"\n", r.err,
		       strerror(r.err), status_str(r.status), r.out, want);
}

/* copy_self - write this program's bytes to dir/name with open/write, mode 0644. */
static int copy_self(const char *src, const char *name)
{
	int in = open(src, O_RDONLY | O_CLOEXEC), out;
	char buf[8192];
	ssize_t n;
	int ok = 1;

	if (in < 0)
		in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return 0;
	out = open(in_dir(name), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	while (out >= 0 && ok && (n = read(in, buf, sizeof(buf))) > 0)
		ok = write(out, buf, n) == n;
	close(in);
	if (out < 0)
		return 0;
	return close(out) == 0 && ok;
}

/*
 * mark_offset - the file offset of code_mark's lui+addi pair in path, or -1. With
 * compressed instructions around it the pair is only 2-byte aligned, so step by 2.
 */
static off_t mark_offset(const char *path)
{
	static unsigned char buf[16384];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	off_t base = 0, found = -1;
	uint32_t lui, addi;
	ssize_t n;

	if (fd < 0)
		return -1;
	/* Each window overlaps the previous one by 8 bytes, so no pair is missed. */
	while (found < 0 && (n = pread(fd, buf, sizeof(buf), base)) >= 8) {
		for (ssize_t i = 0; i + 8 <= n; i += 2) {
			memcpy(&lui, buf + i, 4);
			memcpy(&addi, buf + i + 4, 4);
			if (lui == MARK_LUI && (addi & 0xfffff) == (MARK_ADDI & 0xfffff)) {
				found = base + i;
				break;
			}
		}
		if (n < (ssize_t)sizeof(buf))
			break;
		base += n - 8;
	}
	close(fd);
	return found;
}

/*
 * check_binary - copy this program into the scratch dir, check EACCES without x, then find out
 * whether a riscv64 binary runs here (riscv_exec) and if so run the copy and /proc/self/exe.
 */
static void check_binary(const char *self)
{
	char *const argv[] = {"any-name", "one", "two words", NULL};
	char want[256];
	struct run r;

	if (!CHECK(copy_self(self, "prog"), "copy this program into the scratch dir (mode 0644)"))
		return;
	expect_err(in_dir("prog"), EACCES, "exec of a file without execute permission -> EACCES");
	CHECK(chmod(in_dir("prog"), 0755) == 0, "chmod 0755");
	run(in_dir("prog"), argv, &r);
	riscv_exec = r.err == 0 || on_holstein();
	if (!riscv_exec) {
		t_skip("exec of a riscv64 binary fails here (errno %d %s: no binfmt_misc?); the "
		       "checks that run this program again are skipped",
		       r.err, strerror(r.err));
		return;
	}
	snprintf(want, sizeof(want), "5a5a5123|any-name|one|two words");
	if (!CHECK(r.err == 0 && WIFEXITED(r.status) && WEXITSTATUS(r.status) == CHILD_EXIT &&
		       !strcmp(r.out, want),
		   "the copy runs and sees its argv"))
		printf("    errno %d, %s, output \"%s\"\n", r.err, status_str(r.status), r.out);
	if (getuid() == 0) {
		CHECK(chmod(in_dir("prog"), 0001) == 0, "chmod 0001");
		expect_out(in_dir("prog"), argv, CHILD_EXIT, want,
			   "root runs a file any execute bit is set on (0001)");
		chmod(in_dir("prog"), 0755);
	}
	{
		char *const pargv[] = {"self", "p", NULL};

		expect_out("/proc/self/exe", pargv, CHILD_EXIT, "5a5a5123|self|p",
			   "execve(\"/proc/self/exe\") runs this program again");
	}
}

/* check_overwrite - patch code_mark in the copy, in place and then by rewriting it. */
static void check_overwrite(void)
{
	char *const argv[] = {"prog", NULL};
	uint32_t insn;
	off_t off;
	int fd;

	if (!riscv_exec)
		return;
	off = mark_offset(in_dir("prog"));
	if (!CHECK(off >= 0, "find code_mark's instructions in the copy"))
		return;
	insn = MARK_IMM(MARK_ADDI, 0x456);
	fd = open(in_dir("prog"), O_WRONLY | O_CLOEXEC);
	CHECK(fd >= 0 && pwrite(fd, &insn, 4, off + 4) == 4 && close(fd) == 0,
	      "overwrite one instruction of the (not running) copy in place");
	expect_out(in_dir("prog"), argv, CHILD_EXIT, "5a5a5456|prog", "the patched code runs");

	/* Now rewrite the whole file through O_TRUNC, with another immediate. */
	static char image[4 << 20];
	ssize_t len;

	fd = open(in_dir("prog"), O_RDONLY | O_CLOEXEC);
	len = fd < 0 ? -1 : read(fd, image, sizeof(image));
	if (fd >= 0)
		close(fd);
	if (!CHECK(len > off + 8 && len < (ssize_t)sizeof(image), "read the copy back"))
		return;
	insn = MARK_IMM(MARK_ADDI, 0x789);
	memcpy(image + off + 4, &insn, 4);
	fd = open(in_dir("prog"), O_WRONLY | O_TRUNC | O_CLOEXEC);
	CHECK(fd >= 0 && write(fd, image, len) == len && close(fd) == 0,
	      "truncate and rewrite the copy with other code");
	expect_out(in_dir("prog"), argv, CHILD_EXIT, "5a5a5789|prog", "the rewritten code runs");
}

/* check_not_exec - files exec refuses: text, empty, "#!" alone, a directory, missing paths. */
static void check_not_exec(void)
{
	CHECK(put_file("text", "hello world\n", 0755), "write a text file, mode 0755");
	expect_err(in_dir("text"), ENOEXEC, "exec of a text file without #! -> ENOEXEC");
	CHECK(put_file("empty", "", 0755), "write an empty file, mode 0755");
	expect_err(in_dir("empty"), ENOEXEC, "exec of an empty file -> ENOEXEC");
	CHECK(put_file("bang", "#!\n", 0755), "write a script of just \"#!\"");
	expect_err(in_dir("bang"), ENOEXEC, "a #! line without an interpreter -> ENOEXEC");
	expect_err(dir, EACCES, "exec of a directory -> EACCES");
	expect_err(in_dir("nothing"), ENOENT, "exec of a missing file -> ENOENT");
	expect_err(in_dir("text/x"), ENOTDIR, "exec through a file as a directory -> ENOTDIR");
}

/* check_scripts_echo - #! argv, blanks, relative paths, interpreter errors, via /bin/echo. */
static void check_scripts_echo(void)
{
	char *const argv[] = {"argv0-dropped", "a", "b c", NULL};
	char text[256], want[512];

	CHECK(put_file("echo1", "#!/bin/echo -x\n", 0755), "write a script \"#!/bin/echo -x\"");
	snprintf(want, sizeof(want), "-x %s a b c\n", in_dir("echo1"));
	expect_out(in_dir("echo1"), argv, 0, want,
		   "interpreter argv: [interp, arg, script, args...]");
	CHECK(put_file("echo0", "#!/bin/echo\n", 0755), "write a script \"#!/bin/echo\"");
	snprintf(want, sizeof(want), "%s a b c\n", in_dir("echo0"));
	expect_out(in_dir("echo0"), argv, 0, want,
		   "without an argument: [interp, script, args...]");
	CHECK(put_file("echo2", "#! \t/bin/echo  -x \t y \t\n", 0755), "a #! line with blanks");
	snprintf(want, sizeof(want), "-x \t y %s\n", in_dir("echo2"));
	expect_out(in_dir("echo2"), argv + 3, 0, want,
		   "blanks around the interpreter and its argument are dropped, inner ones kept");

	if (CHECK(chdir(dir) == 0, "chdir into the scratch dir")) {
		expect_out("./echo1", argv, 0, "-x ./echo1 a b c\n",
			   "a script run by a relative path gets that path");
		CHECK(chdir("/") == 0, "chdir back to /");
	}
	if (getuid() == 0) {
		CHECK(chmod(in_dir("echo0"), 0001) == 0, "chmod the script 0001");
		snprintf(want, sizeof(want), "%s a b c\n", in_dir("echo0"));
		expect_out(in_dir("echo0"), argv, 0, want, "root runs a script with only o+x");
	}
	CHECK(chmod(in_dir("echo0"), 0644) == 0, "chmod the script 0644");
	expect_err(in_dir("echo0"), EACCES, "a script without execute permission -> EACCES");

	snprintf(text, sizeof(text), "#!%s\n", in_dir("missing"));
	CHECK(put_file("lost", text, 0755), "write a script whose interpreter does not exist");
	expect_err(in_dir("lost"), ENOENT, "a missing interpreter -> ENOENT");
	snprintf(text, sizeof(text), "#!%s\n", dir);
	CHECK(put_file("dirint", text, 0755), "write a script whose interpreter is a directory");
	expect_err(in_dir("dirint"), EACCES, "a directory as interpreter -> EACCES");
	snprintf(text, sizeof(text), "#!%s\n", in_dir("echo0"));
	CHECK(put_file("noxint", text, 0755), "write a script whose interpreter has no x bit");
	expect_err(in_dir("noxint"), EACCES, "an interpreter without execute permission -> EACCES");
}

/*
 * make_chain - scripts <prefix>1 .. <prefix>depth, each interpreted by the next (<prefix>2
 * with the argument "mid"), the last by last (a "#!" line's rest). Nonzero on success.
 */
static int make_chain(const char *prefix, int depth, const char *last)
{
	char name[32], text[256];
	int ok = 1;

	for (int i = 1; i <= depth; i++) {
		snprintf(name, sizeof(name), "%s%d", prefix, i);
		if (i == depth)
			snprintf(text, sizeof(text), "#!%s\n", last);
		else
			snprintf(text, sizeof(text), "#!%s/%s%d%s\n", dir, prefix, i + 1,
				 i == 2 ? " mid" : "");
		ok &= put_file(name, text, 0755);
	}
	return ok;
}

/* chain_args - " c5 c4 c3 mid c2 c1": what follows the last interpreter's own argument. */
static void chain_args(char *buf, size_t size, const char *prefix, int depth, char sep)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = depth; i >= 1; i--) {
		char name[32];

		snprintf(name, sizeof(name), "%s%d", prefix, i);
		len += snprintf(buf + len, size - len, "%c%s", sep, in_dir(name));
		if (i == 3) /* script 2's line names script 3 with the argument "mid" */
			len += snprintf(buf + len, size - len, "%cmid", sep);
	}
}

/* check_chains - interpreters that are scripts: 5 deep runs, 6 deep is ELOOP. */
static void check_chains(void)
{
	char *const argv[] = {"chain", "a", NULL};
	char args[1024], want[1200], last[160];

	CHECK(make_chain("c", 5, "/bin/echo -x"), "write a chain of 5 scripts ending in /bin/echo");
	chain_args(args, sizeof(args), "c", 5, ' ');
	snprintf(want, sizeof(want), "-x%s a\n", args);
	expect_out(in_dir("c1"), argv, 0, want, "5 scripts deep runs, every script in argv");
	CHECK(make_chain("d", 6, "/bin/echo"), "write a chain of 6 scripts");
	expect_err(in_dir("d1"), ELOOP, "6 scripts deep -> ELOOP");
	if (!riscv_exec)
		return;

	/*
	 * Four scripts, not five: where a riscv64 ELF runs through binfmt_misc (the oracle
	 * with qemu registered) that is one more level of the same limit.
	 */
	snprintf(last, sizeof(last), "%s -x", in_dir("prog"));
	CHECK(make_chain("e", 4, last), "write a chain of 4 scripts ending in this program");
	chain_args(args, sizeof(args), "e", 4, '|');
	snprintf(want, sizeof(want), "5a5a5123|%s|-x%s|a", in_dir("prog"), args);
	expect_out(in_dir("e1"), argv, CHILD_EXIT, want, "... this program sees exactly that argv");
}

/* check_scripts_self - the exact argv this program gets as a script's interpreter. */
static void check_scripts_self(void)
{
	char *const argv[] = {"dropped", "a", "b c", NULL};
	char text[256], want[512];

	if (!riscv_exec)
		return;
	snprintf(text, sizeof(text), "#!%s -x\n", in_dir("prog"));
	CHECK(put_file("self1", text, 0755), "write a script \"#!<this program> -x\"");
	snprintf(want, sizeof(want), "5a5a5123|%s|-x|%s|a|b c", in_dir("prog"), in_dir("self1"));
	expect_out(in_dir("self1"), argv, CHILD_EXIT, want,
		   "the interpreter gets argv [interp, \"-x\", script, \"a\", \"b c\"]");
	snprintf(text, sizeof(text), "#!%s\n", in_dir("prog"));
	CHECK(put_file("self0", text, 0755), "write a script \"#!<this program>\"");
	snprintf(want, sizeof(want), "5a5a5123|%s|%s|a|b c", in_dir("prog"), in_dir("self0"));
	expect_out(in_dir("self0"), argv, CHILD_EXIT, want,
		   "without an argument: [interp, script, \"a\", \"b c\"]");
}

/* main - the child mode when T_EXEC2 is set; else every check in a fresh scratch directory. */
int main(int argc, char **argv)
{
	static const char *files[] = {"prog",  "text", "empty",	 "bang",   "echo0", "echo1",
				      "echo2", "lost", "dirint", "noxint", "self0", "self1"};
	const char *self;

	if (getenv("T_EXEC2"))
		return child_mode(argc, argv);
	t_init();
	self = self_path(argv[0]);
	snprintf(dir, sizeof(dir), "/tmp/t_exec2.XXXXXX");
	if (!CHECK(mkdtemp(dir) != NULL, "mkdtemp under /tmp"))
		return t_done("t_exec2");
	check_binary(self);
	check_not_exec();
	check_scripts_echo();
	check_chains();
	check_scripts_self();
	check_overwrite();
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlink(in_dir(files[i]));
	for (int i = 1; i <= 6; i++) {
		char name[8];

		for (const char *p = "cde"; *p; p++) {
			snprintf(name, sizeof(name), "%c%d", *p, i);
			unlink(in_dir(name));
		}
	}
	CHECK(rmdir(dir) == 0, "the scratch directory is empty and removed");
	return t_done("t_exec2");
}
