/*
 * t_basic - the basics a static glibc program relies on: stdio, the argv/envp/auxv
 * layout the kernel builds on the stack, brk and malloc, and exit statuses.
 */
#include "ulib.h"
#include <elf.h>
#include <link.h>
#include <sys/auxv.h>

static int atexit_ran;

/* on_exit_handler - atexit hook for the exit-code check: exits with a telltale code. */
static void on_exit_handler(void)
{
	_exit(atexit_ran ? 0 : 99);
}

/* check_args - argv is NULL-terminated, envp follows it, environ agrees. */
static void check_args(int argc, char **argv, char **envp)
{
	CHECK(argc >= 1 && argv[0] && argv[0][0], "argc %d, argv[0] present", argc);
	CHECK(argv[argc] == NULL, "argv[argc] is NULL");
	CHECK(envp == argv + argc + 1, "envp follows argv on the stack");
	CHECK(envp == environ, "environ is envp");
}

/* check_auxv - the auxiliary vector after envp, and getauxval() reading it. */
static void check_auxv(char **envp)
{
	char **p = envp;
	Elf64_auxv_t *av;
	unsigned long pagesz = 0, phdr = getauxval(AT_PHDR), phnum = getauxval(AT_PHNUM);
	const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
	const Elf64_Phdr *ph = (const Elf64_Phdr *)phdr;
	const Elf64_Ehdr *eh;
	int loads = 0, nonzero = 0;

	while (*p)
		p++;
	for (av = (Elf64_auxv_t *)(p + 1); av->a_type != AT_NULL; av++)
		if (av->a_type == AT_PAGESZ)
			pagesz = av->a_un.a_val;
	CHECK(pagesz == 4096, "auxv on the stack has AT_PAGESZ 4096 (%lu)", pagesz);
	CHECK(getauxval(AT_PAGESZ) == 4096, "getauxval(AT_PAGESZ) == 4096");
	CHECK(sysconf(_SC_PAGESIZE) == 4096, "sysconf(_SC_PAGESIZE) == 4096");
	CHECK(rnd != NULL, "AT_RANDOM non-null");
	if (rnd) {
		for (int i = 0; i < 16; i++)
			nonzero |= rnd[i];
		CHECK(nonzero, "AT_RANDOM's 16 bytes are not all zero");
	}
	CHECK(phdr != 0 && phnum > 0, "AT_PHDR %#lx, AT_PHNUM %lu", phdr, phnum);
	CHECK(getauxval(AT_PHENT) == sizeof(Elf64_Phdr), "AT_PHENT is sizeof(Elf64_Phdr)");
	CHECK(getauxval(AT_ENTRY) != 0, "AT_ENTRY non-zero");
	if (!phdr || !phnum)
		return;
	for (unsigned long i = 0; i < phnum; i++)
		loads += ph[i].p_type == PT_LOAD;
	CHECK(loads > 0, "program headers at AT_PHDR include PT_LOAD");
	/* Our static binary maps its ELF header right before the program headers. */
	eh = (const Elf64_Ehdr *)(phdr - sizeof(Elf64_Ehdr));
	CHECK(!memcmp(eh->e_ident, ELFMAG, SELFMAG) && eh->e_phnum == phnum,
	      "ELF header precedes AT_PHDR and agrees on e_phnum");
}

/* check_brk - grow the break by 3 MiB, find zeroes, write, then shrink it again. */
static void check_brk(void)
{
	size_t len = 3 * MiB;
	char *old = sbrk(0), *p = sbrk(len);
	int zero = 1, kept = 1;

	if (!CHECK(p != (void *)-1 && p == old, "sbrk(3 MiB) grows from the old break"))
		return;
	for (size_t i = 0; i < len; i += 512)
		zero &= p[i] == 0;
	CHECK(zero, "fresh brk memory is zero");
	for (size_t i = 0; i < len; i += 512)
		p[i] = (char)(i >> 9);
	for (size_t i = 0; i < len; i += 512)
		kept &= p[i] == (char)(i >> 9);
	CHECK(kept, "brk memory keeps what was written");
	CHECK(sbrk(-(intptr_t)len) != (void *)-1 && sbrk(0) == old, "sbrk(-3 MiB) shrinks back");
	p = sbrk(PAGE_SIZE);
	CHECK(p == old && p[0] == 0 && p[PAGE_SIZE - 1] == 0,
	      "re-grown brk page is zero again after shrinking");
	sbrk(-(intptr_t)PAGE_SIZE);
}

/* check_malloc - several MB of small and large malloc blocks hold their contents. */
static void check_malloc(void)
{
	enum { NSMALL = 20000 };
	static char *small[NSMALL];
	char *big = malloc(8 * MiB);
	int ok = 1;

	for (int i = 0; i < NSMALL; i++) {
		small[i] = malloc(200);
		if (!small[i]) {
			ok = 0;
			break;
		}
		memset(small[i], i & 0xff, 200);
	}
	for (int i = 0; ok && i < NSMALL; i++)
		ok = small[i][0] == (char)(i & 0xff) && small[i][199] == (char)(i & 0xff);
	CHECK(ok, "20000 small mallocs (4 MB of heap) keep their contents");
	for (int i = 0; i < NSMALL; i++)
		free(small[i]);
	if (CHECK(big != NULL, "malloc(8 MiB)")) {
		memset(big, 0x5a, 8 * MiB);
		CHECK(big[0] == 0x5a && big[8 * MiB - 1] == 0x5a,
		      "8 MiB block writable end to end");
		free(big);
	}
}

/* check_exit_codes - exit(), _exit() and returning from main reach the parent's wait4. */
static void check_exit_codes(void)
{
	pid_t pid;
	int st;

	pid = xfork();
	if (pid == 0)
		_exit(37);
	st = wait_pid(pid);
	CHECK_EXIT(st, 37, "_exit(37) seen by the parent");

	pid = xfork();
	if (pid == 0) {
		atexit(on_exit_handler);
		atexit_ran = 1;
		exit(5);
	}
	st = wait_pid(pid);
	CHECK_EXIT(st, 0, "exit() runs atexit handlers");
}

/* main - run the checks with printf itself being the first thing tested. */
int main(int argc, char **argv, char **envp)
{
	char buf[64];
	int n;

	t_init();
	n = printf("hello from t_basic, pid %d\n", (int)getpid());
	CHECK(n > 20, "printf returns the byte count (%d)", n);
	snprintf(buf, sizeof(buf), "%d %s %.2f %lx", 42, "str", 2.5, 0xabcUL);
	CHECK(!strcmp(buf, "42 str 2.50 abc"), "snprintf formats ints, strings, doubles, hex");
	check_args(argc, argv, envp);
	check_auxv(envp);
	check_brk();
	check_malloc();
	check_exit_codes();
	return t_done("t_basic");
}
