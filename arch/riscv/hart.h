/*
 * hart.h - what kernel/ may ask of this hart: its per-hart pointer (tp),
 * the time counter, the translation root, fence.i, IPIs and the timer.
 * The helpers that sit on hot paths are static inline; nothing here holds
 * policy (the tick period, which hart to nudge) - that is kernel/'s.
 */
#ifndef HOLSTEIN_HART_H
#define HOLSTEIN_HART_H

#include <stdint.h>
#include "csr.h"
#include "trapframe.h"

/* arch_cpu_get - this hart's per-hart block; tp holds it whenever the kernel runs. */
static inline struct arch_cpu *arch_cpu_get(void)
{
	struct arch_cpu *c;

	__asm__ volatile("mv %0, tp" : "=r"(c));
	return c;
}

/* arch_cpu_set - make @c this hart's per-hart block (boot, before the first trap). */
static inline void arch_cpu_set(struct arch_cpu *c)
{
	__asm__ volatile("mv tp, %0" ::"r"(c));
}

/* arch_read_time - the time counter, in ticks of the DT timebase. */
static inline uint64_t arch_read_time(void) { return rdtime(); }

/* arch_mmu_load - switch this hart to the Sv39 root at physical @root_pa; drops every old translation. */
static inline void arch_mmu_load(unsigned long root_pa) { satp_load(root_pa); }

/* arch_mmu_current - this hart's translation setting, as secondary_entry takes it (opaque). */
static inline unsigned long arch_mmu_current(void) { return csr_read(satp); }

/* arch_icache_flush_local - make this hart fetch instructions written before now (fence.i). */
static inline void arch_icache_flush_local(void) { local_flush_icache(); }

/* secondary_entry - head.S: where a hart started with sbi_hart_start begins (physical, MMU off). */
extern char secondary_entry[];

/* arch_send_ipi - raise a supervisor software interrupt on hart @hartid (sbi.c). */
void arch_send_ipi(unsigned long hartid);

/* arch_timer_set_sstc - @c's hart programs its timer through Sstc's stimecmp (else SBI TIME). */
static inline void arch_timer_set_sstc(struct arch_cpu *c, int has_sstc)
{
	c->timer_sstc = has_sstc != 0;
}

/* arch_timer_program - this hart's next timer interrupt at time @when (arch_read_time units). */
void arch_timer_program(uint64_t when);

#endif
