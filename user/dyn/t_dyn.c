/*
 * t_dyn - a program built as riscv64-linux-gnu-gcc builds by default (PIE, glibc's shared
 * libraries, /lib/ld-linux-riscv64-lp64d.so.1 as its interpreter) runs as on Linux:
 *   - its auxv: AT_BASE is ld.so's load address (an ELF header there), AT_PHDR is this
 *     program's header table in memory, AT_ENTRY is &_start, AT_PHENT/PHNUM/PAGESZ right,
 *     AT_RANDOM and AT_EXECFN set; argv and envp arrive; printf works;
 *   - /proc/self/maps names libc.so.6 and ld.so on their mappings;
 *   - dlopen: libm.so.6 (not linked in) gives cos; a library built in the tree
 *     (lib/libdynplug.so next to this program) runs its constructor and its PLT, and
 *     dlclose unmaps it;
 *   - it forks and execs itself (a dynamic program starting a dynamic program), and
 *     LD_TRACE_LOADED_OBJECTS=1 makes ld.so list the libraries instead (what ldd does);
 *   - ld.so run as a program runs this one;
 *   - on Holstein: a missing interpreter is ENOENT at execve, a text file as interpreter
 *     EIO (shorter than an ELF header) or ELIBBAD (Linux's answers; under qemu-user the
 *     host cannot say).
 * With T_DYN_CHILD set it is the child: prints "child <argv[1]> <AT_BASE != 0>" and exits 42.
 */
#include "ulib.h"
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <sys/auxv.h>

extern char __executable_start[], _end[];
extern void _start(void);

static const char *self;
static int riscv_exec; /* a riscv64 binary runs here when this process execs one */

/* check_auxv - what the kernel told ld.so and the program about both images. */
static void check_auxv(int argc, char **argv)
{
	unsigned long base = getauxval(AT_BASE), phdr = getauxval(AT_PHDR);
	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)__executable_start;
	const char *fn = (const char *)getauxval(AT_EXECFN);

	CHECK(base != 0 && memcmp((void *)base, ELFMAG, SELFMAG) == 0,
	      "AT_BASE %#lx: the interpreter's ELF header is mapped there", base);
	CHECK(phdr == (unsigned long)__executable_start + eh->e_phoff && phdr < (unsigned long)_end,
	      "AT_PHDR %#lx: this program's header table, inside the program", phdr);
	CHECK(getauxval(AT_ENTRY) == (unsigned long)_start, "AT_ENTRY == &_start (%p), relocated",
	      (void *)_start);
	CHECK((unsigned long)_start > 0x100000, "a PIE: loaded away from 0 (_start at %p)",
	      (void *)_start);
	CHECK(getauxval(AT_PHENT) == sizeof(ElfW(Phdr)) && getauxval(AT_PHNUM) == eh->e_phnum,
	      "AT_PHENT %lu, AT_PHNUM %lu", getauxval(AT_PHENT), getauxval(AT_PHNUM));
	CHECK(getauxval(AT_PAGESZ) == 4096, "AT_PAGESZ 4096");
	CHECK(getauxval(AT_RANDOM) != 0, "AT_RANDOM set");
	CHECK(fn && strstr(fn, "t_dyn"), "AT_EXECFN names this program (%s)", fn ? fn : "-");
	CHECK(argc >= 1 && strstr(argv[0], "t_dyn") && argv[argc] == NULL,
	      "argv arrives (argv[0] %s)", argv[0]);
	CHECK(environ && environ[0], "envp arrives (%s...)", environ[0] ? environ[0] : "-");
}

/* maps_has - a line of /proc/self/maps whose path ends with /name (and has perms, if given). */
static int maps_has(const char *name, const char *perms)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512], want[128];
	int found = 0;

	snprintf(want, sizeof(want), "/%s\n", name);
	while (f && fgets(line, sizeof(line), f)) {
		size_t n = strlen(line), w = strlen(want);

		if (n >= w && !strcmp(line + n - w, want) && (!perms || strstr(line, perms)))
			found = 1;
	}
	if (f)
		fclose(f);
	return found;
}

