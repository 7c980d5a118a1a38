/*
 * kstack.c - kernel stacks: KSTACK_NSLOTS slots in the kernel's address
 * space (KSTACK_AREA), each a KSTACK_SIZE stack above an unmapped guard.
 * The level-0 tables of the whole area exist from kvm_init on, so mapping
 * a stack never adds a root entry.
 */
#include "kstack.h"
#include "kvm.h"
#include "pt.h"
#include "../kernel/kernel.h"
#include "../kernel/spinlock.h"
#include "../arch/riscv/layout.h"
#include "../arch/riscv/csr.h"

static struct spinlock kstack_lock = SPINLOCK_INIT("kstack");
/*
 * Each slot: free and clean, in use, or freed but maybe still in some
 * hart's TLB (STALE).  Other harts do touch a stack that is not theirs (an
 * interrupt handler completing a disk request that lives on its
 * submitter's stack, a futex waker marking a waiter), so a stale
 * translation of a freed slot would send such a store to the old frame
 * once the slot is handed out again.  A stale slot is reused only after
 * one fence of the whole area on every hart (kvm_fence_all).
 */
#define SLOT_FREE	0
#define SLOT_USED	1
#define SLOT_STALE	2
static uint8_t slot_used[KSTACK_NSLOTS];

/* take_slot - a clean free slot, fencing every hart first if only stale ones are left.  Lock held. */
static int take_slot(void)
{
	int stale = -1;

	for (int s = 0; s < KSTACK_NSLOTS; s++) {
		if (slot_used[s] == SLOT_FREE) {
			slot_used[s] = SLOT_USED;
			return s;
		}
		if (slot_used[s] == SLOT_STALE && stale < 0)
			stale = s;
	}
	if (stale < 0)
		return -1;
	kvm_fence_all(KSTACK_AREA, KSTACK_NSLOTS * KSTACK_SLOT);
	for (int s = 0; s < KSTACK_NSLOTS; s++)
		if (slot_used[s] == SLOT_STALE)
			slot_used[s] = SLOT_FREE;
	slot_used[stale] = SLOT_USED;
	return stale;
}

/*
 * kstack_alloc - see kvm.h.  The frames first, then a free slot under the
 * lock, then the mappings; any failure gives everything back.
 */
unsigned long kstack_alloc(void)
{
	phys_addr_t frames[KSTACK_PAGES];
	unsigned long bottom;
	int slot = -1, i;

	for (i = 0; i < KSTACK_PAGES; i++) {
		frames[i] = pmm_alloc();
		if (!frames[i])
			goto err;
	}
	spin_lock(&kstack_lock);
	slot = take_slot();
	if (slot < 0) {
		spin_unlock(&kstack_lock);
		goto err;
	}
	bottom = KSTACK_AREA + (unsigned long)slot * KSTACK_SLOT + KSTACK_SIZE;
	for (int p = 0; p < KSTACK_PAGES; p++)
		if (pt_map(kvm_root, bottom + p * PAGE_SIZE, frames[p], KVM_PTE_RW)) {
			/* Undo: unmap what we mapped; the frames go below. */
			for (int q = 0; q < p; q++)
				*pt_walk(kvm_root, bottom + q * PAGE_SIZE, 0) = 0;
			slot_used[slot] = SLOT_STALE;	/* its pages were mapped a moment */
			spin_unlock(&kstack_lock);
			goto err;
		}
	spin_unlock(&kstack_lock);
	/* This hart may hold translations of the slot's previous stack. */
	for (int p = 0; p < KSTACK_PAGES; p++)
		local_flush_tlb_page(bottom + p * PAGE_SIZE);
	return bottom;
err:
	while (i-- > 0)
		pmm_put(frames[i]);
	return 0;
}

/*
 * kstack_free - unmap and free the stack at @bottom.  Its translations
 * may linger in the TLBs of harts that touched it; nobody uses the
 * addresses while the slot is STALE, and take_slot fences every hart
 * before handing a stale slot out again.  The frames may go back at once:
 * only the slot's addresses could reach them, and those are unused.
 */
void kstack_free(unsigned long bottom)
{
	int slot = (int)((bottom - KSTACK_SIZE - KSTACK_AREA) / KSTACK_SLOT);

	spin_lock(&kstack_lock);
	for (int p = 0; p < KSTACK_PAGES; p++) {
		pte_t *e = pt_walk(kvm_root, bottom + p * PAGE_SIZE, 0);
		phys_addr_t pa = pte_to_pa(*e);
		*e = 0;
		pmm_put(pa);
	}
	slot_used[slot] = SLOT_STALE;
	spin_unlock(&kstack_lock);
}
