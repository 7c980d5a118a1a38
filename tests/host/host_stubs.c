/*
 * host_stubs.c - what vm/ needs from the rest of the kernel, for the host
 * tests that link vm/ (pmm.c, pt.c, cow.c, fork.c, mm.c ...: -DHOST_TEST).
 *
 * kmalloc is malloc with the kernel's failure injection in front, so that
 * pmm_set_fail_every() also reaches the VMA allocations of mm_fork, and it
 * counts live objects so a test can see that mm_put freed every VMA.
 * panic() (pmm.c's, zero.c's...) goes to host_panic: a test that expects a
 * panic points host_panic_jmp at a jmp_buf; any other panic fails the test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vm/pmm.h"
#include "vm/kmalloc.h"

/* The globals vm/kvm.c owns in the kernel. */
phys_addr_t kvm_root;
int kvm_root_used[256], kvm_root_nused;	/* root entries mm_create copies */

jmp_buf *host_panic_jmp;	/* set by a test that expects a panic */
char host_panic_msg[256];	/* the last panic's message */

static unsigned long host_kmalloc_live;

void host_panic(const char *fmt, ...) __attribute__((noreturn));

/*
 * host_panic - where vm/'s panic() ends up.  Records the message; then
 * either returns to the test that expected it (longjmp) or fails the
 * running test.
 */
void host_panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(host_panic_msg, sizeof(host_panic_msg), fmt, ap);
	va_end(ap);
	if (host_panic_jmp)
		longjmp(*host_panic_jmp, 1);
	fail_msg("unexpected panic: %s", host_panic_msg);
	abort();	/* fail_msg does not return inside a test; outside one, stop */
}

/* panic - kernel.h's, for the vm/ files that call it: where pmm.c's goes. */
void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	host_panic("%s", msg);
}

/*
 * vdso_image_start/vdso_image_end, vdso_rt_sigreturn_offset -
 * arch/riscv/vdso/image.S's symbols, which vm/vdso.c copies between: a
 * one-page stand-in holding the rt_sigreturn instructions at offset 0.
 */
__asm__(".section .rodata\n.balign 4096\n"
	".globl vdso_image_start\nvdso_image_start:\n.4byte 0x08b00893, 0x00000073\n"
	".balign 4096\n.globl vdso_image_end\nvdso_image_end:\n"
	".balign 8\n.globl vdso_rt_sigreturn_offset\nvdso_rt_sigreturn_offset:\n.quad 0\n"
	".previous");

/* kmalloc - as the kernel's: NULL above a page or when failure is injected. */
void *kmalloc(size_t size)
{
	void *p;

	if (size > 4096 || pmm_fail_injected())
		return NULL;
	p = malloc(size ? size : 1);
	if (p)
		host_kmalloc_live++;
	return p;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(void *p)
{
	if (!p)
		return;
	host_kmalloc_live--;
	free(p);
}

unsigned long kmalloc_objects(void)
{
	return host_kmalloc_live;
}

/*
 * What swap and reclaim call of the kernel around them.  The host tests
 * are single-threaded, so nothing ever waits: a sleep would be a hang,
 * and is a failure.
 */
struct spinlock;
void sched_sleep(void *chan, struct spinlock *lk);
void sched_wakeup(void *chan);
void sched_yield(void);
void kvm_fence_all(unsigned long va, unsigned long size);
int printk(int level, const char *fmt, ...);

void sched_sleep(void *chan, struct spinlock *lk)
{
	(void)chan;
	(void)lk;
	fail_msg("sched_sleep on the host: a wait nobody can end");
}

void sched_wakeup(void *chan)
{
	(void)chan;
}

void sched_yield(void)
{
}

void kvm_fence_all(unsigned long va, unsigned long size)
{
	(void)va;
	(void)size;
}

int printk(int level, const char *fmt, ...)
{
	(void)level;
	(void)fmt;
	return 0;
}
