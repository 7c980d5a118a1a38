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
static uint8_t slot_used[KSTACK_NSLOTS];

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
	for (int s = 0; s < KSTACK_NSLOTS; s++)
		if (!slot_used[s]) {
			slot_used[s] = 1;
			slot = s;
			break;
		}
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
			slot_used[slot] = 0;
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
 * kstack_free - unmap and free the stack at @bottom.  The stack's own
 * translations may linger in TLBs of harts that ran it; they are flushed
 * when those harts next load a satp, and nobody touches the addresses
 * before the slot is handed out again and remapped, which happens on a
 * hart that flushes on switch as well.
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
	slot_used[slot] = 0;
	spin_unlock(&kstack_lock);
}
