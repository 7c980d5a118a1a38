/*
 * irq.c - what the kernel does with each interrupt: the tick (time,
 * sleepers, preemption), device interrupts through the PLIC, and IPIs.
 */
#include "kernel.h"
#include "cpu.h"
#include "irq.h"
#include "proc.h"
#include "sched.h"
#include "tty.h"
#include "itimer.h"
#include "../fs/poll.h"
#include "console.h"
#include "sysstat.h"
#include "panic.h"
#include "time.h"
#include "../arch/riscv/hart.h"
#include "../drivers/plic.h"

volatile uint64_t jiffies;

/* tick_rearm - this hart's next tick, one period (1/HZ s) from now; a late tick is not made up. */
static void tick_rearm(void)
{
	arch_timer_program(arch_read_time() + timebase_hz / HZ);
}

/* irq_tick_start - this hart's first tick (boot, and each secondary hart as it starts). */
void irq_tick_start(void)
{
	tick_rearm();
}

/*
 * irq_timer - this hart's tick: hart 0 keeps time (jiffies, sleepers,
 * alarms, poll timeouts, a polled console); every hart asks to preempt its
 * process.  CPU time is not sampled here: it is charged at every crossing
 * (cputime.h).
 */
void irq_timer(void)
{
	struct cpu *c = this_cpu();

	tick_rearm();
	c->nr_irqs++;
	if (c->id == 0) {
		jiffies++;
		sched_wakeup((void *)&jiffies);
		loadavg_tick();
		itimer_tick();
		poll_tick();
		/* Consoles without a usable interrupt (the SBI console) are polled here. */
		if (!console_irq())
			tty_poll();
	}
	if (c->proc)
		sched_need_resched[c->id] = 1;
}

/* Device interrupt handlers: written at boot, before any is enabled, then only read. */
#define IRQ_MAX_HANDLERS 16
static struct irq_handler {
	uint32_t irq;
	void (*fn)(void *arg);
	void *arg;
} irq_handlers[IRQ_MAX_HANDLERS];
static int irq_nhandlers;

int irq_register(uint32_t irq, void (*fn)(void *arg), void *arg)
{
	int routed = 0;

	if (irq_nhandlers >= IRQ_MAX_HANDLERS)
		return -1;
	irq_handlers[irq_nhandlers] = (struct irq_handler){ irq, fn, arg };
	irq_nhandlers++;
	for (int i = 0; i < ncpus; i++)
		if (plic_enable(cpus[i].plic_ctx, irq) == 0)
			routed = 1;
	return routed ? 0 : -1;
}

/* irq_dispatch - the handlers registered for source @irq. */
static void irq_dispatch(uint32_t irq)
{
	for (int i = 0; i < irq_nhandlers; i++)
		if (irq_handlers[i].irq == irq)
			irq_handlers[i].fn(irq_handlers[i].arg);
}

/* irq_external - every pending PLIC interrupt for this hart: claim, handle, complete. */
void irq_external(void)
{
	struct cpu *c = this_cpu();
	uint32_t irq;

	if (!plic_present() || c->plic_ctx < 0)
		return;
	while ((irq = plic_claim(c->plic_ctx)) != 0) {
		c->nr_irqs++;
		if ((int)irq == console_irq())
			tty_poll();
		else
			irq_dispatch(irq);
		plic_complete(c->plic_ctx, irq);
	}
}

/* irq_ipi - a software interrupt from irq_send_ipi: stop if the kernel panics, else just wake. */
void irq_ipi(void)
{
	if (panicking)
		panic_stop_this_hart();
	/* Otherwise a nudge: new work may be on the run queue. */
}

/* irq_send_ipi - nudge cpu @cpu_id: a software interrupt that runs irq_ipi there. */
void irq_send_ipi(int cpu_id)
{
	arch_send_ipi(cpus[cpu_id].hartid);
}
