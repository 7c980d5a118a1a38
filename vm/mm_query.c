/*
 * mm_query.c - questions about an address space that change nothing:
 * where a new mapping fits (mm_find_free), how a shared futex word is
 * named (mm_shared_key), what is resident (mm_rss), and what a page
 * holds (mm_copy_out).  See mm.h.
 */
#include "mm.h"
#include "pt.h"
#include "phys.h"
#include "ptshare.h"
#include "shmem.h"
#include "zero.h"
#include "vdso.h"
#include "swap.h"
#include "fault.h"

unsigned long mm_find_free(struct mm *mm, unsigned long hint, unsigned long len)
{
	unsigned long a = hint < USER_MMAP_BASE ? USER_MMAP_BASE : hint;

	spin_lock(&mm->lock);
	for (struct vma *v = mm->vmas; v; v = v->next) {
		if (v->end <= a)
			continue;
		if (v->start >= a + len)
			break;
		a = v->end;
	}
	spin_unlock(&mm->lock);
	if (a + len > USER_STACK_TOP - USER_STACK_SIZE - PAGE_SIZE || a + len < a)
		return 0;
	return a;
}

int mm_shared_key(struct mm *mm, unsigned long va, const void **obj, unsigned long *off)
{
	struct vma *v;
	int shared = 0;

	spin_lock(&mm->lock);
	v = vma_find(mm, va);
	if (v && v->kind == VMA_SHMEM) {
		*obj = v->mem;
		*off = v->file_off + (va - v->start);
		shared = 1;
	}
	spin_unlock(&mm->lock);
	return shared;
}

void mm_rss(struct mm *mm, struct mm_rss *r)
{
	memset(r, 0, sizeof(*r));
	spin_lock(&mm->lock);
	for (struct vma *v = mm->vmas; v; v = v->next)
		for (unsigned long va = v->start; va < v->end; va += PAGE_SIZE) {
			pte_t *e = pt_walk(mm->root, va, 0);
			if (!e) {
				va = ALIGN_DOWN(va, PT_LEVEL_SIZE(1)) + PT_LEVEL_SIZE(1) - PAGE_SIZE;
				continue;
			}
			if (!(*e & PTE_V)) {
				r->swap += *e != 0;
				continue;
			}
			phys_addr_t pa = pte_to_pa(*e);
			int clean = pa == zero_frame || vdso_is_frame(pa) ||
				    (v->kind == VMA_FILE &&
				     pa == shmem_lookup(v->mem, (v->file_off + va - v->start) / PAGE_SIZE));
			/* A shared-memory object, and the swap cache, hold a reference of their own. */
			unsigned own = (v->kind == VMA_SHMEM ? 2u : 1u) + (swap_slot_of(pa) != 0);
			int shared = pmm_refcount(pa) > own || ptshare_is_shared(e);
			if (shared)
				(*(clean ? &r->shared_clean : &r->shared_dirty))++;
			else
				(*(clean ? &r->private_clean : &r->private_dirty))++;
			if (!clean)
				r->anon++;
		}
	spin_unlock(&mm->lock);
}

size_t mm_copy_out(struct mm *mm, unsigned long va, void *dst, size_t len)
{
	char *d = dst;
	size_t done = 0;

	spin_lock(&mm->lock);
	while (done < len) {
		unsigned long page = va & PAGE_MASK;
		size_t chunk = MIN(len - done, PAGE_SIZE - (va - page));
		struct vma *v = vma_find(mm, page);
		pte_t *e = v && (v->prot & PROT_READ) ? pt_walk(mm->root, page, 0) : 0;

		if (e && pte_is_swap(*e)) {
			/* On disk: bring it back as the owner's own read would, then look again. */
			spin_unlock(&mm->lock);
			if (vm_fault(mm, page, FAULT_READ) != FAULT_OK)
				return done;
			spin_lock(&mm->lock);
			continue;
		}
		if (!e || !(*e & PTE_V))
			break;
		/* Reclaim changes a shared table without our lock: read under the one it takes. */
		int shared = ptshare_is_shared(e);
		if (shared)
			spin_lock(&ptshare_lock);
		if (*e & PTE_V)
			memcpy(d + done, (char *)phys_to_virt(pte_to_pa(*e)) + (va - page), chunk);
		if (shared)
			spin_unlock(&ptshare_lock);
		if (!(*e & PTE_V))
			continue;	/* just went to swap: fault it back */
		va += chunk;
		done += chunk;
	}
	spin_unlock(&mm->lock);
	return done;
}
