/*
 * cow.h - copy-on-write: the store-fault half (cow_fault), the fork half
 * (cow_share_pte), and the one way to make a PTE copy-on-write
 * (cow_wrprotect).  What PTE_COW means: pte_sw.h.
 */
#ifndef HOLSTEIN_COW_H
#define HOLSTEIN_COW_H

#include "fault.h"

#include "tlb.h"

/*
 * cow_fault - a store hit @pte (valid, PTE_COW set, W clear) at @va in the
 * running address space.  Classify, then reuse the frame (we are its only
 * owner: W added, this hart flushed) or copy it (the PTE now names another
 * frame: @va and the old frame's reference go to batch @b, whose round the
 * caller runs before it returns to user mode).  The address space's lock
 * held.  Returns FAULT_OK or FAULT_OOM (the PTE is then unchanged).
 */
enum fault_result cow_fault(struct tlb_batch *b, pte_t *pte, unsigned long va);

/*
 * cow_wrprotect - @e made copy-on-write: W cleared, PTE_COW set, every
 * other bit kept.  The next store through it goes to cow_fault, which
 * decides copy or reuse.  The caller decides whether the page is private
 * and writable in spirit (never for PTE_SHARED memory).
 */
static inline pte_t cow_wrprotect(pte_t e)
{
	return (e & ~PTE_W) | PTE_COW;
}

/*
 * cow_share_pte - fork: make the parent's leaf @ppte shareable and return
 * the child's copy, taking one more reference on the frame.  Writable
 * private pages (and pages already COW) become read-only + PTE_COW in both;
 * genuinely read-only pages, and MAP_SHARED pages (PTE_SHARED), are shared
 * as they are.
 */
static inline pte_t cow_share_pte(pte_t *ppte)
{
	pte_t e = *ppte;

	if ((e & (PTE_W | PTE_COW)) && !(e & PTE_SHARED)) {
		e = cow_wrprotect(e);
		*ppte = e;
	}
	pmm_get(pte_to_pa(e));
	return e;
}

#endif