/* check_dlopen - libm from the system, then the tree's own plugin; dlclose unmaps it. */
static void check_dlopen(void)
{
	char path[512], *slash;
	void *m = dlopen("libm.so.6", RTLD_NOW);
	double (*cosp)(double) = m ? (double (*)(double))dlsym(m, "cos") : NULL;

	if (CHECK(cosp != NULL, "dlopen(\"libm.so.6\") and dlsym(\"cos\") (%s)",
		  cosp ? "ok" : dlerror()))
		CHECK(cosp(0.0) == 1.0 && cosp(3.14159265358979323846) == -1.0,
		      "cos(0) == 1, cos(pi) == -1 through dlsym");
	snprintf(path, sizeof(path), "%s", self);
	slash = strrchr(path, '/');
	snprintf(slash ? slash + 1 : path, sizeof(path) - (slash ? slash + 1 - path : 0),
		 "lib/libdynplug.so");
	if (access(path, R_OK) != 0) {
		t_skip("%s is not here: the plugin checks are skipped", path);
		return;
	}
	void *p = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	int (*answer)(double) = p ? (int (*)(double))dlsym(p, "dynplug_answer") : NULL;

	if (!CHECK(answer != NULL, "dlopen(\"%s\"), dlsym (%s)", path, answer ? "ok" : dlerror()))
		return;
	CHECK(answer(1.0) == 42, "the plugin's constructor ran and its call into libm works");
	CHECK(maps_has("libdynplug.so", NULL), "/proc/self/maps shows the plugin while loaded");
	CHECK(dlclose(p) == 0, "dlclose");
	CHECK(!maps_has("libdynplug.so", NULL), "... and not after dlclose");
	if (m)
		dlclose(m);
}

/* run - fork, exec self with argv and T_DYN_CHILD=1 (plus extra env); output and status. */
static int run(char *const argv[], const char *extra, char *out, size_t size, int *err)
{
	/* Under qemu-user with binfmt_misc the child's qemu needs the sysroot too. */
	static char prefix[300];
	char *envp[] = {"T_DYN_CHILD=1", prefix, (char *)extra, NULL};

	snprintf(prefix, sizeof(prefix), "QEMU_LD_PREFIX=%s",
		 getenv("QEMU_LD_PREFIX") ? getenv("QEMU_LD_PREFIX") : "");
	int p[2], e[2];
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	xpipe(p);
	if (pipe2(e, O_CLOEXEC) < 0)
		die("pipe2");
	pid = must_fork();
	if (pid == 0) {
		dup2(p[1], 1);
		execve(self, argv, envp);
		n = errno;
		if (write(e[1], &n, sizeof(int)) < 0)
			_exit(126);
		_exit(127);
	}
	close(p[1]);
	close(e[1]);
	while (len + 1 < size && (n = read(p[0], out + len, size - 1 - len)) > 0)
		len += n;
	out[len] = '\0';
	*err = 0;
	if (read(e[0], err, sizeof(int)) != sizeof(int))
		*err = 0;
	close(p[0]);
	close(e[0]);
	return wait_pid(pid);
}

/* check_exec - a dynamic program forks and execs one; ld.so's trace mode lists libraries. */
static void check_exec(void)
{
	char *argv[] = {"t_dyn-child", "hello", NULL};
	char out[2048];
	int err, st = run(argv, NULL, out, sizeof(out), &err);

	riscv_exec = err != ENOEXEC || on_holstein();
	if (!riscv_exec) {
		t_skip("exec of a riscv64 binary fails here (no binfmt_misc?): fork+exec and "
		       "LD_TRACE_LOADED_OBJECTS are not checked");
		return;
	}
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42 && !strcmp(out, "child hello 1"),
	      "fork, then execve of a dynamic PIE: it runs, with AT_BASE set (\"%s\", %s)", out,
	      status_str(st));
	if (!on_holstein()) {
		/* A dynamically linked host qemu runs it there: ld.so would trace qemu. */
		t_skip("under qemu-user LD_TRACE_LOADED_OBJECTS and ld.so run as a program are "
		       "not checked");
		return;
	}
	st = run(argv, "LD_TRACE_LOADED_OBJECTS=1", out, sizeof(out), &err);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0 && strstr(out, "libc.so.6 => ") &&
		  strstr(out, "ld-linux-riscv64-lp64d.so.1"),
	      "LD_TRACE_LOADED_OBJECTS=1: ld.so lists libc.so.6 and itself (%s)", status_str(st));
	{
		/* ld.so run as a program (what ldd does), loading this one itself. */
		char *largv[] = {"ld.so", (char *)self, "direct", NULL};
		const char *keep = self;

		self = "/lib/ld-linux-riscv64-lp64d.so.1";
		st = run(largv, NULL, out, sizeof(out), &err);
		self = keep;
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42 && !strncmp(out, "child direct", 12),
		      "ld.so run as a program runs this one (\"%s\", %s)", out, status_str(st));
	}
}

