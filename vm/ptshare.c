/*
 * ptshare.c - the mechanics of shared level-0 tables (see ptshare.h):
 * sharing one at fork (fork.c decides which), unsharing before a change,
 * and tearing an address space down.
 */
#include "ptshare.h"
#include "cow.h"
#include "pt.h"
#include "phys.h"
#include "tlb.h"
#include "swap.h"
#include "../arch/riscv/page.h"

#define REGION PTSHARE_REGION

struct spinlock ptshare_lock = SPINLOCK_INIT("ptshare");

/* entry_get / entry_put - a table entry gains or loses its hold: a frame's reference, or a slot's. */
static void entry_get(pte_t e)
{
	if (e & PTE_V)
		pmm_get(pte_to_pa(e));
	else if (e)
		swap_dup(pte_to_swp(e));
}


/* pt_entry1 - the level-1 entry (pointer to a level-0 table) covering @va. */
static inline pte_t *pt_entry1(phys_addr_t root, unsigned long va, int alloc)
{
	return pt_entry(root, va, 1, alloc);
}

/* ptshare_table_release - see ptshare.h. */
void ptshare_table_release(phys_addr_t t)
{
	if (!pmm_put_test(t))
		return;
	pte_t *e = phys_to_virt(t);
	for (int i = 0; i < PT_ENTRIES; i++)
		ptshare_entry_put(e[i]);
	pmm_free_last(t);
}

/*
 * unshare - give the level-1 entry @l1e a private copy of its shared
 * table; batch @b releases the old one after its round.  0 or -ENOMEM.
 */
static __attribute__((noinline)) int unshare(pte_t *l1e, struct tlb_batch *b)
{
	phys_addr_t old = pte_to_pa(*l1e), n = pmm_alloc();

	if (!n)
		return -ENOMEM;
	pte_t *src = phys_to_virt(old), *dst = phys_to_virt(n);
	/* Reclaim may be turning entries of the shared table into swap entries: copy a still picture. */
	spin_lock(&ptshare_lock);
	for (int i = 0; i < PT_ENTRIES; i++) {
		pte_t e = src[i];
		dst[i] = e;
		entry_get(e);
	}
	spin_unlock(&ptshare_lock);
	*l1e = pa_to_pte(n) | PTE_V;
	/*
	 * The leaf translations cached from the old table are still right (same
	 * entries), but the walker may also cache the level-1 entry itself, and
	 * the old table is no longer ours to read: once we release it the other
	 * sharer may change or free it.  Only a full sfence.vma drops cached
	 * non-leaf entries, on every hart running us (tlb.h): the batch does
	 * that, and lets go of the old table only afterwards.
	 */
	tlb_batch_free_table(b, old);
	return 0;
}

pte_t *ptshare_walk_private(struct mm *mm, unsigned long va, int alloc, struct tlb_batch *b)
{
	pte_t *l1e = pt_entry1(mm->root, va, alloc);

	if (!l1e)
		return 0;
	if (!(*l1e & PTE_V)) {
		phys_addr_t n = alloc ? pmm_alloc_zeroed() : 0;
		if (!n)
			return 0;
		*l1e = pa_to_pte(n) | PTE_V;
	} else if (pte_is_leaf(*l1e) ||
		   (pmm_refcount(pte_to_pa(*l1e)) > 1 && unshare(l1e, b))) {
		return 0;
	}
	return (pte_t *)phys_to_virt(pte_to_pa(*l1e)) + pt_index(va, 0);
}

int ptshare_make_private(struct mm *mm, unsigned long start, unsigned long end,
			 struct tlb_batch *b)
{
	for (unsigned long va = ALIGN_DOWN(start, REGION); va < end; va += REGION) {
		pte_t *l1e = pt_entry1(mm->root, va, 0);

		if (l1e && (*l1e & PTE_V) && !pte_is_leaf(*l1e) &&
		    pmm_refcount(pte_to_pa(*l1e)) > 1 && unshare(l1e, b))
			return -ENOMEM;
	}
	return 0;
}

int ptshare_is_shared(const pte_t *e)
{
	return pmm_refcount(virt_to_phys((void *)((uintptr_t)e & ~(PAGE_SIZE - 1)))) > 1;
}

/*
 * ptshare_share_table - see ptshare.h.  The first sharing write-protects
 * the table's private writable entries; a table shared already has none.
 */
void ptshare_share_table(pte_t *pl1e, pte_t *cl1e)
{
	phys_addr_t t = pte_to_pa(*pl1e);

	if (pmm_refcount(t) == 1) {
		pte_t *e = phys_to_virt(t);
		for (int i = 0; i < PT_ENTRIES; i++)
			if ((e[i] & (PTE_V | PTE_W | PTE_SHARED)) == (PTE_V | PTE_W))
				e[i] = cow_wrprotect(e[i]);
	}
	pmm_get(t);
	*cl1e = *pl1e;
}

void ptshare_teardown(struct mm *mm)
{
	phys_addr_t table = 0;	/* the level-0 table being emptied */
	unsigned long region = ~0UL;
	int own = 0;

	for (struct vma *v = mm->vmas; v; v = v->next) {
		for (unsigned long va = v->mapped_lo; va < v->mapped_hi;) {
			unsigned long r = ALIGN_DOWN(va, REGION), end = MIN(r + REGION, v->mapped_hi);
			pte_t *l1e = pt_entry1(mm->root, va, 0);

			if (l1e && (*l1e & PTE_V)) {
				/* A new table: finish the last one, then see whether it is ours alone. */
				if (own)
					pmm_free_last(table);
				table = pte_to_pa(*l1e);
				region = r;
				own = pmm_put_test(table);
				*l1e = 0;	/* detached: pt_free_tables will not see it */
			} else if (r != region) {
				va = end;	/* no table here */
				continue;
			}
			if (own) {
				pte_t *e = phys_to_virt(table);
				int b = end == r + REGION ? PT_ENTRIES : (int)pt_index(end, 0);
				for (int i = (int)pt_index(va, 0); i < b; i++)
					ptshare_entry_put(e[i]);
			}
			va = end;
		}
	}
	if (own)
		pmm_free_last(table);
	pt_free_tables(mm->root, 0, 255);
}
