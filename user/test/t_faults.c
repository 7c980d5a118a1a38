/*
 * t_faults - bad memory accesses and instructions in children, each reported by wait4
 * as death by the right signal while the parent carries on: stores to text and rodata,
 * NULL and kernel-half loads/stores/jumps, jumps into non-executable memory, an illegal
 * instruction and a breakpoint.
 */
#include "ulib.h"
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
	return t_done("t_faults");
}