/*
 * patched_copy - a copy of this program at dst whose PT_INTERP names interp (the same
 * length as the original name). Nonzero on success.
 */
static int patched_copy(const char *dst, const char *interp)
{
	static char buf[256 * 1024];
	int fd = open(self, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;
	const char *orig = "/lib/ld-linux-riscv64-lp64d.so.1";
	char *at = n > 0 ? memmem(buf, (size_t)n, orig, strlen(orig) + 1) : NULL;

	if (fd >= 0)
		close(fd);
	if (!at || strlen(interp) != strlen(orig))
		return 0;
	memcpy(at, interp, strlen(orig));
	fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (fd < 0 || write(fd, buf, (size_t)n) != n)
		return 0;
	return close(fd) == 0;
}

/* check_bad_interp - Linux's errors for an interpreter that is missing or not ELF. */
static void check_bad_interp(void)
{
	const char *prog = "/tmp/t_dyn.badinterp";
	/* 32 characters each, as the real name */
	const char *missing = "/lib/ld-linux-riscv64-lp64d.so.9";
	const char *text = "/tmp/t_dyn.text-interpreter.xxxx";
	char *argv[] = {"bad", NULL};
	int fd;

	if (!on_holstein()) {
		t_skip("under qemu-user the host kernel cannot judge a riscv64 interpreter");
		return;
	}
	CHECK(patched_copy(prog, missing), "a copy of this program naming a missing interpreter");
	errno = 0;
	CHECK(execve(prog, argv, environ) == -1 && errno == ENOENT,
	      "execve: a missing interpreter -> ENOENT");
	fd = open(text, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	CHECK(fd >= 0 && write(fd, "#!/bin/sh\necho not ELF\n", 23) == 23 && close(fd) == 0,
	      "an executable text file of 23 bytes");
	CHECK(patched_copy(prog, text), "a copy naming it as interpreter");
	errno = 0;
	CHECK(execve(prog, argv, environ) == -1 && errno == EIO,
	      "execve: an interpreter shorter than an ELF header -> EIO");
	fd = open(text, O_WRONLY | O_APPEND);
	CHECK(fd >= 0 &&
		  write(fd, "#234567890123456789012345678901234567890123456789\n", 51) == 51 &&
		  close(fd) == 0,
	      "... 74 bytes");
	errno = 0;
	CHECK(execve(prog, argv, environ) == -1 && errno == ELIBBAD,
	      "execve: an interpreter that is not ELF -> ELIBBAD");
	unlink(prog);
	unlink(text);
}

int main(int argc, char **argv)
{
	if (getenv("T_DYN_CHILD")) {
		printf("child %s %d", argc > 1 ? argv[1] : "-", getauxval(AT_BASE) != 0);
		return 42;
	}
	t_init();
	self = self_path(argv[0]);
	check_auxv(argc, argv);
	CHECK(maps_has("libc.so.6", "r-xp") && maps_has("ld-linux-riscv64-lp64d.so.1", "r-xp"),
	      "/proc/self/maps names libc.so.6 and ld.so on their text");
	check_dlopen();
	check_exec();
	check_bad_interp();
	return t_done("t_dyn");
}
