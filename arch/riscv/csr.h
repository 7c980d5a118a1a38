/*
 * csr.h - RISC-V supervisor CSRs, their bits, and the tiny inline helpers
 * the rest of the kernel uses to touch them.  Nothing outside arch/ names a
 * CSR directly: vm/ and kernel/ call these helpers.
 */
#ifndef HOLSTEIN_CSR_H
#define HOLSTEIN_CSR_H

#define SSTATUS_SIE	(1UL << 1)
#define SSTATUS_SPIE	(1UL << 5)
#define SSTATUS_SPP	(1UL << 8)
#define SSTATUS_FS	(3UL << 13)
#define SSTATUS_FS_OFF	(0UL << 13)
#define SSTATUS_FS_INIT	(1UL << 13)
#define SSTATUS_FS_CLEAN (2UL << 13)
#define SSTATUS_FS_DIRTY (3UL << 13)
#define SSTATUS_SUM	(1UL << 18)

#define SIE_SSIE	(1UL << 1)
#define SIE_STIE	(1UL << 5)
#define SIE_SEIE	(1UL << 9)

#define SCAUSE_INTR	(1UL << 63)
#define IRQ_S_SOFT	1
#define IRQ_S_TIMER	5
#define IRQ_S_EXT	9

#define EXC_INST_MISALIGNED	0
#define EXC_INST_ACCESS		1
#define EXC_ILLEGAL		2
#define EXC_BREAKPOINT		3
#define EXC_LOAD_MISALIGNED	4
#define EXC_LOAD_ACCESS		5
#define EXC_STORE_MISALIGNED	6
#define EXC_STORE_ACCESS	7
#define EXC_ECALL_U		8
#define EXC_INST_PAGE		12
#define EXC_LOAD_PAGE		13
#define EXC_STORE_PAGE		15

#define SCOUNTEREN_TM	(1UL << 1)	/* user mode may read the time CSR */

#define SATP_MODE_SV39	(8UL << 60)
#define SATP_PPN_MASK	((1UL << 44) - 1)

#ifndef __ASSEMBLER__	/* entry.S takes the cause numbers above, nothing below */
#include <stdint.h>

#define csr_read(csr) ({ unsigned long __v; \
	__asm__ volatile("csrr %0, " #csr : "=r"(__v) :: "memory"); __v; })
#define csr_write(csr, val) ({ unsigned long __v = (unsigned long)(val); \
	__asm__ volatile("csrw " #csr ", %0" :: "rK"(__v) : "memory"); })
#define csr_set(csr, val) ({ unsigned long __v = (unsigned long)(val); \
	__asm__ volatile("csrs " #csr ", %0" :: "rK"(__v) : "memory"); })
#define csr_clear(csr, val) ({ unsigned long __v = (unsigned long)(val); \
	__asm__ volatile("csrc " #csr ", %0" :: "rK"(__v) : "memory"); })

static inline void intr_on(void)  { csr_set(sstatus, SSTATUS_SIE); }
static inline void intr_off(void) { csr_clear(sstatus, SSTATUS_SIE); }
static inline int intr_enabled(void) { return (csr_read(sstatus) & SSTATUS_SIE) != 0; }

static inline void local_flush_tlb_all(void) { __asm__ volatile("sfence.vma" ::: "memory"); }
static inline void local_flush_tlb_page(unsigned long va)
{
	__asm__ volatile("sfence.vma %0" :: "r"(va) : "memory");
}
static inline void local_flush_icache(void) { __asm__ volatile("fence.i" ::: "memory"); }
/* io_fence - memory and device accesses before it are seen before those after (DMA rings). */
static inline void io_fence(void) { __asm__ volatile("fence iorw, iorw" ::: "memory"); }
static inline void wait_for_interrupt(void) { __asm__ volatile("wfi"); }

/* Load an Sv39 root (physical address) and drop every old translation. */
static inline void satp_load(unsigned long root_pa)
{
	csr_write(satp, SATP_MODE_SV39 | (root_pa >> 12));
	local_flush_tlb_all();
}

static inline uint64_t rdtime(void) { return csr_read(time); }

/* User-memory access window: only uaccess routines open it. */
static inline void uaccess_enable(void)  { csr_set(sstatus, SSTATUS_SUM); }
static inline void uaccess_disable(void) { csr_clear(sstatus, SSTATUS_SUM); }

#endif /* __ASSEMBLER__ */

#endif
