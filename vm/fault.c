/*
 * fault.c - resolve a user page fault (contract in fault.h).  Every
 * decision, in the order the code makes it, and where a reader goes next:
 *
 * vm_fault                 count it (vmstat.h); no mm, or a kernel address:
 *                          FAULT_SIGSEGV.  Below the low watermark, reclaim
 *                          first (reclaim.h), with no lock held.  Take
 *                          mm->lock.
 *   leaf_of                the level-0 entry for the address, and whether its
 *                          table is shared after fork (one inline walk)
 *   1. PRESENT (V set)
 *     ptshare_walk_private
 *                          a shared table is made ours first (ptshare.c:
 *                          unshare copies it); no frame for the copy: OOM
 *     fault_present        what the access needs of the PTE:
 *       store, W set       A/D fix: the core left D to software (the U74
 *                          does), set A and D, nothing else
 *       store, PTE_COW     cow_fault (cow.c) -> cow_classify, then
 *                          cow_reuse (we own the frame alone: make it
 *                          writable), cow_zero (it is the zero frame: a
 *                          fresh zeroed one) or cow_copy (shared: copy it;
 *                          the old frame waits in the batch for its
 *                          round); no frame: OOM
 *       store otherwise    a real protection fault: SIGSEGV
 *       fetch / load       X / R set: an A fix; else SIGSEGV
 *                          then flush the page on this hart (tlb.h).  With
 *                          threads this is also where a spurious fault ends:
 *                          another hart added the right (a reuse), ours
 *                          still cached the old entry; the PTE allows the
 *                          access, so this hart's flush is all it takes
 *   2. SWAPPED (V clear, a swap entry: swap.h)
 *     ptshare_walk_private a shared table is made ours first, as above
 *     fault_swapped        vma_find and the access check, then swap_fault
 *                          (swap.c): a frame in the swap cache is mapped
 *                          again, read-only + COW while another mapper may
 *                          still take it (a store goes on to cow_fault);
 *                          else FAULT_RETRY: the lock goes, swap_fault_wait
 *                          reads the page (and the ones after it) or waits
 *                          for whoever reads it, and the fault starts over.
 *                          A page the disk failed to give back: SIGBUS
 *   3. ABSENT
 *     fault_absent         vma_find (mm.c): no area, or its protection
 *                          forbids the access: SIGSEGV.  ptshare_walk_private
 *                          makes the tables (OOM).  Then by the area's kind:
 *       VMA_VVAR, VMA_VDSO the vDSO's data page and code (vdso.c), shared,
 *                          never writable
 *       VMA_ANON, no store the zero frame (zero.c), read-only; COW
 *                          (cow_wrprotect, cow.h) if the area is writable
 *       VMA_ANON, store    a fresh zeroed frame, writable (zero_fill; OOM)
 *       VMA_SHMEM          shmem_frame (shmem.c): the object's frame (a
 *                          file's page cache, or shared anonymous memory),
 *                          PTE_SHARED, writable as the area says; past the
 *                          object's end, or a full tmpfs, SIGBUS; OOM
 *       VMA_FILE           file_frame: the same page-cache frame, mapped
 *                          read-only, COW if the area is private and
 *                          writable (and a store goes on at once to
 *                          cow_fault, which copies it); the page holding an
 *                          ELF segment's end of file data (file_end) is a
 *                          private copy, zeros after it; past the end
 *                          SIGBUS; no frame for the copy OOM
 *                          then the PTE is written, the area notes the page
 *                          (vma_note_mapped), and an executable page gets
 *                          a fence.i (tlb.h)
 *
 * Before mm->lock goes, the batch's round (tlb_batch_finish, tlb.h): every
 * hart running the address space drops what an unshare or a copy took
 * away, then old frames and tables are let go.
 *
 * The result (FAULT_OK, FAULT_SIGSEGV, FAULT_SIGBUS, FAULT_OOM) goes back
 * to the trap handler, which retries the access or turns it into a signal;
 * on FAULT_OOM it asks reclaim_retry first, and kills only when nothing
 * more can be reclaimed.
 */
#include "fault.h"
#include "cow.h"
#include "pt.h"
#include "phys.h"
#include "tlb.h"
#include "ptshare.h"
#include "shmem.h"
#include "vmstat.h"
#include "zero.h"
#include "vdso.h"
#include "pager.h"
#include "swap.h"
#include "reclaim.h"

