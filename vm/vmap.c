/*
 * vmap.c - virtually contiguous kernel buffers (vmap.h).  VMAP_NSLOTS
 * slots in the kernel's address space (VMAP_AREA), each room for
 * VMAP_SLOT_PAGES pages and an unmapped guard page above.  The level-0
 * tables of the area exist from kvm_init on, so mapping never changes a
 * root entry that the user page tables copied.
 *
 * The TLB: kernel mappings are global, and another hart may still hold a
 * translation of a freed buffer's page.  vmap_free therefore fences every
 * online hart (this one included) for the slot's range before its frames go back, so a slot
 * handed out again can never be read through a stale entry.
 */
#include "vmap.h"
#include "kvm.h"
#include "pt.h"
#include "phys.h"
#include "../kernel/kernel.h"
#include "../kernel/spinlock.h"
#include "../arch/riscv/layout.h"
#include "../arch/riscv/csr.h"

static struct spinlock vmap_lock = SPINLOCK_INIT("vmap");
static uint16_t slot_pages[VMAP_NSLOTS];		/* pages mapped in each slot; 0: free */

static unsigned long slot_va(int s)
{
	return VMAP_AREA + (unsigned long)s * VMAP_SLOT;
}

/*
 * unmap_slot - take @n pages of slot @s out of the table and give their
 * frames back; with @fence, only once every hart has forgotten them (a
 * buffer that was handed out and may have been touched anywhere).
 */
static void unmap_slot(int s, unsigned n, int fence)
{
	for (unsigned p = 0; p < n; p++)
		*pt_walk(kvm_root, slot_va(s) + p * PAGE_SIZE, 0) &= ~(pte_t)PTE_V;
	if (fence)
		kvm_fence_all(slot_va(s), n * PAGE_SIZE);
	for (unsigned p = 0; p < n; p++) {
		pte_t *e = pt_walk(kvm_root, slot_va(s) + p * PAGE_SIZE, 0);

		pmm_put(pte_to_pa(*e));
		*e = 0;
	}
}

void *vmap_alloc(size_t bytes)
{
	unsigned n = (unsigned)((bytes + PAGE_SIZE - 1) / PAGE_SIZE);
	int s = -1;

	if (!n || bytes > VMAP_SLOT_PAGES * PAGE_SIZE)
		return 0;
	spin_lock(&vmap_lock);
	for (int i = 0; i < VMAP_NSLOTS && s < 0; i++)
		if (!slot_pages[i]) {
			slot_pages[i] = (uint16_t)n;
			s = i;
		}
	spin_unlock(&vmap_lock);
	if (s < 0)
		return 0;
	for (unsigned p = 0; p < n; p++) {
		phys_addr_t pa = pmm_alloc_zeroed();

		if (!pa || pt_map(kvm_root, slot_va(s) + p * PAGE_SIZE, pa, KVM_PTE_RW)) {
			if (pa)
				pmm_put(pa);
			unmap_slot(s, p, 0);	/* never handed out: nobody touched it */
			__atomic_store_n(&slot_pages[s], 0, __ATOMIC_RELEASE);
			return 0;
		}
		local_flush_tlb_page(slot_va(s) + p * PAGE_SIZE);
	}
	return (void *)slot_va(s);
}

int vmap_owns(const void *p)
{
	unsigned long va = (unsigned long)p;

	return va >= VMAP_AREA && va < VMAP_AREA + VMAP_NSLOTS * VMAP_SLOT;
}

void vmap_free(void *p)
{
	int s;

	if (!p)
		return;
	s = (int)(((unsigned long)p - VMAP_AREA) / VMAP_SLOT);
	unmap_slot(s, slot_pages[s], 1);
	__atomic_store_n(&slot_pages[s], 0, __ATOMIC_RELEASE);
}
