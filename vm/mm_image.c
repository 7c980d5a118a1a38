/*
 * mm_image.c - filling an address space that runs nowhere yet: exec
 * builds the new image's stack and arguments through these (contracts in
 * mm.h), writing frames directly instead of faulting them in.
 */
#include "mm.h"
#include "pt.h"
#include "phys.h"
#include "tlb.h"
#include "ptshare.h"
#include "../kernel/string.h"
#include "../arch/riscv/page.h"

int mm_install_page(struct mm *mm, unsigned long va, phys_addr_t pa, uint64_t flags)
{
	struct tlb_batch b;
	struct vma *v;
	pte_t *e;

	spin_lock(&mm->lock);
	tlb_batch_init(&b, mm);
	e = ptshare_walk_private(mm, va, 1, &b);
	if (e) {
		*e = pa_to_pte(pa) | flags | PTE_V;
		if ((v = vma_find(mm, va)))
			vma_note_mapped(v, va);
	}
	tlb_batch_finish(&b);
	spin_unlock(&mm->lock);
	if (!e) {
		pmm_put(pa);
		return -ENOMEM;
	}
	return 0;
}

/*
 * new_page_locked - the kernel address of the page at @page in @mm, which
 * runs nowhere, for writing (the contract of mm_new_page).  mm->lock held.
 */
static void *new_page_locked(struct mm *mm, unsigned long page, struct tlb_batch *b, int *err)
{
	struct vma *v = vma_find(mm, page);
	pte_t *e;

	*err = -EFAULT;
	if (!v || v->kind != VMA_ANON)
		return 0;
	*err = -ENOMEM;
	if (!(e = ptshare_walk_private(mm, page, 1, b)))
		return 0;
	if (!(*e & PTE_V)) {
		phys_addr_t pa = pmm_alloc_zeroed();
		if (!pa)
			return 0;
		*e = pa_to_pte(pa) | mm_prot_to_pte(v->prot) | PTE_V;
		vma_note_mapped(v, page);
	} else if (!(*e & PTE_W) || pmm_refcount(pte_to_pa(*e)) > 1) {
		*err = -EFAULT;	/* not a private writable page: writing it would leak */
		return 0;
	}
	*err = 0;
	return phys_to_virt(pte_to_pa(*e));
}

void *mm_new_page(struct mm *mm, unsigned long va, int *err)
{
	struct tlb_batch b;	/* the image runs nowhere: only an unshare would fill it */
	void *k;

	spin_lock(&mm->lock);
	tlb_batch_init(&b, mm);
	k = new_page_locked(mm, va & PAGE_MASK, &b, err);
	tlb_batch_finish(&b);
	spin_unlock(&mm->lock);
	return k;
}

int mm_copy_in(struct mm *mm, unsigned long va, const void *src, size_t len)
{
	const char *s = src;
	struct tlb_batch b;
	int r = 0;

	spin_lock(&mm->lock);
	tlb_batch_init(&b, mm);
	while (len) {
		unsigned long page = va & PAGE_MASK;
		size_t chunk = MIN(len, PAGE_SIZE - (va - page));
		char *k = new_page_locked(mm, page, &b, &r);

		if (!k)
			break;
		memcpy(k + (va - page), s, chunk);
		va += chunk;
		s += chunk;
		len -= chunk;
	}
	tlb_batch_finish(&b);
	spin_unlock(&mm->lock);
	return r;
}
