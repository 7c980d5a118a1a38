/*
 * panic.c - stop everything and say why: the cause, the registers, a
 * backtrace (frame pointers), then every hart halts.  Unless the command
 * line says panic=halt, the machine then powers off with status 255 so a
 * test harness sees the failure at once.
 *
 * Used from everywhere, vm/ included, so it includes only base headers:
 * the other harts are stopped with an IPI straight through arch/ (their
 * irq_ipi sees panicking), and main.c hands the panic= switch in at boot.
 */
#include "kernel.h"
#include "cpu.h"
#include "panic.h"
#include "../arch/riscv/irqflags.h"
#include "../arch/riscv/hart.h"
#include "../arch/riscv/trapframe.h"
#include "../drivers/poweroff.h"

volatile int panicking;
static int panic_halts;		/* panic=halt: leave the machine on */

void panic_set_halt(int halt)
{
	panic_halts = halt;
}

void __attribute__((noreturn)) panic_stop_this_hart(void)
{
	arch_irq_disable();
	for (;;)
		arch_wait_for_interrupt();
}

static void dump_regs(struct trapframe *tf)
{
	static const char *const names[32] = {
		"pc", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",
		"a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
		"s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
	};
	unsigned long *r = (unsigned long *)tf;

	for (int i = 0; i < 32; i += 4)
		pr_emerg(" %-3s %016lx %-3s %016lx %-3s %016lx %-3s %016lx\n", names[i], r[i],
		       names[i + 1], r[i + 1], names[i + 2], r[i + 2], names[i + 3], r[i + 3]);
	pr_emerg(" sstatus %016lx stval %016lx scause %016lx\n", tf->sstatus, tf->stval,
	       tf->scause);
}

/* backtrace - walk the frame-pointer chain: ra at fp-8, the caller's fp at fp-16. */
static void backtrace(unsigned long fp, unsigned long pc)
{
	pr_emerg("Call trace (addr2line -e build/holstein.elf):\n");
	if (pc)
		pr_emerg("  [<%016lx>]\n", pc);
	for (int depth = 0; depth < 32; depth++) {
		if (fp < 0xffffffc000000000UL || (fp & 7))
			break;
		unsigned long ra = ((unsigned long *)fp)[-1];
		unsigned long next = ((unsigned long *)fp)[-2];
		if (ra < 0xffffffff80000000UL)
			break;
		pr_emerg("  [<%016lx>]\n", ra);
		if (next <= fp)
			break;
		fp = next;
	}
}

static void __attribute__((noreturn)) vpanic(struct trapframe *tf, const char *fmt, va_list ap)
{
	char msg[256];
	struct cpu *c = this_cpu();

	arch_irq_disable();
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST))
		panic_stop_this_hart();	/* someone else is already panicking */
	printk_bust_lock();
	vsnprintf(msg, sizeof(msg), fmt, ap);
	pr_emerg("Kernel panic - not syncing: %s\n", msg);
	pr_emerg("CPU: %d hart %lu\n", c->id, c->hartid);
	if (tf) {
		dump_regs(tf);
		backtrace(tf->s0, tf->epc);
	} else {
		backtrace((unsigned long)__builtin_frame_address(0), 0);
	}
	for (int i = 0; i < ncpus; i++)
		if (&cpus[i] != c && cpus[i].online)
			arch_send_ipi(cpus[i].hartid);	/* as irq_send_ipi(i) */
	pr_emerg("---[ end Kernel panic - not syncing: %s ]---\n", msg);
	if (!panic_halts)
		poweroff_machine(255);
	panic_stop_this_hart();
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpanic(0, fmt, ap);
}

void panic_frame(struct trapframe *tf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpanic(tf, fmt, ap);
}