static int access_allowed(unsigned prot, enum fault_access access)
{
	switch (access) {
	case FAULT_WRITE:
		return prot & PROT_WRITE;
	case FAULT_EXEC:
		return prot & PROT_EXEC;
	default:
		return prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
	}
}

/* fault_present - the page is mapped; decide what the fault means. */
static enum fault_result fault_present(struct tlb_batch *b, pte_t *e, unsigned long va,
				       enum fault_access access)
{
	pte_t pte = *e;

	switch (access) {
	case FAULT_WRITE:
		if (pte & PTE_W) {
			*e = pte | PTE_A | PTE_D;	/* D was clear: hardware left it to us */
			break;
		}
		if (pte & PTE_COW)
			return cow_fault(b, e, va);
		return FAULT_SIGSEGV_ACCERR;
	case FAULT_EXEC:
		if (!(pte & PTE_X))
			return FAULT_SIGSEGV_ACCERR;
		*e = pte | PTE_A;
		break;
	default:
		if (!(pte & PTE_R))
			return FAULT_SIGSEGV_ACCERR;
		*e = pte | PTE_A;
		break;
	}
	tlb_flush_page(va);
	return FAULT_OK;
}

/*
 * file_frame - the frame to map for page @va of private file VMA @v: the
 * page-cache frame itself (with a new reference, *shared = 1) if the whole
 * page is file data, else a private frame holding the file bytes and zeros
 * after file_end (the page where an ELF segment's file data ends).  0 when
 * out of memory, with *sigbus set when the page lies past the file's end
 * or past file_end.
 */
static phys_addr_t file_frame(struct vma *v, unsigned long va, int *shared, int *sigbus)
{
	unsigned long index = (v->file_off + (va - v->start)) / PAGE_SIZE;
	phys_addr_t cache, n;

	*shared = 0;
	*sigbus = va >= v->file_end;	/* ELF bss is a separate VMA_ANON */
	if (*sigbus)
		return 0;
	cache = shmem_frame(v->mem, index, sigbus);
	if (!cache || va + PAGE_SIZE <= v->file_end) {
		*shared = cache != 0;
		return cache;
	}
	n = pmm_alloc();
	if (n) {
		size_t keep = v->file_end - va;
		memcpy(phys_to_virt(n), phys_to_virt(cache), keep);
		memset((char *)phys_to_virt(n) + keep, 0, PAGE_SIZE - keep);
	}
	pmm_put(cache);
	return n;
}

/* fault_absent - nothing mapped at @va: fill the page from its VMA (unshares, copies into @b). */
static __attribute__((noinline)) enum fault_result fault_absent(struct mm *mm, struct tlb_batch *b,
							       unsigned long va, enum fault_access access)
{
	struct vma *v = vma_find(mm, va);
	uint64_t flags;
	phys_addr_t frame;
	pte_t *e;

	if (!v)
		return FAULT_SIGSEGV;
	if (!access_allowed(v->prot, access))
		return FAULT_SIGSEGV_ACCERR;
	flags = mm_prot_to_pte(v->prot);
	e = ptshare_walk_private(mm, va, 1, b);
	if (!e)
		return FAULT_OOM;

	if (v->kind == VMA_VVAR || v->kind == VMA_VDSO) {
		frame = vdso_frame(v, va);
		if (!frame)
			return FAULT_SIGBUS;
		pmm_get(frame);
	} else if (v->kind == VMA_ANON && access != FAULT_WRITE) {
		frame = zero_frame;
		pmm_get(frame);
		if (flags & PTE_W)
			flags = cow_wrprotect(flags);
	} else if (v->kind == VMA_ANON) {
		frame = pmm_alloc_zeroed();
		if (!frame)
			return FAULT_OOM;
		vmstat_inc(zero_fill);
	} else if (v->kind == VMA_SHMEM) {
		int sigbus;

		frame = shmem_frame(v->mem, (v->file_off + (va - v->start)) / PAGE_SIZE, &sigbus);
		if (sigbus)
			return FAULT_SIGBUS;
		if (!frame)
			return FAULT_OOM;
		flags |= PTE_SHARED;	/* every mapper writes this frame: never COW */
	} else {
		int shared, sigbus;

		frame = file_frame(v, va, &shared, &sigbus);
		if (sigbus)
			return FAULT_SIGBUS;
		if (!frame)
			return FAULT_OOM;
		if (shared && (flags & PTE_W)) {
			flags = cow_wrprotect(flags);
			if (access == FAULT_WRITE) {
				*e = pa_to_pte(frame) | flags | PTE_V;
				vma_note_mapped(v, va);
				return cow_fault(b, e, va);
			}
		}
	}
	*e = pa_to_pte(frame) | flags | PTE_V;
	vma_note_mapped(v, va);
	if (flags & PTE_X)
		tlb_batch_icache(b);	/* every hart of the mm may fetch it next */
	return FAULT_OK;
}

