/*
 * cow.h - copy-on-write: the store-fault half (cow_fault) and the fork half
 * (cow_share_pte).
 */
#ifndef HOLSTEIN_COW_H
#define HOLSTEIN_COW_H

#include "fault.h"

/*
 * cow_fault - a store hit @pte (valid, PTE_COW set, W clear) at @va in @mm.
 * Classify, then reuse the frame (we are its only owner) or copy it.
 * mm->lock held.  Returns FAULT_OK or FAULT_OOM (the PTE is then unchanged).
 */
enum fault_result cow_fault(struct mm *mm, pte_t *pte, unsigned long va);

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
		e = (e & ~PTE_W) | PTE_COW;
		*ppte = e;
	}
	pmm_get(pte_to_pa(e));
	return e;
}

#endif
