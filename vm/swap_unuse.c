/*
 * swap_unuse.c - swapoff's half of swap: every swap entry of an area, in
 * every address space, becomes a present page again (contract:
 * swap_int.h).  Each page comes back the way a fault brings it (swap.c),
 * so a COW page is read once and shared again as it was.
 */
#include "swap_int.h"
#include "fault.h"
#include "tlb.h"
#include "pt.h"
#include "ptshare.h"
#include "reclaim.h"
#include "../kernel/sched.h"
#include "../arch/riscv/page.h"

/*
 * unuse_page - bring the swap entry at @va of @mm (if it still is one of
 * @area) back into memory, whatever the area's protection.  FAULT_OK when
 * done or nothing to do, else what swap_fault said (FAULT_RETRY handled).
 */
static enum fault_result unuse_page(struct mm *mm, unsigned long va, unsigned area)
{
	struct swap_wait w;
	struct tlb_batch b;
	enum fault_result r;

	do {
		r = FAULT_OK;
		spin_lock(&mm->lock);
		tlb_batch_init(&b, mm);
		pte_t *e = pt_walk(mm->root, va, 0);
		struct vma *v = vma_find(mm, va);
		if (e && v && pte_is_swap(*e) && swp_area(pte_to_swp(*e)) == area) {
			e = ptshare_walk_private(mm, va, 0, &b);
			r = e ? swap_fault(&b, mm, v, e, va, 0, &w) : FAULT_OOM;
		}
		tlb_batch_finish(&b);
		spin_unlock(&mm->lock);
		if (r == FAULT_RETRY)
			swap_fault_wait(&w);
	} while (r == FAULT_RETRY);
	return r;
}

/* next_entry - the first swap entry of @area at or after *@va in @mm (0 if none; *@va set). */
static int next_entry(struct mm *mm, unsigned long *va, unsigned area)
{
	int found = 0;

	spin_lock(&mm->lock);
	for (struct vma *v = mm->vmas; v && !found; v = v->next) {
		if (v->end <= *va)
			continue;
		for (unsigned long a = MAX(*va, v->mapped_lo); a < v->mapped_hi; a += PAGE_SIZE) {
			pte_t *e = pt_walk(mm->root, a, 0);
			if (!e) {
				a = ALIGN_DOWN(a, PT_LEVEL_SIZE(1)) + PT_LEVEL_SIZE(1) - PAGE_SIZE;
				continue;
			}
			if (pte_is_swap(*e) && swp_area(pte_to_swp(*e)) == area) {
				*va = a;
				found = 1;
				break;
			}
		}
	}
	spin_unlock(&mm->lock);
	return found;
}

/*
 * unuse_mm - every swap entry of @area in @mm comes back.  Stops with
 * -ENOMEM rather than eat the last reserve of frames the kernel keeps
 * below the low watermark.
 */
static int unuse_mm(struct mm *mm, unsigned area)
{
	for (unsigned long va = 0; next_entry(mm, &va, area); va += PAGE_SIZE) {
		if (pmm_free_frames() < reclaim_low) {
			reclaim_run();
			if (pmm_free_frames() < reclaim_low)
				return -ENOMEM;
		}
		switch (unuse_page(mm, va, area)) {
		case FAULT_OK:
			break;
		case FAULT_SIGBUS:
			return -EIO;
		default:
			return -ENOMEM;
		}
	}
	return 0;
}

int swap_unuse(unsigned area)
{
	/* Entries may move (fork, mremap) while we walk: go round until none is left. */
	for (int pass = 0; pass < 8; pass++) {
		struct mm *prev = 0, *mm;
		int r = 0;

		while (!r && (mm = mm_next_pinned(prev))) {
			r = unuse_mm(mm, area);
			prev = mm;
			mm_put(mm);
		}
		if (r)
			return r;
		spin_lock(&swap_lock);
		unsigned long left = swap_area_in_use(area);
		spin_unlock(&swap_lock);
		if (!left)
			return 0;
		sched_yield();		/* an I/O pin may still hold a slot: let it finish */
	}
	return -EBUSY;
}
