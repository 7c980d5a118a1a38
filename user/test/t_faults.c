/*
 * t_faults - bad memory accesses and instructions in children, each reported by wait4
 * as death by the right signal while the parent carries on: stores to text and rodata,
 * NULL and kernel-half loads/stores/jumps, jumps into non-executable memory, an illegal
 * instruction and a breakpoint.  A fault the program handles itself leaves no line in the
 * kernel log (only a fault that kills is logged).
 */
#include "ulib.h"
#include <setjmp.h>
#include <signal.h>
#include <sys/klog.h>
#include <sys/mman.h>

static const char literal[] = "a string in .rodata";

/* victim - a function whose text the children try to overwrite. */
static __attribute__((noinline)) int victim(int x)
{
	return x * 3 + 1;
}

/* store_text - store into our own text. */
static void store_text(void *arg)
{
	(void)arg;
	*(volatile uint32_t *)hide_ptr((uintptr_t)&victim) = 0;
}

/* store_rodata - store into a string literal. */
static void store_rodata(void *arg)
{
	(void)arg;
	*(volatile char *)hide_ptr((uintptr_t)literal) = 'A';
}

/* load_at - load from the address in arg. */
static void load_at(void *arg)
{
	(void)*(volatile long *)arg;
}

/* store_at - store to the address in arg. */
static void store_at(void *arg)
{
	*(volatile long *)arg = 1;
}

/* jump_to - call the address in arg as a function. */
static void jump_to(void *arg)
{
	((void (*)(void))arg)();
}

/* illegal - execute the all-zero word, which RISC-V defines as illegal. */
static void illegal(void *arg)
{
	(void)arg;
	asm volatile(".4byte 0");
}

/* csr_illegal - read a machine-mode CSR from user mode. */
static void csr_illegal(void *arg)
{
	unsigned long v;

	(void)arg;
	asm volatile("csrr %0, mstatus" : "=r"(v));
}

/* breakpoint - execute ebreak. */
static void breakpoint(void *arg)
{
	(void)arg;
	asm volatile("ebreak");
}

static sigjmp_buf fault_jmp;

/* on_segv - back to the loop in handled_faults. */
static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(fault_jmp, 1);
}

/* handled_faults - fault 100 times at NULL, catching each SIGSEGV; exit 0 when all came. */
static void handled_faults(void *arg)
{
	volatile int caught = 0;

	(void)arg;
	signal(SIGSEGV, on_segv);
	while (caught < 100)
		if (sigsetjmp(fault_jmp, 1))
			caught++;
		else
			(void)*(volatile long *)hide_ptr(0);
	_exit(0);
}

/*
 * log_mentions - how many lines of the kernel log (syslog READ_ALL) name process @pid as
 * "[pid]:"; -1 if the log cannot be read (not root under the oracle, dmesg_restrict).
 */
static int log_mentions(int pid)
{
	static char buf[1 << 17];
	char tag[24];
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof(buf) - 1), count = 0;

	if (n < 0)
		return -1;
	buf[n] = 0;
	snprintf(tag, sizeof(tag), "[%d]:", pid);
	for (char *p = buf; (p = strstr(p, tag)); p++)
		count++;
	return count;
}

/* check_quiet_handled - 100 handled faults: the child lives on, and the log says nothing. */
static void check_quiet_handled(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0)
		handled_faults(NULL);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "a child catches 100 SIGSEGVs and exits normally");
	int lines = log_mentions(pid);
	if (lines < 0)
		printf("SKIP: the kernel log is not readable here (%s)\n", strerror(errno));
	else
		CHECK(lines == 0, "handled faults leave no kernel log line (%d)", lines);
}

/* main - run each faulting child and check how it died. */
int main(void)
{
	uint32_t before[4], after[4];
	void *kernel = hide_ptr(KERNEL_ADDR), *null = hide_ptr(0);
	char *page;
	int st;

	t_init();
	memcpy(before, (void *)(uintptr_t)&victim, sizeof(before));
	CHECK_SIG(run_child(store_text, NULL), SIGSEGV, "store to text -> SIGSEGV");
	CHECK_SIG(run_child(store_rodata, NULL), SIGSEGV, "store to a string literal -> SIGSEGV");
	CHECK_SIG(run_child(load_at, null), SIGSEGV, "load from NULL -> SIGSEGV");
	CHECK_SIG(run_child(store_at, null), SIGSEGV, "store to NULL -> SIGSEGV");
	CHECK_SIG(run_child(jump_to, null), SIGSEGV, "jump to NULL -> SIGSEGV");
	CHECK_SIG(run_child(load_at, kernel), SIGSEGV, "load from 0xffffffc000000000 -> SIGSEGV");
	CHECK_SIG(run_child(store_at, kernel), SIGSEGV, "store to 0xffffffc000000000 -> SIGSEGV");
	CHECK_SIG(run_child(jump_to, kernel), SIGSEGV, "jump to 0xffffffc000000000 -> SIGSEGV");
	CHECK_SIG(run_child(load_at, hide_ptr(0x4000000000UL)), SIGSEGV,
		  "load from the first non-canonical address above user space -> SIGSEGV");
	CHECK_SIG(run_child(illegal, NULL), SIGILL, "illegal instruction -> SIGILL");
	CHECK_SIG(run_child(csr_illegal, NULL), SIGILL, "reading mstatus in user mode -> SIGILL");
	CHECK_SIG(run_child(breakpoint, NULL), SIGTRAP, "ebreak -> SIGTRAP");

	/* Data pages are not executable: put a "ret" there and jump to it. */
	page = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	*(volatile uint16_t *)page = 0x8082; /* c.ret */
	CHECK_SIG(run_child(jump_to, page), SIGSEGV,
		  "jump into a PROT_READ|PROT_WRITE page -> SIGSEGV");
	{
		char stack_code[8] = {(char)0x82, (char)0x80};

		CHECK_SIG(run_child(jump_to, hide_ptr((uintptr_t)stack_code)), SIGSEGV,
			  "jump into the stack -> SIGSEGV");
	}

	/* A fault in a child must not have changed anything for the parent. */
	memcpy(after, (void *)(uintptr_t)&victim, sizeof(after));
	CHECK(!memcmp(before, after, sizeof(before)), "parent's text is unchanged");
	CHECK(victim(4) == 13 && literal[0] == 'a', "parent still runs and reads its rodata");
	st = run_child(load_at, (void *)literal);
	CHECK_EXIT(st, 0, "a child that only loads from rodata exits normally");
	check_quiet_handled();
	return t_done("t_faults");
}
