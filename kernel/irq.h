/* irq.h - interrupt handlers the trap code calls. */
#ifndef HOLSTEIN_IRQ_H
#define HOLSTEIN_IRQ_H

#include <stdint.h>

void timer_init_hart(void);	/* first tick on this hart */
void timer_interrupt(void);	/* the tick: time, sleepers, preemption */
void external_interrupt(void);
void ipi_interrupt(void);
void ipi_send(int cpu_id);	/* nudge another hart (new work, panic) */
extern volatile uint64_t jiffies;

#endif
