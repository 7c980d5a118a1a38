/*
 * irqflags.h - this hart's interrupt enable (sstatus.SIE), for kernel/.
 * Static inline: they sit on every lock, fault and system call.
 */
#ifndef HOLSTEIN_IRQFLAGS_H
#define HOLSTEIN_IRQFLAGS_H

#include "csr.h"

/* arch_irq_enable / arch_irq_disable - let interrupts in on this hart, or hold them off. */
static inline void arch_irq_enable(void) { intr_on(); }
static inline void arch_irq_disable(void) { intr_off(); }

/* arch_irq_enabled - are interrupts on for this hart? */
static inline int arch_irq_enabled(void) { return intr_enabled(); }

/* arch_irq_save - turn interrupts off; returns whether they were on (for a later enable). */
static inline int arch_irq_save(void)
{
	unsigned long old = csr_read(sstatus);

	intr_off();
	return (old & SSTATUS_SIE) != 0;
}

/* arch_wait_for_interrupt - idle until an interrupt is pending (it may return at once). */
static inline void arch_wait_for_interrupt(void) { wait_for_interrupt(); }

#endif
