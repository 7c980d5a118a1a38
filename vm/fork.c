/*
 * fork.c - duplicate an address space for fork().
 *
 * With COW (the default) the child gets the parent's page tables with every
 * private writable page turned read-only + PTE_COW on both sides (see
 * cow_share_pte); nothing is copied but the tables.  With cow=0 every
 * writable page is copied eagerly: the baseline COW is measured against.
 */
#include "mm.h"
#include "cow.h"
#include "pt.h"
#include "phys.h"
#include "tlb.h"
#include "../kernel/kmalloc.h"
#include "../arch/riscv/page.h"

/* eager_copy_pte - cow=0: a private copy of a writable (or COW) page; shares the rest. */
static int eager_copy_pte(pte_t *ppte, pte_t *cpte)
{
	pte_t e = *ppte;

	if (!(e & (PTE_W | PTE_COW)) || (e & PTE_SHARED) || pte_to_pa(e) == zero_frame) {
		pmm_get(pte_to_pa(e));
		*cpte = e;
		return 0;
	}
	phys_addr_t n = pmm_alloc();
	if (!n)
		return -ENOMEM;
	page_copy(phys_to_virt(n), phys_to_virt(pte_to_pa(e)));
	*cpte = pa_to_pte(n) | ((pte_flags(e) & ~PTE_COW) | PTE_W);
	return 0;
}

/*
 * copy_leaves - the child's level-0 table @ctab from the parent's @ptab.
 * Every entry of @ctab is written, so the page needs no zeroing first.
 * This loop is most of fork's cost for a large process: keep it tight.
 */
static int copy_leaves(pte_t *ptab, pte_t *ctab)
{
	for (int i = 0; i < PT_ENTRIES; i++) {
		pte_t e = ptab[i];

		if (!(e & PTE_V)) {
			ctab[i] = 0;
		} else if (cow_enabled) {
			ctab[i] = cow_share_pte(&ptab[i]);
		} else if (eager_copy_pte(&ptab[i], &ctab[i])) {
			while (++i < PT_ENTRIES)
				ctab[i] = 0;
			return -ENOMEM;
		}
	}
	return 0;
}

/*
 * copy_level - duplicate the table @ptab (at @level > 0) into @ctab, which
 * is zeroed.  Returns 0 or -ENOMEM; on failure what was copied stays in
 * @ctab for mm_put to free.
 */
static int copy_level(pte_t *ptab, pte_t *ctab, int level)
{
	for (int i = 0; i < PT_ENTRIES; i++) {
		pte_t e = ptab[i];

		if (!(e & PTE_V))
			continue;
		phys_addr_t t = level == 1 ? pmm_alloc() : pmm_alloc_zeroed();
		if (!t)
			return -ENOMEM;
		ctab[i] = pa_to_pte(t) | PTE_V;
		int r = level == 1 ? copy_leaves(phys_to_virt(pte_to_pa(e)), phys_to_virt(t))
				   : copy_level(phys_to_virt(pte_to_pa(e)), phys_to_virt(t), level - 1);
		if (r)
			return r;
	}
	return 0;
}

struct mm *mm_fork(struct mm *parent)
{
	struct mm *child = mm_create();
	struct vma **tail;
	int r = 0;

	if (!child)
		return 0;
	spin_lock(&parent->lock);
	child->brk_start = parent->brk_start;
	child->brk = parent->brk;
	child->stack_top = parent->stack_top;
	tail = &child->vmas;
	for (struct vma *v = parent->vmas; v; v = v->next) {
		struct vma *n = kmalloc(sizeof(*n));
		if (!n) {
			r = -ENOMEM;
			break;
		}
		*n = *v;
		n->next = 0;
		*tail = n;
		tail = &n->next;
	}
	/* Only the user half: root entries 0..255. */
	pte_t *proot = phys_to_virt(parent->root), *croot = phys_to_virt(child->root);
	for (int i = 0; i < 256 && !r; i++) {
		if (!(proot[i] & PTE_V))
			continue;
		phys_addr_t t = pmm_alloc_zeroed();
		if (!t) {
			r = -ENOMEM;
			break;
		}
		croot[i] = pa_to_pte(t) | PTE_V;
		r = copy_level(phys_to_virt(pte_to_pa(proot[i])), phys_to_virt(t), 1);
	}
	/* The parent is running on this hart: its W bits just went away (tlb.h). */
	tlb_flush_all();
	spin_unlock(&parent->lock);
	if (r) {
		mm_put(child);
		return 0;
	}
	return child;
}
