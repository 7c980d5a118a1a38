/*
 * tlb.h - the TLB rule, and the one helper vm/ uses to follow it.
 *
 * THE RULE.  An address space is live on at most one hart at a time:
 * Holstein has no threads, and a vfork parent sleeps while its child
 * borrows its address space.  Every satp load is followed by a full
 * sfence.vma (satp_load), and a hart that stops running a process loads the
 * kernel table before it runs anything else (scheduler).  Hence a stale
 * translation of an address space can only exist on the hart that is
 * running it right now, and a PTE change needs only a local sfence.vma on
 * that hart: tlb_flush_page() below.  Changes to an address space that is
 * not running anywhere (a fresh exec image, a forked child) need no flush
 * at all: whichever hart runs it next flushes when it loads its satp.
 *
 * The same rule covers ASIDs: Holstein uses none (the JH7110's U74 has
 * none), so nothing survives a satp load.
 */
#ifndef HOLSTEIN_TLB_H
#define HOLSTEIN_TLB_H

#ifdef HOST_TEST
static inline void tlb_flush_page(unsigned long va) { (void)va; }
static inline void tlb_flush_all(void) { }
static inline void tlb_flush_icache(void) { }
#else
#include "../arch/riscv/csr.h"
/* tlb_flush_page - drop this hart's translation of @va (current address space). */
static inline void tlb_flush_page(unsigned long va) { local_flush_tlb_page(va); }
static inline void tlb_flush_all(void) { local_flush_tlb_all(); }
/* tlb_flush_icache - make this hart fetch what was just written (fence.i). */
static inline void tlb_flush_icache(void) { local_flush_icache(); }
#endif

#endif
