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
 * copy_range - share (or, with cow=0, copy) the present pages of
 * [start, end) from @parent's table into @child's.  This loop is most of
 * fork's cost for a large process: one table walk per 2 MiB, then a tight
 * pass over the entries.  Returns 0 or -ENOMEM; what was copied stays in
 * @child for mm_put to free.
 */
static int copy_range(struct mm *parent, struct mm *child, unsigned long start,
		      unsigned long end)
{
	for (unsigned long va = start; va < end;) {
		unsigned long next = MIN(ALIGN_DOWN(va, PT_LEVEL_SIZE(1)) + PT_LEVEL_SIZE(1), end);
		pte_t *p = pt_walk(parent->root, va, 0), *c;

		if (p) {
			c = pt_walk(child->root, va, 1);
			if (!c)
				return -ENOMEM;
			for (unsigned long a = va; a < next; a += PAGE_SIZE, p++, c++) {
				if (!(*p & PTE_V))
					continue;
				if (cow_enabled)
					*c = cow_share_pte(p);
				else if (eager_copy_pte(p, c))
					return -ENOMEM;
			}
		}
		va = next;
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
	for (struct vma *v = child->vmas; v && !r; v = v->next)
		if (v->mapped_lo < v->mapped_hi)
			r = copy_range(parent, child, v->mapped_lo, v->mapped_hi);
	/* The parent is running on this hart: its W bits just went away (tlb.h). */
	tlb_flush_all();
	spin_unlock(&parent->lock);
	if (r) {
		mm_put(child);
		return 0;
	}
	return child;
}