/*
 * fault_swapped - the page at @va is on disk (*@e is a swap entry, its
 * table ours): swap_fault (swap.c) maps it from the swap cache, or asks
 * for the read with FAULT_RETRY and @w.
 */
static __attribute__((noinline)) enum fault_result fault_swapped(struct mm *mm, struct tlb_batch *b,
								pte_t *e, unsigned long va,
								enum fault_access access,
								struct swap_wait *w)
{
	struct vma *v = vma_find(mm, va);

	if (!v)
		return FAULT_SIGSEGV;
	if (!access_allowed(v->prot, access))
		return FAULT_SIGSEGV_ACCERR;
	return swap_fault(b, mm, v, e, va, access == FAULT_WRITE, w);
}

/*
 * leaf_of - the level-0 entry for @va (NULL when there is no level-0
 * table) and whether that table is shared.  pt_walk and ptshare_is_shared
 * in one inline pass: this is the start of every fault.
 */
static inline pte_t *leaf_of(struct mm *mm, unsigned long va, int *shared)
{
	pte_t *t = phys_to_virt(mm->root), e = t[pt_index(va, 2)];

	if ((e & (PTE_V | PTE_RWX)) != PTE_V)
		return 0;
	t = phys_to_virt(pte_to_pa(e));
	e = t[pt_index(va, 1)];
	if ((e & (PTE_V | PTE_RWX)) != PTE_V)
		return 0;
	*shared = pmm_refcount(pte_to_pa(e)) > 1;
	return (pte_t *)phys_to_virt(pte_to_pa(e)) + pt_index(va, 0);
}

/*
 * fault_pass - one try at the fault at @va under mm->lock: present,
 * swapped or absent.  FAULT_RETRY leaves @w for swap_fault_wait.
 */
static inline __attribute__((always_inline)) enum fault_result
fault_pass(struct mm *mm, unsigned long va, enum fault_access access, struct swap_wait *w)
{
	struct tlb_batch b;
	enum fault_result r;
	int shared = 0;
	pte_t *e;

	spin_lock(&mm->lock);
	tlb_batch_init(&b, mm);
	e = leaf_of(mm, va, &shared);
	if (e && *e) {
		/* Any fault may change the entry: make its table our own first (ptshare.h). */
		if (shared)
			e = ptshare_walk_private(mm, va, 0, &b);
		if (!e)
			r = FAULT_OOM;
		else if (*e & PTE_V)
			r = fault_present(&b, e, va, access);
		else if (*e)
			r = fault_swapped(mm, &b, e, va, access, w);	/* (reclaim may have just swapped it) */
		else
			r = fault_absent(mm, &b, va, access);
	} else {
		r = fault_absent(mm, &b, va, access);
	}
	tlb_batch_finish(&b);
	spin_unlock(&mm->lock);
	return r;
}

/*
 * fault_wait - the slow end of a fault that found its page on disk: wait
 * for the read (no lock held), then try again, as often as it takes.
 */
static __attribute__((noinline)) enum fault_result fault_wait(struct mm *mm, unsigned long va,
							      enum fault_access access,
							      struct swap_wait *w)
{
	enum fault_result r;

	do {
		swap_fault_wait(w);
		reclaim_maybe();
		r = fault_pass(mm, va, access, w);
	} while (r == FAULT_RETRY);
	return r;
}

enum fault_result vm_fault(struct mm *mm, unsigned long addr, enum fault_access access)
{
	struct swap_wait w;
	enum fault_result r;

	vmstat_inc(pgfault);
	if (!mm || addr >= USER_TOP)
		return FAULT_SIGSEGV;
	reclaim_maybe();	/* low on frames: reclaim now, before any lock is held */
	r = fault_pass(mm, addr & PAGE_MASK, access, &w);
	if (unlikely(r == FAULT_RETRY))
		r = fault_wait(mm, addr & PAGE_MASK, access, &w);
	return r;
}
