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
 * A reuse only adds W to the same frame, so it ends with one local
 * sfence.vma: another hart of the address space with the old read-only
 * entry takes at worst a spurious fault (fault.c).  A copy (or a zero fill)
 * points the PTE at a new frame: another hart still reading the old frame
 * through its old entry would miss our store, so the address and the old
 * frame's reference go into the caller's batch, flushed everywhere before
 * the fault returns and before the old frame can be freed (tlb.h).
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

static __attribute__((noinline)) enum fault_result cow_zero(struct tlb_batch *b, pte_t *pte,
							   unsigned long va)
{
	phys_addr_t n = pmm_alloc_zeroed();

	if (!n)
		return FAULT_OOM;
	*pte = writable_pte(*pte, n);
	tlb_batch_free_page(b, va, zero_frame);
	vmstat_inc(zero_fill);
	return FAULT_OK;
}

static __attribute__((noinline)) enum fault_result cow_copy(struct tlb_batch *b, pte_t *pte,
							   phys_addr_t frame, unsigned long va)
{
	phys_addr_t n = pmm_alloc();

	if (!n)
		return FAULT_OOM;
	page_copy(phys_to_virt(n), phys_to_virt(frame));
	*pte = writable_pte(*pte, n);
	tlb_batch_free_page(b, va, frame);
	if (*pte & PTE_X)
		tlb_batch_icache(b);	/* split I/D caches (U74): fetch the copy, not stale lines */
	vmstat_inc(cow_copy);
	return FAULT_OK;
}

enum fault_result cow_fault(struct tlb_batch *b, pte_t *pte, unsigned long va)
{
	phys_addr_t frame = pte_to_pa(*pte);
	enum fault_result r;

	vmstat_inc(cow_fault);
	switch (cow_classify(frame)) {
	case COW_REUSE:
		r = cow_reuse(pte, frame);
		tlb_flush_page(va);
		break;
	case COW_ZERO:
		r = cow_zero(b, pte, va);
		break;
	default:
		r = cow_copy(b, pte, frame, va);
		break;
	}
	return r;
}

