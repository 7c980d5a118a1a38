/*
 * fork.c - duplicate an address space for fork().
 *
 * With COW (the default) the child gets the parent's page tables with every
 * private writable page turned read-only + PTE_COW on both sides (see
 * cow_share_pte); nothing is copied but the tables, and large level-0
 * tables are not even copied but shared (ptshare.h).  With cow=0 every
 * writable page is copied eagerly: the baseline COW is measured against.
 */
#include "mm.h"
#include "cow.h"
#include "pt.h"
#include "phys.h"
#include "tlb.h"
#include "ptshare.h"

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
		struct vma *n = vma_dup(v);
		if (!n) {
			r = -ENOMEM;
			break;
		}
		*tail = n;
		tail = &n->next;
	}
	if (!r)
		r = ptshare_fork(parent, child);
	spin_unlock(&parent->lock);
	if (r) {
		mm_put(child);
		return 0;
	}
	return child;
}
