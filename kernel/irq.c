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
#include "../drivers/plic.h"

void timer_rearm(void);
void arch_send_ipi(unsigned long hartid);
extern volatile int panicking;
void panic_stop_this_hart(void) __attribute__((noreturn));

volatile uint64_t jiffies;

/*
 * irq_timer - this hart's tick: hart 0 keeps time (jiffies, sleepers,
 * alarms, poll timeouts, a polled console); every hart asks to preempt its
 * process.  CPU time is not sampled here: it is charged at every crossing
 * (cputime.h).
 */
void irq_timer(void)
{
	struct cpu *c = this_cpu();

	timer_rearm();
	if (c->id == 0) {
		jiffies++;
		sched_wakeup((void *)&jiffies);
		itimer_tick();
		poll_tick();
		/* Consoles without a usable interrupt (the SBI console) are polled here. */
		if (!console_irq())
			tty_poll();
	}
	if (c->proc)
		sched_need_resched[c->id] = 1;
}

void irq_external(void)
{
	struct cpu *c = this_cpu();
	uint32_t irq;

	if (!plic_present() || c->plic_ctx < 0)
		return;
	while ((irq = plic_claim(c->plic_ctx)) != 0) {
		if ((int)irq == console_irq())
			tty_poll();
		plic_complete(c->plic_ctx, irq);
	}
}

void irq_ipi(void)
{
	if (panicking)
		panic_stop_this_hart();
	/* Otherwise a nudge: new work may be on the run queue. */
}

void ipi_send(int cpu_id)
{
	arch_send_ipi(cpus[cpu_id].hartid);
}
