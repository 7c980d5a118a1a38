/*
 * cow.c - the copy-on-write fault, told as a story:
 *
 *   cow_fault          a store hit a PTE_COW page
 *     -> cow_classify  whose frame is it?
 *     -> cow_reuse     ours alone: make it writable again, no copy
 *     -> cow_zero      the shared zero frame: a fresh zeroed frame
 *     -> cow_copy      shared: copy the 4 KiB into a new frame, drop one
 *                      reference on the old one
 *
 * and ends with one local sfence.vma for the address (see tlb.h).
 *
 * Why the count can be trusted: mm->lock is held, so no fork of this
 * address space can raise the count under us, and a frame with count 1 is
 * mapped by nobody else.  A count above 1 may drop to 1 while we copy (the
 * other owner copied or exited first); then we did one copy too many, which
 * is harmless: no one ever writes to a frame someone else still maps.
 */
#include "cow.h"
#include "pmm.h"
#include "phys.h"
#include "tlb.h"
#include "vmstat.h"
#include "zero.h"
#include "../kernel/string.h"
#include "../arch/riscv/page.h"

int cow_enabled = 1;	/* boot switch cow=0 clears it (mm.h) */

enum cow_kind { COW_REUSE, COW_ZERO, COW_COPY };

static enum cow_kind cow_classify(phys_addr_t frame)
{
	if (frame == zero_frame)
		return COW_ZERO;
	if (pmm_refcount(frame) == 1)
		return COW_REUSE;
	return COW_COPY;
}

/* The PTE for a private, writable page of @frame, keeping U/X/R/G of @old. */
static pte_t writable_pte(pte_t old, phys_addr_t frame)
{
	return pa_to_pte(frame) | (pte_flags(old) & ~PTE_COW) | PTE_R | PTE_W | PTE_A | PTE_D;
}

static enum fault_result cow_reuse(pte_t *pte, phys_addr_t frame)
{
	*pte = writable_pte(*pte, frame);
	vmstat_inc(cow_reuse);
	return FAULT_OK;
}

static __attribute__((noinline)) enum fault_result cow_zero(pte_t *pte)
{
	phys_addr_t n = pmm_alloc_zeroed();

	if (!n)
		return FAULT_OOM;
	*pte = writable_pte(*pte, n);
	pmm_put(zero_frame);
	vmstat_inc(zero_fill);
	return FAULT_OK;
}

static __attribute__((noinline)) enum fault_result cow_copy(pte_t *pte, phys_addr_t frame)
{
	phys_addr_t n = pmm_alloc();

	if (!n)
		return FAULT_OOM;
	page_copy(phys_to_virt(n), phys_to_virt(frame));
	*pte = writable_pte(*pte, n);
	pmm_put(frame);
	if (*pte & PTE_X)
		tlb_flush_icache();	/* split I/D caches (U74): fetch the copy, not stale lines */
	vmstat_inc(cow_copy);
	return FAULT_OK;
}

enum fault_result cow_fault(pte_t *pte, unsigned long va)
{
	phys_addr_t frame = pte_to_pa(*pte);
	enum fault_result r;

	vmstat_inc(cow_fault);
	switch (cow_classify(frame)) {
	case COW_REUSE:
		r = cow_reuse(pte, frame);
		break;
	case COW_ZERO:
		r = cow_zero(pte);
		break;
	default:
		r = cow_copy(pte, frame);
		break;
	}
	if (r == FAULT_OK)
		tlb_flush_page(va);
	return r;
}

