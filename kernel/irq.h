/*
 * irq.h - interrupt handlers the trap code calls (arch/ may include this
 * and entry.h, nothing else of kernel/), and the tick.
 */
#ifndef HOLSTEIN_IRQ_H
#define HOLSTEIN_IRQ_H

#include <stdint.h>

void irq_tick_start(void);	/* first tick on this hart */
void irq_timer(void);	/* the tick: time, sleepers, preemption */
void irq_external(void);
void irq_ipi(void);
void irq_send_ipi(int cpu_id);	/* nudge another hart (new work, panic) */
/*
 * irq_register - call @fn(@arg) for each interrupt from PLIC source @irq,
 * on whichever hart claims it, and route the source to every hart.  Boot,
 * after the harts are up.  0; -1 when the table (16) is full or no hart can
 * take the source (no PLIC, no such source): the driver must then poll.
 */
int irq_register(uint32_t irq, void (*fn)(void *arg), void *arg);
extern volatile uint64_t jiffies;

#endif
